import type { SetmovBridge } from '../../preload/api';
import type { ContractClient } from './client';
import { ContractError, isReply, unwrapReply } from './reply';
import type { RequestName, RequestResult } from './requests';

/** The contract inside the Electron window: through the preload's bridge to main. */
export function createPreloadClient(bridge: SetmovBridge): ContractClient {
  return {
    async request<N extends RequestName>(name: N, params?: unknown): Promise<RequestResult<N>> {
      const reply: unknown = await bridge.request(name, params as never);
      if (!isReply(reply))
        throw new ContractError('internal', `${name}: malformed reply from main`);
      return unwrapReply(reply) as RequestResult<N>;
    },
  };
}
