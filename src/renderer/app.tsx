import type { ContractClient } from '../shared/contract/browser';
import { AppBar } from './components/app-bar';
import { EmptyHosts } from './components/empty-hosts';
import type { ClientKind } from './contract-client/pick-client';
import { I18nProvider, useI18n } from './i18n/i18n';
import { OverviewTable } from './overview/overview-table';
import { useOverview } from './overview/use-overview';
import { useAppVersion } from './use-app-version';
import { useBackendStopped } from './use-backend-stopped';
import { useSettings } from './use-settings';
import { useTheme } from './use-theme';

function Workspace({ client }: { client: ContractClient }) {
  const { t } = useI18n();
  const overview = useOverview(client);
  if (overview.state === 'loading') {
    return (
      <p className="muted" role="status">
        {t('hosts.loading')}
      </p>
    );
  }
  if (overview.state === 'failed') {
    return (
      <div className="banner banner-error" role="alert">
        {t('hosts.failed', { message: overview.message })}
      </div>
    );
  }
  if (overview.hosts.length === 0) return <EmptyHosts />;
  return <OverviewTable hosts={overview.hosts} />;
}

function Console({ client, kind }: { client: ContractClient; kind: ClientKind }) {
  const { t } = useI18n();
  const version = useAppVersion(client);
  const stopped = useBackendStopped(client);
  return (
    <div className="shell">
      <AppBar version={version} kind={kind} />
      {version.status === 'failed' && (
        <div className="banner banner-error" role="alert">
          {t('app.unreachable', { message: version.message })}
        </div>
      )}
      {stopped && (
        <div className="banner banner-warning" role="status" data-testid="backend-stopped">
          {stopped.reason === 'signal' ? t('app.stopped.signal') : t('app.stopped.quit')}
        </div>
      )}
      <main className="workspace">
        <Workspace client={client} />
      </main>
    </div>
  );
}

export function App({ client, kind }: { client: ContractClient; kind: ClientKind }) {
  const { settings } = useSettings(client);
  useTheme(settings?.theme ?? 'system');
  return (
    <I18nProvider language={settings?.language ?? 'en'}>
      <Console client={client} kind={kind} />
    </I18nProvider>
  );
}
