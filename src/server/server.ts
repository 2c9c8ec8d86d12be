import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { dispatch, HTTP_REQUEST_PATH, WS_PATH } from '../shared/contract';
import type {
  InternalErrorSink,
  PublishEvent,
  Reply,
  RequestHandlers,
  WsEventFrame,
  WsReplyFrame,
} from '../shared/contract';
import { BodyTooLargeError, readBody } from './read-body';
import { ListenError } from './listen-error';
import { allowedHostHeaders, checkRequestOrigin, isWildcardAddress } from './request-guard';
import { setSecurityHeaders } from './security-headers';
import { readStaticFile } from './static-files';

/** Requests are a name and a few params; anything bigger is not ours. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** How long close() waits for pages to acknowledge the WebSocket close. */
const WS_CLOSE_GRACE_MS = 1000;

export interface ServeOptions {
  /** Address to bind; a loopback address unless the admin asks otherwise. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  handlers: RequestHandlers;
  onInternalError?: InternalErrorSink;
}

export interface RunningServer {
  /** Where the console is, e.g. http://127.0.0.1:8080/ */
  url: string;
  /** The address the listener bound, as the socket reports it (127.0.0.1, ::1, ...). */
  address: string;
  port: number;
  /** Sends an event to every page connected over the WebSocket. */
  publish: PublishEvent;
  /** Stops listening, lets WebSockets close (1 s at most) and drops open connections. */
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(JSON.stringify(body));
}

function badRequest(message: string): Reply<never> {
  return { error: { code: 'bad-request', message } };
}

async function answerRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServeOptions,
): Promise<void> {
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    return sendJson(response, 405, badRequest(`${HTTP_REQUEST_PATH} takes POST`));
  }
  // A form or no-cors fetch cannot send JSON; requiring it keeps cross-site posts out.
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    return sendJson(response, 415, badRequest('the body must be application/json'));
  }
  let text: string;
  try {
    text = await readBody(request, MAX_REQUEST_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    response.setHeader('Connection', 'close');
    return sendJson(response, 413, badRequest(error.message));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return sendJson(response, 400, badRequest('the body is not valid JSON'));
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return sendJson(response, 400, badRequest('the body must be {"name": ..., "params": ...}'));
  }
  const { name, params } = body as { name?: unknown; params?: unknown };
  sendJson(response, 200, await dispatch(options.handlers, name, params, options.onInternalError));
}

async function answerStatic(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  rendererDir: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    response.statusCode = 405;
    response.end();
    return;
  }
  const file = await readStaticFile(rendererDir, pathname);
  if (!file) {
    response.statusCode = 404;
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.end('not found\n');
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Content-Length', file.body.length);
  response.setHeader(
    'Cache-Control',
    file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

function answerWsFrame(socket: WebSocket, data: RawData, options: ServeOptions): void {
  let frame: unknown;
  try {
    frame = JSON.parse(data.toString());
  } catch {
    frame = undefined;
  }
  const { id, name, params } = (frame ?? {}) as { id?: unknown; name?: unknown; params?: unknown };
  if (typeof id !== 'number' && typeof id !== 'string') {
    const reply: WsReplyFrame = {
      id: null,
      reply: badRequest('a frame is {"id", "name", "params"}'),
    };
    socket.send(JSON.stringify(reply));
    return;
  }
  void dispatch(options.handlers, name, params, options.onInternalError).then((reply) => {
    const answer: WsReplyFrame = { id, reply };
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(answer));
  });
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

/**
 * `setmov serve`: the built renderer plus the contract over HTTP (POST /api/request)
 * and a WebSocket (/api/ws), answered by the same dispatch as Electron's IPC.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  let allowedHosts = new Set<string>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  wss.on('connection', (socket) => {
    // A frame over maxPayload or an unmasked one is an 'error' here: ws has already sent
    // the close (1009, 1002) and ends the connection; without a listener it ended the process.
    socket.on('error', () => undefined);
    socket.on('message', (data) => answerWsFrame(socket, data, options));
  });

  const server = createServer((request, response) => {
    setSecurityHeaders(response);
    const verdict = checkRequestOrigin(request.headers, allowedHosts);
    if (!verdict.ok) {
      sendJson(response, 403, { error: { code: 'forbidden', message: verdict.reason } });
      return;
    }
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const answer =
      pathname === HTTP_REQUEST_PATH
        ? answerRequest(request, response, options)
        : answerStatic(request, response, pathname, options.rendererDir);
    answer.catch((error: unknown) => {
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
    const verdict = checkRequestOrigin(request.headers, allowedHosts);
    if (!verdict.ok) return refuseUpgrade(socket, '403 Forbidden', verdict.reason);
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  await listen(server, options.host, options.port);
  const { address, port } = server.address() as AddressInfo;
  if (isWildcardAddress(address)) {
    // Only the bound address tells: '0', '0.0', '', '0:0::0' all end up here.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw new ListenError(
      'wildcard-address',
      `'${options.host}' listens on every address (${address}); give one address, e.g. 127.0.0.1`,
    );
  }
  allowedHosts = allowedHostHeaders(options.host, address, port);
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${urlHost}:${port}/`,
    address,
    port,
    publish: (name, payload) => {
      const frame: WsEventFrame = { event: name, payload };
      const text = JSON.stringify(frame);
      for (const client of wss.clients) {
        if (client.readyState === client.OPEN) client.send(text);
      }
    },
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
