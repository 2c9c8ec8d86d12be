import type { WebSocketServer, WebSocket } from 'ws';

/**
 * Pings every page each intervalMs and ends one that has not answered the previous
 * ping: a laptop that slept or a peer that vanished leaves a socket TCP would keep for
 * hours, and each holds a descriptor and the page's subscriptions. Returns the stop.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  const awaitingPong = new WeakSet<WebSocket>();
  const watched = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (!watched.has(socket)) {
        watched.add(socket);
        socket.on('pong', () => awaitingPong.delete(socket));
      }
      if (awaitingPong.has(socket)) {
        socket.terminate();
        continue;
      }
      awaitingPong.add(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
