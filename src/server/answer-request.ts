import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatch, HTTP_REQUEST_PATH } from '../shared/contract';
import type { InternalErrorSink, RequestHandlers, Role } from '../shared/contract';
import { BodyTooLargeError, readBody } from './read-body';
import { refusalFor } from './role-guard';
import { badRequest, sendJson } from './send-json';

/** Requests are a name and a few params; anything bigger is not ours. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** POST /api/request: one contract request, answered by the same dispatch as IPC. */
export async function answerRequest(
  request: IncomingMessage,
  response: ServerResponse,
  handlers: RequestHandlers,
  role: Role,
  onInternalError: InternalErrorSink | undefined,
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
  const refusal = refusalFor(role, name);
  if (refusal !== null) return sendJson(response, 403, { error: refusal });
  sendJson(response, 200, await dispatch(handlers, name, params, onInternalError));
}
