/**
 * What one client may hold of the server, so that no client (a stuck page, a script, a
 * scanner) can stall it for the others or run it out of memory or file descriptors.
 * Defaults fit a team console: a few dozen pages, each a handful of sockets.
 */
export interface ServeLimits {
  /** Open TCP connections; the one over it gets a 503 and is closed. */
  maxConnections: number;
  /** A request's headers must have arrived by then (slowloris). */
  headersTimeoutMs: number;
  /** A whole request, body included, must have arrived by then. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after it. */
  keepAliveTimeoutMs: number;
  /** Each WebSocket is pinged this often; one that has not answered the last is ended. */
  pingIntervalMs: number;
  /** A page's requests dispatched whose reply is not flushed yet; at it its socket is not read. */
  maxInFlight: number;
  /** Bytes waiting to be sent to a page above which it is sent no events. */
  skipEventsBytes: number;
  /** Bytes waiting to be sent to a page above which its socket is closed. */
  closeBytes: number;
}

export const DEFAULT_SERVE_LIMITS: ServeLimits = {
  maxConnections: 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  pingIntervalMs: 30_000,
  maxInFlight: 32,
  skipEventsBytes: 1024 * 1024,
  closeBytes: 16 * 1024 * 1024,
};
