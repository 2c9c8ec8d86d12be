import type { SetmovBridge } from './bridge';
import type { ContractClient } from './client';
import { EventListeners } from './event-listeners';
import type { EventListener, EventName } from './events';
import { ContractError, isReply, unwrapReply } from './reply';
import type { RequestName, RequestResult } from './requests';
import { WatchedTopics } from './watched-topics';

/** The contract inside the Electron window: through the preload's bridge to main. */
export function createPreloadClient(bridge: SetmovBridge): ContractClient {
  const listeners = new EventListeners();
  let detach: (() => void) | undefined;
  // Subscriptions go out in order, one at a time, each the whole set: the last one wins.
  let sending: Promise<unknown> = Promise.resolve();
  const watched = new WatchedTopics((topics) => {
    sending = sending
      .then(() => bridge.request('events.subscribe', { topics }))
      .then((reply) => {
        if (isReply(reply) && 'error' in reply) {
          console.error(`setmov: events.subscribe: ${reply.error.message}`);
        }
      })
      .catch((error: unknown) => console.error('setmov: events.subscribe failed', error));
  });
  return {
    async request<N extends RequestName>(name: N, params?: unknown): Promise<RequestResult<N>> {
      const reply: unknown = await bridge.request(name, params as never);
      if (!isReply(reply))
        throw new ContractError('internal', `${name}: malformed reply from main`);
      return unwrapReply(reply) as RequestResult<N>;
    },
    subscribe<E extends EventName>(name: E, listener: EventListener<E>): () => void {
      const remove = listeners.add(name, listener);
      detach ??= bridge.onEvent((event, payload) => listeners.emit(event, payload));
      return () => {
        remove();
        if (listeners.size === 0) {
          detach?.();
          detach = undefined;
        }
      };
    },
    watch: (topic) => watched.watch(topic),
  };
}
