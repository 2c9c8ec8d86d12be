import { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LibvirtClosedError,
  LibvirtError,
  LibvirtProtocolError,
  LibvirtTimeoutError,
} from '../../../src/collector/libvirt/errors';
import { encodePacket } from '../../../src/collector/libvirt/packet';
import { KEEPALIVE_PROGRAM, REMOTE_PROGRAM } from '../../../src/collector/libvirt/protocol';
import { RpcClient } from '../../../src/collector/libvirt/rpc-client';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';
import { startFakePeer, type FakePeer } from './fake-peer';

const str = (s: string) => new XdrWriter().string(s, 1000).bytes();

describe('RpcClient against a scripted peer', () => {
  let fake: FakePeer;
  let rpc: RpcClient;

  beforeEach(async () => {
    fake = await startFakePeer();
    rpc = new RpcClient(fake.client, { callTimeoutMs: 2_000, keepaliveIntervalMs: 0 });
  });
  afterEach(async () => {
    await fake.dispose();
  });

  it('matches replies to calls by serial, several in flight, answered out of order', async () => {
    const a = rpc.call(REMOTE_PROGRAM, 59);
    const b = rpc.call(REMOTE_PROGRAM, 59);
    const c = rpc.call(REMOTE_PROGRAM, 59);
    const calls = [await fake.next(), await fake.next(), await fake.next()];
    expect(calls.map((p) => p.header.type)).toEqual([0, 0, 0]);
    expect(new Set(calls.map((p) => p.header.serial)).size).toBe(3);
    fake.reply(calls[2]!, str('c'));
    fake.reply(calls[0]!, str('a'));
    fake.reply(calls[1]!, str('b'));
    const texts = (await Promise.all([a, b, c])).map((body) => new XdrReader(body).string(10));
    expect(texts).toEqual(['a', 'b', 'c']);
  });

  it('turns remote_error into a LibvirtError with code, domain and message', async () => {
    const pending = rpc.call(REMOTE_PROGRAM, 24);
    const call = await fake.next();
    const w = new XdrWriter()
      .int(42)
      .int(10)
      .optional('Domain not found: no domain with matching uuid', (ww, s) => ww.string(s, 1000));
    w.int(2).bool(false).bool(false).bool(false).bool(false).int(0).int(0).bool(false);
    fake.reply(call, w.bytes(), 1);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibvirtError);
    expect(error).toMatchObject({ code: 42, domain: 10, level: 2 });
    expect((error as Error).message).toBe(
      'libvirt error 42 (VIR_ERR_NO_DOMAIN): Domain not found: no domain with matching uuid',
    );
    expect(rpc.isClosed).toBe(false);
  });

  it('times out a call the peer never answers, stays usable, ignores the late reply', async () => {
    const started = Date.now();
    const silent = rpc.call(REMOTE_PROGRAM, 59, undefined, 150);
    const first = await fake.next();
    await expect(silent).rejects.toBeInstanceOf(LibvirtTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
    fake.reply(first, str('late'));
    const next = rpc.call(REMOTE_PROGRAM, 59);
    fake.reply(await fake.next(), str('ok'));
    expect(new XdrReader(await next).string(10)).toBe('ok');
  });

  const fatal: [string, (f: FakePeer) => void, RegExp][] = [
    [
      'a truncated packet',
      (f) => {
        f.send(
          encodePacket(
            { program: REMOTE_PROGRAM, procedure: 59, type: 1, serial: 1, status: 0 },
            Buffer.alloc(40),
          ).subarray(0, 30),
        );
        f.peer.end();
      },
      /middle of a packet/,
    ],
    [
      'an oversized length',
      (f) => f.send(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0])),
      /outside/,
    ],
    [
      'a wrong program number',
      (f) =>
        f.send(encodePacket({ program: 0x12345678, procedure: 1, type: 1, serial: 1, status: 0 })),
      /unknown program 0x12345678/,
    ],
    ['garbage', (f) => f.send(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), /outside/],
    [
      'a wrong protocol version',
      (f) =>
        f.send(
          encodePacket({
            program: REMOTE_PROGRAM,
            version: 7,
            procedure: 59,
            type: 1,
            serial: 1,
            status: 0,
          }),
        ),
      /version 7/,
    ],
  ];
  for (const [what, misbehave, message] of fatal) {
    it(`closes on ${what}, rejecting every pending call with a LibvirtProtocolError`, async () => {
      const calls = [rpc.call(REMOTE_PROGRAM, 59), rpc.call(REMOTE_PROGRAM, 6)];
      await fake.next();
      await fake.next();
      misbehave(fake);
      for (const call of calls) {
        const error = await call.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LibvirtProtocolError);
        expect((error as Error).message).toMatch(message);
      }
      expect(rpc.isClosed).toBe(true);
      expect(rpc.closeReason).toBeInstanceOf(LibvirtProtocolError);
      await fake.closed;
      await expect(rpc.call(REMOTE_PROGRAM, 59)).rejects.toBeInstanceOf(LibvirtProtocolError);
    });
  }

  it('reports the peer hanging up as a closed connection', async () => {
    const pending = rpc.call(REMOTE_PROGRAM, 59);
    await fake.next();
    const closed = new Promise((resolve) => rpc.onClose(resolve));
    fake.peer.end();
    await expect(pending).rejects.toBeInstanceOf(LibvirtClosedError);
    expect(await closed).toBeInstanceOf(LibvirtClosedError);
  });

  it('routes event messages to the subscribers of their procedure', async () => {
    const seen: number[] = [];
    rpc.onMessage(REMOTE_PROGRAM, 318, ({ body }) => seen.push(new XdrReader(body).int()));
    fake.event(318, new XdrWriter().int(7).bytes());
    fake.event(323, new XdrWriter().int(8).bytes());
    fake.event(318, new XdrWriter().int(9).bytes());
    const sync = rpc.call(REMOTE_PROGRAM, 59);
    fake.reply(await fake.next(), str('x'));
    await sync;
    expect(seen).toEqual([7, 9]);
  });

  it('answers a keepalive PING with a PONG', async () => {
    fake.send(
      encodePacket({ program: KEEPALIVE_PROGRAM, procedure: 1, type: 2, serial: 0, status: 0 }),
    );
    const pong = await fake.next();
    expect(pong.header).toMatchObject({ program: KEEPALIVE_PROGRAM, procedure: 2, type: 2 });
  });

  it('closes cleanly: the stream ends and later calls reject as closed', async () => {
    await rpc.close();
    await fake.closed;
    expect(rpc.closeReason).toBeNull();
    await expect(rpc.call(REMOTE_PROGRAM, 59)).rejects.toBeInstanceOf(LibvirtClosedError);
  });
});

describe('RpcClient keepalive', () => {
  it('pings an idle peer and declares it dead after the allowed misses', async () => {
    const fake = await startFakePeer();
    try {
      const rpc = new RpcClient(fake.client, { keepaliveIntervalMs: 50, keepaliveCount: 2 });
      const pending = rpc.call(REMOTE_PROGRAM, 59, undefined, 10_000);
      await fake.next();
      const ping = await fake.next();
      expect(ping.header).toMatchObject({ program: KEEPALIVE_PROGRAM, procedure: 1, type: 2 });
      const error = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LibvirtTimeoutError);
      expect((error as Error).message).toMatch(/peer is dead/);
      expect(fake.received.filter((p) => p.header.program === KEEPALIVE_PROGRAM)).toHaveLength(2);
      expect(rpc.isClosed).toBe(true);
    } finally {
      await fake.dispose();
    }
  });

  it('keeps a peer that answers pings alive', async () => {
    const fake = await startFakePeer();
    try {
      const rpc = new RpcClient(fake.client, { keepaliveIntervalMs: 30, keepaliveCount: 2 });
      fake.peer.on('data', () =>
        fake.send(
          encodePacket({ program: KEEPALIVE_PROGRAM, procedure: 2, type: 2, serial: 0, status: 0 }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(rpc.isClosed).toBe(false);
      expect(fake.received.length).toBeGreaterThanOrEqual(3);
      await rpc.close();
    } finally {
      await fake.dispose();
    }
  });
});

describe('RpcClient.close', () => {
  it('returns even when the stream never reports closing (as ssh2 channels may)', async () => {
    const stuck = new Duplex({
      read() {},
      write(_chunk, _encoding, callback) {
        callback();
      },
      final() {},
      destroy() {},
    });
    const rpc = new RpcClient(stuck, { keepaliveIntervalMs: 0 });
    const started = Date.now();
    await rpc.close(100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(rpc.isClosed).toBe(true);
  });
});
