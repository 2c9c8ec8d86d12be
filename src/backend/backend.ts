import { join } from 'node:path';
import { CollectorEngine } from '../collector/engine/collector-engine';
import type { EventSink } from '../shared/contract/event-hub';
import type { Backend, BackendOptions } from './backend-options';
import { closeAll } from './close-all';
import type { BackendRequestHandlers } from '../shared/contract/requests';
import { openCollectSink } from '../store/collect-sink';
import { AnalysisService } from './analysis/analysis-service';
import { AppService } from './app-service';
import { recordEngineEvent } from './engine-to-sink';
import { HistoryService } from './history/history-service';
import { rekeyEarlierHistory } from './hosts/earlier-history-keys';
import { HostRegistry } from './hosts/host-registry';
import { HostsService, thisMachine } from './hosts/hosts-service';
import { LiveState } from './hosts/live-state';
import { serialiseChanges } from './one-at-a-time';
import { SettingsService } from './settings-service';
import { SyncService } from './sync-service';
import { routeExport, routeHistory } from './central/central-history-route';
import { CentralService } from './central/central-service';

export type { Backend, BackendOptions } from './backend-options';

/**
 * The one backend behind the desktop window and `setmov serve`: its services wired
 * together, and the request table that maps each contract request to one of their
 * methods. Plain Node: no electron.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const log = options.log ?? (() => {});
  const events: EventSink = options.events ?? { publish: () => {}, wants: () => false };
  const at = (file: string): string => join(options.configDir, file);

  const sink = openCollectSink({
    dbPath: options.dbPath,
    onStatus: (status) =>
      log(`setmov: history ${status.state}, ${status.pending} pending, ${status.dropped} dropped`),
  });
  let sync: SyncService | undefined;
  let central: CentralService | undefined;
  try {
    const settings = await SettingsService.open(at('settings.json'), sink.store);
    const registry = await HostRegistry.open({
      hostsPath: at('hosts.json'),
      secrets: options.secrets,
      // A console that reads the fleet from a central database starts with no host of its
      // own: the machine it runs on is a desk, or is in the fleet already through an agent.
      ...(options.central
        ? {}
        : {
            firstHost: () =>
              thisMachine(settings.current.defaultPollIntervalSec, options.libvirtSocketPath, log),
          }),
    });
    await rekeyEarlierHistory(at('history-names.json'), registry.all, sink.store, log);
    const syncService = await SyncService.open({
      dbPath: options.dbPath,
      configPath: at('sync.json'),
      secrets: options.secrets,
      onChange: (view) => events.publish('sync.status', view),
      ...(options.syncIntervalMs === undefined ? {} : { intervalMs: options.syncIntervalMs }),
    });
    sync = syncService;
    const engine = new CollectorEngine({
      ...options.engine,
      onListenerError: (error, event) =>
        log(`setmov: handling ${event.type} failed: ${(error as Error).message}`),
    });
    const nameOf = (id: string): string | undefined => registry.all.find((h) => h.id === id)?.name;
    const live = new LiveState(engine, events, log, (id) => nameOf(id) ?? id);
    const fleet = await CentralService.open({
      configPath: at('central.json'),
      secrets: options.secrets,
      events,
      localHosts: () => registry.all.map(({ id }) => ({ id, identity: live.identity(id) })),
      ...(options.central ? { fixed: options.central } : {}),
      log,
    });
    central = fleet;
    const app = new AppService(options.appVersion, options.dbPath, syncService, () =>
      fleet.readStatus(),
    );
    engine.on((event) => {
      app.observe(event);
      recordEngineEvent(sink, event, true);
      live.observe(event);
    });
    const hosts = new HostsService({
      registry,
      engine,
      live,
      store: sink.store,
      settings,
      knownHostsFile: at('known_hosts'),
      ...(options.sshConfigPath === undefined ? {} : { sshConfigPath: options.sshConfigPath }),
      log,
    });
    const history = new HistoryService(sink.store, nameOf);
    const analysis = new AnalysisService(
      sink.store,
      settings,
      hosts.connectVmHost,
      log,
      () => fleet.current,
    );
    await hosts.start();

    const handlers: BackendRequestHandlers = {
      'app.getVersion': app.version,
      'app.status': app.status,
      'hosts.list': hosts.list,
      'hosts.add': hosts.add,
      'hosts.update': hosts.update,
      'hosts.remove': hosts.remove,
      'hosts.test': hosts.test,
      'hosts.acceptKey': hosts.acceptKey,
      'hosts.sshConfig': hosts.sshConfig,
      inventory: async () => [
        ...(await hosts.inventory(undefined)),
        ...(fleet.current?.source.inventory() ?? []),
      ],
      'settings.get': settings.get,
      'settings.set': settings.set,
      history: routeHistory(() => fleet.current, history.history),
      'history.devices': history.devices,
      export: routeExport(() => fleet.current, history.export),
      'vm.events': history.vmEvents,
      'host.events': history.hostEvents,
      'sync.get': () => syncService.view(),
      'sync.set': (params) => syncService.set(params),
      'sync.remove': () => syncService.remove(),
      'sync.test': (params) => syncService.test(params),
      'sync.init': () => syncService.init(),
      'sync.now': () => syncService.syncNow(),
      'central.get': () => fleet.view(),
      'central.set': (params) => fleet.set(params),
      'central.remove': () => fleet.remove(),
      'central.test': (params) => fleet.test(params),
      'analysis.run': analysis.run,
      'analysis.preview': analysis.preview,
      'analysis.apply': analysis.apply,
      'analysis.memoryVsDisk': analysis.memoryVsDisk,
      'audit.list': analysis.audit,
    };
    let closing: Promise<void> | undefined;
    return {
      handlers: serialiseChanges(handlers),
      close: () =>
        (closing ??= (async () => {
          await fleet.close();
          await closeAll(engine, syncService, () => sink.close(), log);
        })()),
    };
  } catch (error) {
    await central?.close();
    await sync?.close(0);
    sink.close();
    throw error;
  }
}
