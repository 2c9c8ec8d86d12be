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
