import type { IncomingMessage, ServerResponse } from 'node:http';
import { readStaticFile } from './static-files';

/** The renderer's files, the one part of the server that needs no token. */
export async function answerStatic(
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
