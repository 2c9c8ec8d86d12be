import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/server/server';
import type { RunningServer } from '../../src/server/server';
import type { RequestHandlers } from '../../src/shared/contract';

/** A renderer directory with a page and a hashed asset, as `npm run build` leaves it. */
export function makeRendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'setmov-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SETMOV Console</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  return dir;
}

export function startTestServer(
  handlers: RequestHandlers = { 'app.getVersion': () => ({ version: '0.1.0', name: 'setmov' }) },
  errors: unknown[] = [],
): Promise<RunningServer> {
  return startServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir: makeRendererDir(),
    handlers,
    onInternalError: (_name, error) => errors.push(error),
  });
}

/** What a script sends to pass the token check. */
export function bearer(server: RunningServer): Record<string, string> {
  return { authorization: `Bearer ${server.token}` };
}

/** fetch as a script holding the token calls it: the page's cookie is a browser's. */
export function fetchWithToken(server: RunningServer): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${server.token}`);
    return fetch(input, { ...init, headers });
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with exactly these headers, Host included (fetch would rewrite Host). */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Where to connect; default 127.0.0.1. */
    address?: string;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.address ?? '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
