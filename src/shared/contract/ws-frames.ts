import type { Reply } from './reply';

/** A request over the WebSocket; `id` comes back on its reply, so replies may interleave. */
export interface WsRequestFrame {
  id: number | string;
  name: string;
  params?: unknown;
}

/** The answer to one WsRequestFrame. `id` is null when the frame was unreadable. */
export interface WsReplyFrame {
  id: number | string | null;
  reply: Reply<unknown>;
}

/** An event pushed by the server to every connected page. */
export interface WsEventFrame {
  event: string;
  payload: unknown;
}

export function isWsEventFrame(value: unknown): value is WsEventFrame {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as WsEventFrame).event === 'string' &&
    'payload' in value
  );
}
