import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ContractError, EventHub, HTTP_REQUEST_PATH, WS_PATH } from '../shared/contract';
import type { InternalErrorSink, PublishEvent, RequestHandlers } from '../shared/contract';
import { answerRequest, MAX_REQUEST_BYTES } from './answer-request';
import { answerStatic } from './answer-static';
import { answerWsFrame } from './answer-ws-frame';
import { checkExposure } from './exposure';
import { ListenError } from './listen-error';
import { isAuthorized } from './request-auth';
import { allowedHostHeaders, checkRequestOrigin } from './request-guard';
import type { ServeScheme } from './request-guard';
import { setSecurityHeaders } from './security-headers';
import { badRequest, sendJson } from './send-json';
import { createServeToken } from './serve-token';
import { answerTokenExchange, TOKEN_PARAM } from './token-exchange';

/** GET: 200 for a caller holding the token; what a script or a monitor probes. */
export const HEALTH_PATH = '/api/health';

/** Everything under it needs the token; everything else is the renderer's files. */
const API_PREFIX = '/api/';

/** How long close() waits for pages to acknowledge the WebSocket close. */
const WS_CLOSE_GRACE_MS = 1000;

export interface TlsFiles {
  /** PEM certificate chain. */
  cert: Buffer;
  /** PEM private key of the certificate. */
  key: Buffer;
}

export interface ServeOptions {
  /** Address to bind: loopback, or any single address when tls is given. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The SQLite history the backend behind the handlers keeps; the server never opens it. */
  dbPath?: string;
  handlers: RequestHandlers;
  /**
   * The pages' subscriptions: each WebSocket is one page, attached here, and what the
   * backend publishes to this hub reaches the pages subscribed to its topic.
   */
  events?: EventHub;
  /** Serves https and wss; required for an address beyond loopback. */
  tls?: TlsFiles;
  /** The token to require; a fresh random one when absent. */
  token?: string;
  onInternalError?: InternalErrorSink;
}

export interface RunningServer {
  /** Where the console is, e.g. http://127.0.0.1:8080/ (no token). */
  url: string;
  /** The URL to open in a browser: url with the token, which the page trades for a cookie. */
  openUrl: string;
  /** What every API route and the WebSocket require, as a cookie or `Authorization: Bearer`. */
  token: string;
  /** The address the listener bound, as the socket reports it (127.0.0.1, ::1, ...). */
  address: string;
  port: number;
  /** Sends an event to the pages subscribed to its topic (every page for app.stopping). */
  publish: PublishEvent;
  /** The hub the pages are attached to. */
  events: EventHub;
  /** Stops listening, lets WebSockets close (1 s at most) and drops open connections. */
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

function createListener(tls: TlsFiles | undefined, handler: Handler): Server {
  if (tls === undefined) return createServer(handler);
  try {
    return createTlsServer({ cert: tls.cert, key: tls.key }, handler);
  } catch (error) {
    // OpenSSL's words ('no start line', 'key values mismatch') name what is wrong.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ListenError('bad-tls', `cannot use the TLS certificate and key: ${reason}`);
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${host}:${port}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new ListenError('port-in-use', `cannot listen on ${where}: the port is in use`)
          : new ListenError('cannot-listen', `cannot listen on ${where}: ${error.message}`),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function refuseUpgrade(socket: Duplex, status: string, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`,
  );
}

/** 401 by status; the body keeps to the contract's error codes, which a client unwraps. */
function unauthorized(response: ServerResponse): void {
  response.setHeader('WWW-Authenticate', 'Bearer realm="setmov"');
  sendJson(response, 401, {
    error: {
      code: 'forbidden',
      message: 'this needs the token of the URL `setmov serve` printed (cookie or Bearer)',
    },
  });
}

/**
 * `setmov serve`: the built renderer plus the contract over HTTP (POST /api/request)
 * and a WebSocket (/api/ws), answered by the same dispatch as Electron's IPC. The
 * renderer's files are public; everything under /api/ needs the token.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? createServeToken();
  const scheme: ServeScheme = options.tls === undefined ? 'http:' : 'https:';
  // Known once listening; until then no request can arrive.
  let allowedHosts = new Set<string>();
  let boundPort = 0;

  const events = options.events ?? new EventHub();
  // A subscription belongs to one page: it is made on that page's socket, not over POST.
  const httpHandlers: RequestHandlers = {
    ...options.handlers,
    'events.subscribe': () => {
      throw new ContractError(
        'bad-request',
        `events.subscribe is answered on the WebSocket (${WS_PATH}): it is the page's own`,
      );
    },
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  wss.on('connection', (socket) => {
    // A frame over maxPayload or an unmasked one is an 'error' here: ws has already sent
    // the close (1009, 1002) and ends the connection; without a listener it ended the process.
    socket.on('error', () => undefined);
    const page = events.attach((_name, _payload, frame) => {
      if (socket.readyState === socket.OPEN) socket.send(frame());
    });
    socket.on('close', () => page.detach());
    const handlers: RequestHandlers = {
      ...options.handlers,
      'events.subscribe': ({ topics }) => ({ topics: page.setTopics(topics) }),
    };
    socket.on('message', (data) => answerWsFrame(socket, data, handlers, options.onInternalError));
  });

  function answerApi(request: IncomingMessage, response: ServerResponse, pathname: string) {
    if (!isAuthorized(request.headers, token, boundPort)) return unauthorized(response);
    if (pathname === HTTP_REQUEST_PATH) {
      return answerRequest(request, response, httpHandlers, options.onInternalError);
    }
    if (pathname === HEALTH_PATH) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('Allow', 'GET, HEAD');
        return sendJson(response, 405, badRequest(`${HEALTH_PATH} takes GET`));
      }
      return sendJson(response, 200, { ok: { status: 'up' } });
    }
    return sendJson(response, 404, badRequest(`no such endpoint ${pathname}`));
  }

  const server = createListener(options.tls, (request, response) => {
    setSecurityHeaders(response);
    const verdict = checkRequestOrigin(request.headers, allowedHosts, scheme);
    if (!verdict.ok) {
      sendJson(response, 403, { error: { code: 'forbidden', message: verdict.reason } });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const { pathname } = url;
    let answer: Promise<void> | void;
    if (pathname.startsWith(API_PREFIX)) {
      answer = answerApi(request, response, pathname);
    } else if (url.searchParams.has(TOKEN_PARAM) && request.method === 'GET') {
      answer = answerTokenExchange(response, url, token, boundPort, scheme === 'https:');
    } else {
      answer = answerStatic(request, response, pathname, options.rendererDir);
    }
    Promise.resolve(answer).catch((error: unknown) => {
      options.onInternalError?.(pathname, error);
      if (!response.headersSent) {
        sendJson(response, 500, { error: { code: 'internal', message: 'internal error' } });
      } else {
        response.destroy();
      }
    });
  });

  server.on('upgrade', (request, socket, head) => {
    // Node drops its own error listener from a socket it hands over for an upgrade; a
    // peer resetting while it is refused would otherwise be an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== WS_PATH) return refuseUpgrade(socket, '404 Not Found', 'no such endpoint');
    // Origin first: a page of another site must not learn even whether its cookie worked.
    const verdict = checkRequestOrigin(request.headers, allowedHosts, scheme);
    if (!verdict.ok) return refuseUpgrade(socket, '403 Forbidden', verdict.reason);
    if (!isAuthorized(request.headers, token, boundPort)) {
      return refuseUpgrade(socket, '401 Unauthorized', 'this needs the token (cookie or Bearer)');
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  await listen(server, options.host, options.port);
  const { address, port } = server.address() as AddressInfo;
  const exposure = checkExposure(options.host, address, options.tls !== undefined);
  if (!exposure.ok) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw new ListenError(exposure.code, exposure.message);
  }
  allowedHosts = allowedHostHeaders(options.host, address, port);
  boundPort = port;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${scheme}//${urlHost}:${port}/`;

  return {
    url,
    openUrl: `${url}?${TOKEN_PARAM}=${token}`,
    token,
    address,
    port,
    publish: events.publish,
    events,
    close: async () => {
      // A graceful close lets frames already sent (app.stopping) reach the pages.
      const closing = [...wss.clients].map(
        (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
      );
      for (const client of wss.clients) client.close(1001, 'server stopping');
      const grace = new Promise<void>((resolve) => setTimeout(resolve, WS_CLOSE_GRACE_MS).unref());
      await Promise.race([Promise.all(closing), grace]);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
