import type { RawData, WebSocket } from 'ws';
import { dispatch } from '../shared/contract';
import type { InternalErrorSink, RequestHandlers, WsReplyFrame } from '../shared/contract';
import { badRequest } from './send-json';

/** One request frame from a page, answered under its id. */
export function answerWsFrame(
  socket: WebSocket,
  data: RawData,
  handlers: RequestHandlers,
  onInternalError: InternalErrorSink | undefined,
): void {
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
  void dispatch(handlers, name, params, onInternalError).then((reply) => {
    const answer: WsReplyFrame = { id, reply };
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(answer));
  });
}
