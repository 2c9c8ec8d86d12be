import { useEffect, useState } from 'react';
import type { AppVersion } from '../shared/app-version';
import { ContractError } from '../shared/contract/browser';
import type { ContractClient } from '../shared/contract/browser';

export type VersionState =
  | { status: 'loading' }
  | { status: 'ready'; value: AppVersion }
  | { status: 'failed'; message: string; code: string | null };

/**
 * Asks the backend for its version: once, and again when the page's connection to a
 * restarted server is back.
 */
export function useAppVersion(client: ContractClient): VersionState {
  const [state, setState] = useState<VersionState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    const ask = () =>
      client.request('app.getVersion').then(
        (value) => current && setState({ status: 'ready', value }),
        (error: unknown) =>
          current &&
          setState({
            status: 'failed',
            message: error instanceof Error ? error.message : String(error),
            code: error instanceof ContractError ? error.code : null,
          }),
      );
    void ask();
    const stop = client.subscribe('connection.restored', () => void ask());
    return () => {
      current = false;
      stop();
    };
  }, [client]);
  return state;
}
