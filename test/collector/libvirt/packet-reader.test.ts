import { describe, expect, it } from 'vitest';
import { LibvirtProtocolError } from '../../../src/collector/libvirt/errors';
import { encodePacket } from '../../../src/collector/libvirt/packet';
import { PacketReader } from '../../../src/collector/libvirt/packet-reader';
import { REMOTE_PROGRAM } from '../../../src/collector/libvirt/protocol';

const packet = (serial: number, body: number[]) =>
  encodePacket(
    { program: REMOTE_PROGRAM, procedure: 59, type: 1, serial, status: 0 },
    Buffer.from(body),
  );

describe('PacketReader', () => {
  const three = [packet(1, [1, 2, 3, 4]), packet(2, []), packet(3, [9, 9, 9, 9, 8, 8, 8, 8])];
  const all = Buffer.concat(three);

  it('frames a packet: length counts itself, then the 24-byte header', () => {
    const frame = three[0] as Buffer;
    expect(frame.readUInt32BE(0)).toBe(32);
    expect(frame.readUInt32BE(4)).toBe(REMOTE_PROGRAM);
    expect(frame.readUInt32BE(8)).toBe(1);
  });

  it('yields several packets packed into one chunk', () => {
    const got = new PacketReader().push(all);
    expect(got.map((p) => p.header.serial)).toEqual([1, 2, 3]);
    expect([...(got[2]?.body ?? [])]).toEqual([9, 9, 9, 9, 8, 8, 8, 8]);
    expect(got[0]?.header).toEqual({
      program: REMOTE_PROGRAM,
      version: 1,
      procedure: 59,
      type: 1,
      serial: 1,
      status: 0,
    });
  });

  it('reassembles packets split at every possible boundary, down to single bytes', () => {
    for (let cut = 1; cut < all.length; cut++) {
      const reader = new PacketReader();
      const got = [...reader.push(all.subarray(0, cut)), ...reader.push(all.subarray(cut))];
      expect(got.map((p) => p.header.serial)).toEqual([1, 2, 3]);
      expect(reader.pendingBytes).toBe(0);
    }
    const reader = new PacketReader();
    const got = [];
    for (const byte of all) got.push(...reader.push(Buffer.from([byte])));
    expect(got.map((p) => [p.header.serial, [...p.body]])).toEqual([
      [1, [1, 2, 3, 4]],
      [2, []],
      [3, [9, 9, 9, 9, 8, 8, 8, 8]],
    ]);
  });

  it('fails on a length beyond VIR_NET_MESSAGE_MAX without waiting for (or allocating) it', () => {
    const reader = new PacketReader();
    const header = Buffer.alloc(8);
    header.writeUInt32BE(0xfffffff0, 0);
    expect(() => reader.push(header)).toThrow(LibvirtProtocolError);
    expect(reader.pendingBytes).toBe(0);
    // Poisoned: the stream cannot be resynchronised after a bad length.
    expect(() => reader.push(three[0] as Buffer)).toThrow(LibvirtProtocolError);
  });

  it('accepts exactly the maximum length and refuses one byte more', () => {
    const ok = Buffer.alloc(4);
    ok.writeUInt32BE(4 + 33554432, 0);
    expect(new PacketReader().push(ok)).toEqual([]);
    const tooBig = Buffer.alloc(4);
    tooBig.writeUInt32BE(4 + 33554432 + 1, 0);
    expect(() => new PacketReader().push(tooBig)).toThrow(/outside/);
  });

  it('fails on a length smaller than the header', () => {
    const tiny = Buffer.from([0, 0, 0, 27, 0, 0, 0, 0]);
    expect(() => new PacketReader().push(tiny)).toThrow(LibvirtProtocolError);
  });
});
