import type { RequestArgs, RequestName, RequestResult } from './requests';

/**
 * What the renderer talks to. Resolves with the result, rejects with a ContractError
 * carrying the reply's code; the preload bridge and the HTTP client both implement it.
 */
export interface ContractClient {
  request<N extends RequestName>(name: N, ...args: RequestArgs<N>): Promise<RequestResult<N>>;
}
