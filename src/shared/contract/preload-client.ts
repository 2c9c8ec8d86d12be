import type { SetmovBridge } from './bridge';
import type { ContractClient } from './client';
import { EventListeners } from './event-listeners';
import type { EventListener, EventName } from './events';
import { ContractError, isReply, unwrapReply } from './reply';
import type { RequestName, RequestResult } from './requests';

/** The contract inside the Electron window: through the preload's bridge to main. */
export function createPreloadClient(bridge: SetmovBridge): ContractClient {
  const listeners = new EventListeners();
  let detach: (() => void) | undefined;
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
  };
}
