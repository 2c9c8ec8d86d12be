import { HTTP_REQUEST_PATH } from './channels';
import type { ContractClient } from './client';
import { ContractError, isReply, unwrapReply } from './reply';
import type { RequestName, RequestResult } from './requests';

/** The contract in a browser: POSTs to `setmov serve`, which answers the same envelopes. */
export function createHttpClient(
  baseUrl: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): ContractClient {
  const endpoint = new URL(HTTP_REQUEST_PATH, baseUrl).href;
  return {
    async request<N extends RequestName>(name: N, params?: unknown): Promise<RequestResult<N>> {
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, params }),
        });
      } catch {
        throw new ContractError('failed', `${name}: cannot reach the SETMOV server`);
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (!isReply(body)) {
        throw new ContractError(
          'internal',
          `${name}: the server answered ${response.status} without a reply`,
        );
      }
      return unwrapReply(body) as RequestResult<N>;
    },
  };
}
