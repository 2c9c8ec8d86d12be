import type { ServerResponse } from 'node:http';
import type { Reply } from '../shared/contract';

/** A JSON answer that no cache keeps: every one of them is about this moment's state. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(JSON.stringify(body));
}

export function badRequest(message: string): Reply<never> {
  return { error: { code: 'bad-request', message } };
}
