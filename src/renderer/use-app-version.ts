import { useEffect, useState } from 'react';
import type { AppVersion } from '../shared/app-version';
import type { ContractClient } from '../shared/contract/browser';

export type VersionState =
  | { status: 'loading' }
  | { status: 'ready'; value: AppVersion }
  | { status: 'failed'; message: string };

/** Asks the backend for its version once. */
export function useAppVersion(client: ContractClient): VersionState {
  const [state, setState] = useState<VersionState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    client.request('app.getVersion').then(
      (value) => current && setState({ status: 'ready', value }),
      (error: unknown) =>
        current &&
        setState({
          status: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => {
      current = false;
    };
  }, [client]);
  return state;
}
