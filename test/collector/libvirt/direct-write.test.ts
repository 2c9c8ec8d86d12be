import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDirect } from '../../../src/collector/libvirt/direct-write';

/** A connected pair of unix sockets: ours and the peer's end. */
async function socketPair(cleanups: (() => void)[]): Promise<{ ours: Socket; peer: Socket }> {
  const dir = mkdtempSync(join(tmpdir(), 'lv-direct-'));
  const path = join(dir, 'sock');
  const server: Server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const ours = connect({ path });
  await new Promise((resolve) => ours.once('connect', resolve));
  const peer = await accepted;
  cleanups.push(() => {
    ours.destroy();
    peer.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { ours, peer };
}

function collect(stream: Socket, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      if (have >= bytes) resolve(Buffer.concat(chunks));
    });
  });
}

describe('writeDirect', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it('keeps the byte order when a full socket buffer sends the rest through the stream', async () => {
    const { ours, peer } = await socketPair(cleanups);
    peer.pause();
    // 64 KiB messages, each filled with its own index, until the kernel refuses (EAGAIN) and
    // the stream queues; then more, all of which must queue behind the first queued one.
    const messages: Buffer[] = [];
    for (let i = 0; messages.length < 200 && (i < 8 || ours.writableLength === 0); i++) {
      const message = Buffer.alloc(64 * 1024, i & 0xff);
      message.writeUInt32BE(i, 0);
      messages.push(message);
      writeDirect(ours, message);
    }
    expect(ours.writableLength).toBeGreaterThan(0);
    const queuedFrom = messages.length;
    for (let i = queuedFrom; i < queuedFrom + 4; i++) {
      const message = Buffer.alloc(1000, i & 0xff);
      message.writeUInt32BE(i, 0);
      messages.push(message);
      writeDirect(ours, message);
    }
    const expected = Buffer.concat(messages);
    const received = collect(peer, expected.length);
    peer.resume();
    expect((await received).equals(expected)).toBe(true);
    // What went straight to the descriptor bypassed the stream's counter; the rest did not.
    expect(ours.bytesWritten).toBeGreaterThan(0);
    expect(ours.bytesWritten).toBeLessThan(expected.length);
  });

  it('writes through the stream when there is no descriptor under it', async () => {
    const stream = new PassThrough();
    writeDirect(stream, Buffer.from('abc'));
    writeDirect(stream, Buffer.from('def'));
    expect((stream.read() as Buffer).toString()).toBe('abcdef');
  });

  it('leaves a broken connection for the stream to report', async () => {
    const { ours, peer } = await socketPair(cleanups);
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => ours.once('error', resolve));
    // The peer's descriptor closes at once; ours has not read the EOF yet, so the stream still
    // looks open and the direct write meets EPIPE, which the stream's own write then reports.
    peer.destroy();
    writeDirect(ours, Buffer.alloc(4096));
    expect(await failed).toMatchObject({ code: 'EPIPE' });
  });
});
