import { writeSync } from 'node:fs';
import type { Duplex } from 'node:stream';

/**
 * The descriptor under a net.Socket: libuv's stream handle exposes it as `fd` on POSIX. -1 for
 * any other stream (an ssh2 channel, a TLS socket, Windows) and for a closed socket.
 */
function socketFd(stream: Duplex): number {
  const handle = (stream as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

/**
 * Writes `bytes` to a socket's descriptor at once when nothing is queued ahead of them, and
 * hands whatever the kernel did not take (all of it on EAGAIN or an error, which the stream
 * then reports as usual) to `stream.write`. A poll sends one small call and sleeps until the
 * reply: Writable's path for that write (buffering state, the write request, a nextTick for
 * the callback) runs once per poll, too rarely for V8 to optimise it, and it was the largest
 * part of the client's own JavaScript per poll after the decoding. Bytes written here are not
 * counted in `socket.bytesWritten`. `bytes` may be reused by the caller once this returns only
 * if `stream.writableLength` is still 0.
 */
export function writeDirect(stream: Duplex, bytes: Buffer): void {
  let rest = bytes;
  if (stream.writableLength === 0 && !stream.writableEnded && !stream.destroyed) {
    const fd = socketFd(stream);
    if (fd >= 0) {
      let written = 0;
      try {
        written = writeSync(fd, bytes);
      } catch {
        // EAGAIN (a full socket buffer) or a broken connection: the stream's own write below
        // waits for room or emits the error, as it would have without this shortcut.
      }
      if (written === bytes.length) return;
      rest = bytes.subarray(written);
    }
  }
  stream.write(rest);
}
