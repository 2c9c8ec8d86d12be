import type { EventListener, EventName } from './events';
import type { RequestArgs, RequestName, RequestResult } from './requests';
import type { Topic } from './topics';

/**
 * What the renderer talks to; the preload bridge and the HTTP/WebSocket client both
 * implement it.
 */
export interface ContractClient {
  /** Resolves with the result; rejects with a ContractError carrying the reply's code. */
  request<N extends RequestName>(name: N, ...args: RequestArgs<N>): Promise<RequestResult<N>>;
  /** Calls listener for each event of that name until the returned function is called. */
  subscribe<E extends EventName>(name: E, listener: EventListener<E>): () => void;
  /**
   * Asks the backend for a topic's events (topics.ts) until the returned function is
   * called; the events themselves reach subscribe's listeners. Counted: a topic stays
   * subscribed while any view watches it.
   */
  watch(topic: Topic): () => void;
}
