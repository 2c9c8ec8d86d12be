import type { Reply } from './reply';
import type { RequestName, RequestParams, RequestResult } from './requests';

/**
 * Everything the preload puts on `window.setmov`, and nothing more. Replies come back
 * as envelopes, not thrown errors, because contextBridge strips an Error's own fields.
 */
export interface SetmovBridge {
  request<N extends RequestName>(
    name: N,
    params?: RequestParams<N>,
  ): Promise<Reply<RequestResult<N>>>;
  /** Receives every event main publishes; returns the function that stops it. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}
