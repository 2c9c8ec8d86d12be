import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { SECOND_MS } from '../shared/time-ms';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text';

export interface MetricsServer {
  /** http://127.0.0.1:9464/metrics */
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  /** A loopback address (the configuration refuses others). */
  address: string;
  port: number;
  /** The exposition, made anew for each scrape. */
  render: () => string;
}

/** A request that carries a body: none is read, and its connection is not kept. */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

function answer(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
  withBody: boolean,
): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(withBody ? body : undefined);
}

/**
 * GET /metrics (and HEAD) in the Prometheus text format, as node_exporter serves it;
 * every other path is 404, every other method 405. Nothing is read from a request but
 * its first line and headers: one with a body is answered and its connection closed, so
 * the body is never taken in.
 */
function handle(request: IncomingMessage, response: ServerResponse, render: () => string): void {
  const method = request.method ?? '';
  const path = (request.url ?? '').split('?', 1)[0];
  const body = hasBody(request);
  const close: Record<string, string> = body ? { Connection: 'close' } : {};
  if (body) response.once('finish', () => request.socket.destroy());
  if (method !== 'GET' && method !== 'HEAD') {
    answer(response, 405, 'only GET and HEAD\n', { ...close, Allow: 'GET, HEAD' }, true);
  } else if (path !== '/metrics') {
    answer(response, 404, 'not found: the metrics are at /metrics\n', close, method === 'GET');
  } else if (body) {
    answer(response, 400, 'a request for the metrics carries no body\n', close, method === 'GET');
  } else {
    answer(response, 200, render(), { 'Content-Type': PROMETHEUS_CONTENT_TYPE }, method === 'GET');
  }
}

/** Starts the endpoint; rejects with the reason when it cannot listen (port in use, ...). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer(
    // A scrape is one small request: slow or huge ones are not Prometheus.
    { headersTimeout: 5 * SECOND_MS, requestTimeout: 10 * SECOND_MS, maxHeaderSize: 8192 },
    (request, response) => handle(request, response, options.render),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `metrics: cannot listen on ${options.address}:${options.port} (${error.code ?? error.message})`,
        ),
      ),
    );
    server.listen({ host: options.address, port: options.port, exclusive: true }, resolve);
  });
  const host = isIP(options.address) === 6 ? `[${options.address}]` : options.address;
  return {
    url: `http://${host}:${options.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        // Prometheus keeps its connection open between scrapes: it must not hold the exit.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
