import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Large enough for a typical all-domain-stats reply in one read. */
const READ_BUFFER_BYTES = 64 * 1024;

type Sink = (chunk: Buffer) => void;

const sinks = new WeakMap<Duplex, Sink>();
/** Bytes a static-read socket received before takeStaticReads claimed it. */
const earlyChunks = new WeakMap<Duplex, Buffer[]>();

/**
 * A socket that reads into one reused buffer (net's `onread`) instead of a fresh Buffer and a
 * 'data' event per read: in a poll loop that allocation and the stream machinery were a large
 * part of the client's CPU. Chunks handed to the sink are only valid during the call. 'end',
 * 'close' and 'error' are emitted as on any socket.
 */
export function connectStaticReads(options: NetConnectOpts): Socket {
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const socket: Socket = netConnect({
    ...options,
    onread: {
      buffer,
      callback: (bytes: number) => {
        (sinks.get(socket) as Sink)(buffer.subarray(0, bytes));
        return true;
      },
    },
  });
  const early: Buffer[] = [];
  earlyChunks.set(socket, early);
  sinks.set(socket, (chunk) => early.push(Buffer.from(chunk)));
  return socket;
}

/**
 * Routes a static-read socket's bytes to `sink`, replaying what came early. False for any
 * other stream, whose bytes come as 'data' events instead.
 */
export function takeStaticReads(stream: Duplex, sink: Sink): boolean {
  const early = earlyChunks.get(stream);
  if (!early) return false;
  earlyChunks.delete(stream);
  sinks.set(stream, sink);
  for (const chunk of early) sink(chunk);
  return true;
}
