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

/**
 * An event pushed by the server to the pages that want it. Events published together (a
 * refresh of the fleet) go out as one message: an array of these.
 */
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

/** The events of one message: a single frame, or those of an array of them. */
export function wsEventFramesOf(message: unknown): WsEventFrame[] {
  if (Array.isArray(message)) return message.filter(isWsEventFrame);
  return isWsEventFrame(message) ? [message] : [];
}
