import type { ClientKind } from './contract-client/pick-client';
import type { ContractClient } from '../shared/contract';
import { AppBar } from './components/app-bar';
import { EmptyHosts } from './components/empty-hosts';
import { useAppVersion } from './use-app-version';

export function App({ client, kind }: { client: ContractClient; kind: ClientKind }) {
  const version = useAppVersion(client);
  return (
    <div className="shell">
      <AppBar version={version} kind={kind} />
      {version.status === 'failed' && (
        <div className="banner banner-error" role="alert">
          Cannot reach the SETMOV backend: {version.message}
        </div>
      )}
      <main className="workspace">
        <EmptyHosts />
      </main>
    </div>
  );
}
