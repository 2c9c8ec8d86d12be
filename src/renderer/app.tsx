import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { HostView } from '../shared/model/host-view';
import { ConnectHostDialog } from './connect/connect-host-dialog';
import type { HostPrefill } from './connect/host-form';
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
import { CentralReadView } from './sync/central-read-view';
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
import {
  hostRoute,
  isListRoute,
  NavigationContext,
  useNavigation,
  viewRoute,
  vmRoute,
} from './navigation';
import type { Navigation, Route } from './navigation';
import { useLocationRoute } from './use-location-route';
import { MissingHost, UnknownLink } from './components/not-found';
import type { DesktopFilters } from './desktops/desktop-filters';
import type { Range } from './detail/series';
import { RoleContext, useSessionRole } from './use-role';
import { useSettings } from './use-settings';
import { ThemeContext, useTheme } from './use-theme';

interface HostActions {
  onAdd: () => void;
  /** Adds a host the console knows only from the central database, its fields filled. */
  onConnect: (prefill: HostPrefill) => void;
  onEdit: (name: string) => void;
}

/** The ways a view or page moves the console on, besides the Navigation context's. */
interface Moves {
  /** To a view's list, as the admin last left it (its search and filters). */
  toList: (view: View) => void;
  onFilters: (filters: DesktopFilters) => void;
  onRange: (range: Range) => void;
}

function Workspace({
  client,
  route,
  toList,
  onFilters,
  onRange,
  onAdd,
  onConnect,
  onEdit,
}: { client: ContractClient; route: Route | null } & Moves & HostActions) {
  const { t } = useI18n();
  const fleet = useFleet();
  const { openHost, openVm } = useNavigation();
  const onOpenVm = useCallback(
    (vm: { host: string; uuid: string }) => openVm(vm.host, vm.uuid),
    [openVm],
  );
  // Not a route of the console: the address it came from is the location's hash.
  if (route === null) {
    return <UnknownLink link={window.location.hash} onHome={() => toList('overview')} />;
  }
  const { view } = route;
  const back = () => toList(view);
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
  // A link to a page says whether it is there, with or without hosts.
  if (fleet.hosts.length === 0 && isListRoute(route)) return <EmptyHosts onAdd={onAdd} />;
  if (view === 'desktops') {
    return (
      <DesktopsView
        client={client}
        open={route.vm}
        onOpen={onOpenVm}
        onBack={back}
        filters={route.filters}
        onFilters={onFilters}
        range={route.range}
        onRange={onRange}
      />
    );
  }
  if (view === 'sync') {
    // Both ways a console meets the central database: what it writes, and what it reads.
    return (
      <div className="panel-stack">
        <SyncView client={client} />
        <CentralReadView client={client} />
      </div>
    );
  }
  if (view === 'analysis') return <AnalysisView client={client} onConnect={onConnect} />;
  if (route.host !== null) {
    const opened = fleet.hosts.find((h) => h.id === route.host);
    if (!opened) return <MissingHost id={route.host} onBack={back} />;
    return (
      <HostDetail
        // Another host's page starts afresh: no zoom or sample of the one before.
        key={opened.id}
        client={client}
        host={opened}
        onBack={back}
        range={route.range}
        onRange={onRange}
      />
    );
  }
  if (view === 'hosts') return <HostsInventory hosts={fleet.hosts} onOpen={openHost} />;
  const overview = (
    <OverviewTable hosts={fleet.hosts} onAdd={onAdd} onEdit={onEdit} onOpen={openHost} />
  );
  if (fleet.hosts.length > 1) return overview;
  return (
    <>
      {overview}
      <FirstSteps client={client} onAdd={onAdd} onView={toList} />
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
  const { route, navigate } = useLocationRoute();
  // A link that is no route shows under the overview's tab.
  const view = route?.view ?? 'overview';
  // Each view's list as the admin last left it: its tab and a page's Back return to it,
  // search and filters included.
  const lists = useRef(new Map<View, Route>());
  useEffect(() => {
    if (route && isListRoute(route)) lists.current.set(route.view, route);
  }, [route]);
  // A tab always shows its view, closing a page open in it (the tab of the view a
  // desktop's page is open in takes the admin back to the table).
  const toList = useCallback(
    (to: View) => navigate(lists.current.get(to) ?? viewRoute(to)),
    [navigate],
  );
  const navigation = useMemo<Navigation>(
    () => ({
      openHost: (id) => navigate((current) => hostRoute(current, id)),
      openVm: (host, uuid) => navigate(vmRoute(host, uuid)),
    }),
    [navigate],
  );
  // How a list or page is shown is no new place: the history entry is rewritten, so Back
  // leaves the page in one step. Stable, as the desktops table is memoised on it.
  const onFilters = useCallback(
    (filters: DesktopFilters) => navigate({ ...viewRoute('desktops'), filters }, 'replace'),
    [navigate],
  );
  const onRange = useCallback(
    (range: Range) =>
      navigate((current) => (current ? { ...current, range } : viewRoute('overview')), 'replace'),
    [navigate],
  );
  const [dialog, setDialog] = useState<{ editing?: HostView; initial?: HostPrefill } | null>(null);
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
  const showDesktops = useCallback(() => toList('desktops'), [toList]);
  // Stable, like onEdit: the tables are memoised on their handlers.
  const onAdd = useCallback(() => setDialog({}), []);
  const onConnect = useCallback((initial: HostPrefill) => setDialog({ initial }), []);
  useSearchShortcut(showDesktops);
  return (
    <div className="shell">
      <AppBar version={version} kind={kind}>
        <ViewTabs view={view} onView={toList} />
        <Preferences settings={settings} onChange={onSettings} />
      </AppBar>
      {version.status === 'failed' &&
        (version.code === 'forbidden' && kind === 'web' ? (
          // The hash goes through the token exchange's redirect: the page asked for opens.
          <TokenPrompt open={(path) => window.location.assign(path + window.location.hash)} />
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
            toList={toList}
            onFilters={onFilters}
            onRange={onRange}
            onAdd={onAdd}
            onConnect={onConnect}
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
