import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePacket } from '../../../src/collector/libvirt/packet';
import { PacketReader } from '../../../src/collector/libvirt/packet-reader';
import { REMOTE_PROGRAM } from '../../../src/collector/libvirt/protocol';
import { RpcClient } from '../../../src/collector/libvirt/rpc-client';
import { connectStaticReads } from '../../../src/collector/libvirt/static-reads';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';

const reply = (serial: number, words: number[]) => {
  const body = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => body.writeInt32BE(w, i * 4));
  return encodePacket({ program: REMOTE_PROGRAM, procedure: 59, type: 1, serial, status: 0 }, body);
};

describe('PacketReader on a reused read buffer (transient chunks)', () => {
  it('keeps the part of a packet it holds when the buffer is overwritten', () => {
    const packet = reply(7, [1, 2, 3, 4, 5]);
    const shared = Buffer.alloc(64);
    const reader = new PacketReader();
    packet.copy(shared, 0, 0, 30);
    expect(reader.push(shared.subarray(0, 30), true)).toEqual([]);
    shared.fill(0xee);
    packet.copy(shared, 0, 30);
    const [got] = reader.push(shared.subarray(0, packet.length - 30), true);
    expect(got?.header.serial).toBe(7);
    const body = new XdrReader(got?.body as Buffer);
    expect([1, 2, 3, 4, 5].map(() => body.int())).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('connectStaticReads', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it('carries calls and replies split across reads and packed into one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lv-static-'));
    const path = join(dir, 'sock');
    const server = createServer();
    const peer = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const socket = connectStaticReads({ path });
    const rpc = new RpcClient(socket, { keepaliveIntervalMs: 0 });
    cleanups.push(() => {
      socket.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const daemon = await peer;
    const calls = [1, 2, 3].map(() =>
      rpc.callDecoded(REMOTE_PROGRAM, 59, undefined, (body) => {
        const r = new XdrReader(body);
        return [r.int(), r.int()];
      }),
    );
    const bytes = Buffer.concat([reply(1, [10, 11]), reply(2, [20, 21]), reply(3, [30, 31])]);
    // Two replies and a half in one write, the rest later: the half must survive the reuse.
    daemon.write(bytes.subarray(0, 80));
    await new Promise((r) => setTimeout(r, 20));
    daemon.write(bytes.subarray(80));
    expect(await Promise.all(calls)).toEqual([
      [10, 11],
      [20, 21],
      [30, 31],
    ]);
    const raw = rpc.call(REMOTE_PROGRAM, 59);
    daemon.write(reply(4, [40]));
    const body = await raw;
    daemon.write(reply(5, [50]).subarray(0, 10));
    await new Promise((r) => setTimeout(r, 20));
    // call() hands back a copy, untouched by later reads into the shared buffer.
    expect(body.readInt32BE(0)).toBe(40);
  });
});
