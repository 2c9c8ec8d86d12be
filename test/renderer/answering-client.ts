import type { ContractClient } from '../../src/shared/contract/browser';

/** One request a view made: its name and parameters. */
export type Call = [name: string, params: unknown];

/**
 * A contract client for component tests: every request is noted and answered by
 * `answer` (a throw becomes a rejected request); no event ever comes.
 */
export function answeringClient(answer: (name: string, params: unknown) => unknown): {
  client: ContractClient;
  calls: Call[];
} {
  const calls: Call[] = [];
  const client = {
    request: (name: string, params?: unknown) => {
      calls.push([name, params]);
      try {
        return Promise.resolve(answer(name, params));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    subscribe: () => () => {},
    watch: () => () => {},
  } as unknown as ContractClient;
  return { client, calls };
}
