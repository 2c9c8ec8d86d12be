import { ContractError } from '../shared/contract/reply';
import { StoreError } from '../store/store-error';

/** A store failure as the console shows it: what went wrong, not a stack. */
function asContractError(error: unknown): unknown {
  return error instanceof StoreError ? new ContractError('failed', error.message) : error;
}

/** Runs a question to the store; its StoreError reaches the console as 'failed'. */
export function storeCall<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asContractError(error);
  }
}

/** storeCall for work that gives the event loop back on the way. */
export function storeCallAsync<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    throw asContractError(error);
  });
}
