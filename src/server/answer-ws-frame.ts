import type { RawData } from 'ws';
import { dispatch } from '../shared/contract';
import type { InternalErrorSink, RequestHandlers, Role, WsReplyFrame } from '../shared/contract';
import { refusalFor } from './role-guard';
import { badRequest } from './send-json';

/** The reply frame, as text, to one request frame from a page, under its id. */
export async function answerWsFrame(
  data: RawData,
  handlers: RequestHandlers,
  role: Role,
  onInternalError: InternalErrorSink | undefined,
): Promise<string> {
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
    return JSON.stringify(reply);
  }
  const refusal = refusalFor(role, name);
  const reply: WsReplyFrame = {
    id,
    reply:
      refusal === null
        ? await dispatch(handlers, name, params, onInternalError)
        : { error: refusal },
  };
  return JSON.stringify(reply);
}
