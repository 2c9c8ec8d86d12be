import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused client is told to wait before it tries again. */
const RETRY_AFTER_SEC = 5;

const OVER_CAP_BODY = `too many connections; retry in ${RETRY_AFTER_SEC} s\n`;
const OVER_CAP =
  'HTTP/1.1 503 Service Unavailable\r\n' +
  `Retry-After: ${RETRY_AFTER_SEC}\r\n` +
  'Connection: close\r\nContent-Type: text/plain\r\n' +
  `Content-Length: ${Buffer.byteLength(OVER_CAP_BODY)}\r\n\r\n${OVER_CAP_BODY}`;

/**
 * Keeps at most max connections open. Each holds a file descriptor the collector needs
 * too (its /proc reads, its SSH sessions): without a cap, a client opening connections
 * and never finishing a request would run the whole process out of them. The one over
 * the cap is answered 503 and closed (over TLS it is closed: it has no session to
 * answer on yet). Returns whether a socket was refused, so its request goes unanswered.
 */
export function capConnections(server: Server, max: number, tls: boolean): (s: Socket) => boolean {
  const refused = new WeakSet<Socket>();
  let open = 0;
  // Before the http server's own listener: the TLS server wraps the socket in it.
  server.prependListener('connection', (socket: Socket) => {
    if (open >= max) {
      refused.add(socket);
      if (tls) socket.destroy();
      else socket.end(OVER_CAP, () => socket.destroy());
      return;
    }
    open += 1;
    socket.once('close', () => (open -= 1));
  });
  return (socket) => refused.has(socket);
}
