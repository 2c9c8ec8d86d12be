import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ContractError, EventHub, HTTP_REQUEST_PATH, WS_PATH } from '../shared/contract';
import type { InternalErrorSink, PublishEvent, RequestHandlers, Role } from '../shared/contract';
import { answerRequest, MAX_REQUEST_BYTES } from './answer-request';
import { answerStatic } from './answer-static';
import { answerWsFrame } from './answer-ws-frame';
import { capConnections } from './connection-cap';
import { checkExposure } from './exposure';
import { ListenError } from './listen-error';
import { roleOf } from './request-auth';
import type { ServeTokens } from './request-auth';
import { allowedHostHeaders, checkRequestOrigin } from './request-guard';
import type { ServeScheme } from './request-guard';
import { setSecurityHeaders } from './security-headers';
import { badRequest, sendJson } from './send-json';
import { DEFAULT_SERVE_LIMITS } from './serve-limits';
import type { ServeLimits } from './serve-limits';
import { createServeToken } from './serve-token';
import { answerTokenExchange, TOKEN_PARAM } from './token-exchange';
import { startHeartbeat } from './ws-heartbeat';
import { WsPageFlow } from './ws-page-flow';

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
  /** The admin's token; a fresh random one when absent. */
  token?: string;
  /** The viewer's token (read-only requests); a fresh random one when absent. */
  viewerToken?: string;
  /** What one client may hold of the server; the defaults where absent. */
  limits?: Partial<ServeLimits>;
  onInternalError?: InternalErrorSink;
}

export interface RunningServer {
  /** Where the console is, e.g. http://127.0.0.1:8080/ (no token). */
  url: string;
  /** The admin's URL to open in a browser: url with the token, which the page trades for a cookie. */
  openUrl: string;
  /** The viewer's URL: url with the viewer's token. */
  viewerUrl: string;
  /**
   * The admin's token: every API route and the WebSocket require it or the viewer's, as
   * a cookie or `Authorization: Bearer`.
   */
  token: string;
  /** The viewer's token: the read-only requests only. */
  viewerToken: string;
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

/**
 * A half-sent request is dropped once headersTimeoutMs has passed; Node checks for such
 * requests on this interval (30 s by default, which would let one live 40 s).
 */
function timeouts(limits: ServeLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, limits.headersTimeoutMs / 4)),
  };
}

function createListener(tls: TlsFiles | undefined, limits: ServeLimits, handler: Handler): Server {
  if (tls === undefined) return createServer(timeouts(limits), handler);
  try {
    return createTlsServer({ cert: tls.cert, key: tls.key, ...timeouts(limits) }, handler);
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
  const tokens: ServeTokens = {
    admin: options.token ?? createServeToken(),
    viewer: options.viewerToken ?? createServeToken(),
  };
  const limits: ServeLimits = { ...DEFAULT_SERVE_LIMITS, ...options.limits };
  const scheme: ServeScheme = options.tls === undefined ? 'http:' : 'https:';
  // Known once listening; until then no request can arrive.
  let allowedHosts = new Set<string>();
  let boundPort = 0;

  const events = options.events ?? new EventHub();
  // A subscription belongs to one page: it is made on that page's socket, not over POST.
  const httpHandlers = (role: Role): RequestHandlers => ({
    ...options.handlers,
    'app.session': () => ({ role }),
    'events.subscribe': () => {
      throw new ContractError(
        'bad-request',
        `events.subscribe is answered on the WebSocket (${WS_PATH}): it is the page's own`,
      );
    },
  });
  const httpHandlersOf: Record<Role, RequestHandlers> = {
    admin: httpHandlers('admin'),
    viewer: httpHandlers('viewer'),
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  /** The open pages' flows: their events waiting are sent before the server closes. */
  const flows = new Set<WsPageFlow>();
  wss.on('connection', (socket, request: IncomingMessage) => {
    // A frame over maxPayload or an unmasked one is an 'error' here: ws has already sent
    // the close (1009, 1002) and ends the connection; without a listener it ended the process.
    socket.on('error', () => undefined);
    // The upgrade was refused without a role; this is the one the token gave.
    const role = roleOf(request.headers, tokens, boundPort) ?? 'viewer';
    const handlers: RequestHandlers = {
      ...options.handlers,
      'app.session': () => ({ role }),
      'events.subscribe': ({ topics }) => ({ topics: page.setTopics(topics) }),
    };
    const flow = new WsPageFlow(socket, limits, (data) =>
      answerWsFrame(data, handlers, role, options.onInternalError),
    );
    const page = events.attach((_name, _payload, frame) => flow.event(frame));
    flows.add(flow);
    socket.on('close', () => {
      page.detach();
      flows.delete(flow);
    });
    socket.on('message', (data) => flow.received(data));
  });

  function answerApi(request: IncomingMessage, response: ServerResponse, pathname: string) {
    const role = roleOf(request.headers, tokens, boundPort);
    if (role === null) return unauthorized(response);
    if (pathname === HTTP_REQUEST_PATH) {
      return answerRequest(request, response, httpHandlersOf[role], role, options.onInternalError);
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

  const server = createListener(options.tls, limits, (request, response) => {
    if (wasRefused(request.socket)) return;
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
      answer = answerTokenExchange(response, url, tokens, boundPort, scheme === 'https:');
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

  const wasRefused = capConnections(server, limits.maxConnections, options.tls !== undefined);

  server.on('upgrade', (request, socket, head) => {
    // Node drops its own error listener from a socket it hands over for an upgrade; a
    // peer resetting while it is refused would otherwise be an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== WS_PATH) return refuseUpgrade(socket, '404 Not Found', 'no such endpoint');
    // Origin first: a page of another site must not learn even whether its cookie worked.
    const verdict = checkRequestOrigin(request.headers, allowedHosts, scheme);
    if (!verdict.ok) return refuseUpgrade(socket, '403 Forbidden', verdict.reason);
    if (roleOf(request.headers, tokens, boundPort) === null) {
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
  const stopHeartbeat = startHeartbeat(wss, limits.pingIntervalMs);
  allowedHosts = allowedHostHeaders(options.host, address, port);
  boundPort = port;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${scheme}//${urlHost}:${port}/`;

  return {
    url,
    openUrl: `${url}?${TOKEN_PARAM}=${tokens.admin}`,
    viewerUrl: `${url}?${TOKEN_PARAM}=${tokens.viewer}`,
    token: tokens.admin,
    viewerToken: tokens.viewer,
    address,
    port,
    publish: events.publish,
    events,
    close: async () => {
      stopHeartbeat();
      // A graceful close lets frames already sent (app.stopping) reach the pages.
      for (const flow of flows) flow.sendEvents();
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
