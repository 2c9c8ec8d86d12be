import type { ContractClient } from '../shared/contract';
import { AppBar } from './components/app-bar';
import { EmptyHosts } from './components/empty-hosts';
import type { ClientKind } from './contract-client/pick-client';
import { useAppVersion } from './use-app-version';
import { useBackendStopped } from './use-backend-stopped';

export function App({ client, kind }: { client: ContractClient; kind: ClientKind }) {
  const version = useAppVersion(client);
  const stopped = useBackendStopped(client);
  return (
    <div className="shell">
      <AppBar version={version} kind={kind} />
      {version.status === 'failed' && (
        <div className="banner banner-error" role="alert">
          Cannot reach the SETMOV backend: {version.message}
        </div>
      )}
      {stopped && (
        <div className="banner banner-warning" role="status" data-testid="backend-stopped">
          {stopped.reason === 'signal' ? (
            <>
              The SETMOV server has stopped. Start <code>setmov serve</code> again, then reload this
              page.
            </>
          ) : (
            'SETMOV is closing.'
          )}
        </div>
      )}
      <main className="workspace">
        <EmptyHosts />
      </main>
    </div>
  );
}
