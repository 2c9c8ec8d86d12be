import { useCallback, useContext, useMemo, useState } from 'react';
import type { HostView } from '../shared/model/host-view';
import { ConnectHostDialog } from './connect/connect-host-dialog';
import type { ContractClient, Settings } from '../shared/contract/browser';
import { AppBar } from './components/app-bar';
import { EmptyHosts } from './components/empty-hosts';
import { FirstSteps } from './components/first-steps';
import { Preferences } from './components/preferences';
import { StatusBar } from './components/status-bar';
import { ViewTabs, type View } from './components/view-tabs';
import type { ClientKind } from './contract-client/pick-client';
import { HostDetail } from './detail/lazy-detail';
import { DesktopsView } from './desktops/desktops-view';
import { SyncView } from './sync/sync-view';
import { AnalysisView } from './analysis/analysis-view';
import { FleetStore } from './fleet/fleet-store';
import { FleetContext, useFleet } from './fleet/use-fleet';
import { I18nProvider, useI18n } from './i18n/i18n';
import { HostsInventory } from './overview/hosts-inventory';
import { OverviewTable } from './overview/overview-table';
import { useAppVersion } from './use-app-version';
import { useBackendStopped } from './use-backend-stopped';
import { TokenPrompt } from './components/token-prompt';
import { useSearchShortcut } from './use-search-shortcut';
import { hostRoute, NavigationContext, viewRoute } from './navigation';
import type { Navigation, Route } from './navigation';
import { RoleContext, useSessionRole } from './use-role';
import { useSettings } from './use-settings';
import { ThemeContext, useTheme } from './use-theme';

interface HostActions {
  onAdd: () => void;
  onEdit: (name: string) => void;
}

function Workspace({
  client,
  route,
  onRoute,
  onAdd,
  onEdit,
}: { client: ContractClient; route: Route; onRoute: (route: Route) => void } & HostActions) {
  const { t } = useI18n();
  const fleet = useFleet();
  const { view } = route;
  const openHost = useCallback((id: string) => onRoute(hostRoute(route, id)), [onRoute, route]);
  if (fleet.state === 'loading') {
    return (
      <p className="muted" role="status">
        {t('hosts.loading')}
      </p>
    );
  }
  if (fleet.state === 'failed') {
    return (
      <div className="banner banner-error" role="alert">
        {t('hosts.failed', { message: fleet.message })}
      </div>
    );
  }
  if (fleet.hosts.length === 0) return <EmptyHosts onAdd={onAdd} />;
  if (view === 'desktops') {
    return (
      <DesktopsView
        client={client}
        open={route.vm}
        onOpen={(vm) => onRoute({ view, host: null, vm })}
        onBack={() => onRoute(viewRoute(view))}
      />
    );
  }
  if (view === 'sync') return <SyncView client={client} />;
  if (view === 'analysis') return <AnalysisView client={client} />;
  const opened = route.host !== null && fleet.hosts.find((h) => h.id === route.host);
  if (opened) {
    return <HostDetail client={client} host={opened} onBack={() => onRoute(viewRoute(view))} />;
  }
  if (view === 'hosts') return <HostsInventory hosts={fleet.hosts} onOpen={openHost} />;
  const overview = (
    <OverviewTable hosts={fleet.hosts} onAdd={onAdd} onEdit={onEdit} onOpen={openHost} />
  );
  if (fleet.hosts.length > 1) return overview;
  return (
    <>
      {overview}
      <FirstSteps client={client} onAdd={onAdd} onView={(next) => onRoute(viewRoute(next))} />
    </>
  );
}

interface ConsoleProps {
  client: ContractClient;
  kind: ClientKind;
  settings: Settings | null;
  onSettings: (change: Partial<Settings>) => void;
}

function Console({ client, kind, settings, onSettings }: ConsoleProps) {
  const { t } = useI18n();
  const version = useAppVersion(client);
  const stopped = useBackendStopped(client);
  const fleet = useFleet();
  const store = useContext(FleetContext);
  const [route, setRoute] = useState<Route>(() => viewRoute('overview'));
  // A tab always shows its view, closing a page open in it (the tab of the view a
  // desktop's page is open in takes the admin back to the table).
  const setView = useCallback((view: View) => setRoute(viewRoute(view)), []);
  const navigation = useMemo<Navigation>(
    () => ({
      openHost: (id) => setRoute((current) => hostRoute(current, id)),
      openVm: (host, uuid) => setRoute({ view: 'desktops', host: null, vm: { host, uuid } }),
    }),
    [],
  );
  const { view } = route;
  const [dialog, setDialog] = useState<{ editing?: HostView } | null>(null);
  const onEdit = useCallback(
    (id: string): void => {
      client.request('hosts.list').then(
        (hosts) => {
          const editing = hosts.find((h) => h.id === id);
          if (editing) setDialog({ editing });
        },
        () => undefined,
      );
    },
    [client],
  );
  const showDesktops = useCallback(() => setView('desktops'), []);
  // Stable, like onEdit: the tables are memoised on their handlers.
  const onAdd = useCallback(() => setDialog({}), []);
  useSearchShortcut(showDesktops);
  return (
    <div className="shell">
      <AppBar version={version} kind={kind}>
        <ViewTabs view={view} onView={setView} />
        <Preferences settings={settings} onChange={onSettings} />
      </AppBar>
      {version.status === 'failed' &&
        (version.code === 'forbidden' && kind === 'web' ? (
          <TokenPrompt open={(path) => window.location.assign(path)} />
        ) : (
          <div className="banner banner-error" role="alert">
            {t('app.unreachable', { message: version.message })}
          </div>
        ))}
      {stopped && (
        <div className="banner banner-warning" role="status" data-testid="backend-stopped">
          {stopped.reason === 'signal' ? t('app.stopped.signal') : t('app.stopped.quit')}
        </div>
      )}
      <main className="workspace" id="workspace" role="tabpanel" aria-labelledby={`tab-${view}`}>
        <NavigationContext.Provider value={navigation}>
          <Workspace
            client={client}
            route={route}
            onRoute={setRoute}
            onAdd={onAdd}
            onEdit={onEdit}
          />
        </NavigationContext.Provider>
      </main>
      <StatusBar client={client} fleet={fleet} />
      {dialog && (
        <ConnectHostDialog
          client={client}
          {...dialog}
          onClose={() => {
            setDialog(null);
            store?.reload();
          }}
        />
      )}
    </div>
  );
}

export function App({ client, kind }: { client: ContractClient; kind: ClientKind }) {
  const role = useSessionRole(client);
  const { settings, change } = useSettings(client, role);
  const [fleet] = useState(() => new FleetStore(client));
  const theme = useTheme(settings?.theme ?? 'system');
  return (
    <I18nProvider language={settings?.language ?? 'en'}>
      <ThemeContext.Provider value={theme}>
        <FleetContext.Provider value={fleet}>
          <RoleContext.Provider value={role}>
            <Console
              client={client}
              kind={kind}
              settings={settings}
              onSettings={(next) => void change(next)}
            />
          </RoleContext.Provider>
        </FleetContext.Provider>
      </ThemeContext.Provider>
    </I18nProvider>
  );
}
