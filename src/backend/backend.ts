import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { CollectorEngine } from '../collector/engine/collector-engine';
import type { HostSessionDeps } from '../collector/engine/host-session';
import { loadHosts, saveHosts } from '../collector/hosts-config/hosts-config';
import type { SavedHost } from '../collector/hosts-config/saved-host';
import { savedHostTarget } from '../collector/hosts-config/saved-host-target';
import type { HostSecrets } from '../collector/hosts-config/saved-host-target';
import { ContractError } from '../shared/contract/reply';
import type { EventSink } from '../shared/contract/event-hub';
import type { BackendRequestHandlers } from '../shared/contract/requests';
import type {
  ApplyParams,
  HistoryParams,
  HostSettings,
  HostUpdate,
  RetentionSettings,
  Settings,
} from '../shared/contract/schemas';
import type { AppVersion } from '../shared/app-version';
import type { HostView } from '../shared/model/host-view';
import { openCollectSink } from '../store/collect-sink';
import type { CollectSink } from '../store/collect-sink';
import type { EntityRef } from '../store/entity-ref';
import { HOUR_MS } from '../store/retention';
import { sshSecretKey, type SecretStore } from '../store/secret-store';
import { StoreError } from '../store/store-error';
import { recentHostEvents, recentVmEvents } from '../store/vm-events-query';
import { recordEngineEvent } from './engine-to-sink';
import { exportFile } from './export-file';
import { analyzeStoreInTurns, findRecommendation } from './analyze-store';
import { readMemoryDiskHistory } from './memory-disk-history';
import { memoryVsDisk } from '../analysis/memory-vs-disk';
import { AnalysisSettingsError, withOverrides } from '../analysis/settings-overrides';
import type { AnalysisSettings } from '../analysis/vm-analysis';
import { ApplyError, carryOut, prepareApply } from '../actions/apply-recommendation';
import type { PreparedApply } from '../actions/apply-recommendation';
import { ResizeRefused } from '../actions/resize-plan';
import { connectLibvirtOver } from '../collector/libvirt/connect-over';
import { readAudit } from '../store/audit-log';
import type { ApplyPreview } from '../shared/model/analysis-view';
import { HistoryNames } from './history-names';
import { acceptHostKey, testHost, type PendingHostKey } from './host-test';
import { LiveState } from './live-state';
import { loadSettings, saveSettings } from './settings-file';
import { sshConfigHosts } from './ssh-config-hosts';
import { SampleRate } from './sample-rate';
import { SyncService } from './sync-service';
import { OneAtATime } from './one-at-a-time';
import { routeApply } from './apply-route';
import { expandHome } from '../collector/files/expand-home';

/**
 * The requests that change what the backend keeps (hosts.json, settings, the sync target,
 * the secrets, a VM): one at a time, so each sees what the one before it saved.
 */
const CHANGING_REQUESTS = [
  'hosts.add',
  'hosts.update',
  'hosts.remove',
  'hosts.acceptKey',
  'settings.set',
  'sync.set',
  'sync.remove',
  'analysis.apply',
] as const satisfies readonly (keyof BackendRequestHandlers)[];

/** The handlers, with the changing ones run one after the other. */
function serialiseChanges(handlers: BackendRequestHandlers): BackendRequestHandlers {
  const changes = new OneAtATime();
  const serialised = { ...handlers };
  for (const name of CHANGING_REQUESTS) {
    const handler = handlers[name] as (params: unknown) => unknown;
    (serialised as Record<string, (params: unknown) => unknown>)[name] = (params) =>
      changes.run(() => handler(params));
  }
  return serialised;
}

export interface BackendOptions {
  appVersion: AppVersion;
  /** The SQLite history: in Electron's userData, or the XDG data dir (defaultDbPath). */
  dbPath: string;
  /** Where hosts.json and the known_hosts of hosts added here live. */
  configDir: string;
  /** Where SSH passwords and passphrases go; never hosts.json or the history. */
  secrets: SecretStore;
  /** The pages' events, by topic: main's windows, serve's sockets (an EventHub). */
  events?: EventSink;
  /** One line per thing worth telling the admin; never carries a secret. */
  log?: (line: string) => void;
  /** The local libvirt socket whose presence makes the first host use qemu:///system. */
  libvirtSocketPath?: string;
  /** For tests: the engine's dependencies (timeouts, connectors). */
  engine?: HostSessionDeps;
  /** The OpenSSH config whose hosts the connect dialog offers (default ~/.ssh/config). */
  sshConfigPath?: string;
  /** For tests: the pause between MySQL sync rounds, ms. */
  syncIntervalMs?: number;
}

export interface Backend {
  readonly handlers: BackendRequestHandlers;
  /** Flushes the history and closes every SSH and libvirt connection, within 3 s. */
  close(): Promise<void>;
}

const CLOSE_BUDGET_MS = 3_000;

type SshAuthInput = NonNullable<HostSettings['ssh']>['auth'];
const passwordKey = (name: string): string => sshSecretKey('password', name);
const passphraseKey = (name: string): string => sshSecretKey('passphrase', name);

const DAY_MS = 24 * HOUR_MS;

/** The store's retention, in ms, of the settings' hours and days. */
const retentionMs = (r: RetentionSettings) => ({
  rawMs: r.rawHours * HOUR_MS,
  minuteMs: r.minuteDays * DAY_MS,
  hourMs: r.hourDays * DAY_MS,
});

/** A store failure as the console shows it: what went wrong, not a stack. */
function asContractError(error: unknown): unknown {
  return error instanceof StoreError ? new ContractError('failed', error.message) : error;
}

function storeCall<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asContractError(error);
  }
}

/** storeCall for work that gives the event loop back on the way. */
function storeCallAsync<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    throw asContractError(error);
  });
}

/** The history file and its write-ahead log on disk, bytes (a missing one counts 0). */
async function historyBytes(dbPath: string): Promise<number> {
  const sizes = await Promise.all(
    [dbPath, `${dbPath}-wal`].map((path) =>
      stat(path).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/** The recommender's settings: the saved overrides (checked here), a window if given. */
function analysisSettingsOf(
  settings: Settings,
  extra: Record<string, number>,
  windowMs?: number,
): AnalysisSettings {
  try {
    const chosen = withOverrides({ ...settings.analysis, ...extra });
    return windowMs === undefined ? chosen : { ...chosen, windowMs };
  } catch (error) {
    if (error instanceof AnalysisSettingsError) throw new ContractError('failed', error.message);
    throw error;
  }
}

/** What the console shows before an apply. */
function previewOf({ vm, recommendation, plan }: PreparedApply): ApplyPreview {
  return {
    id: recommendation.id,
    kind: recommendation.kind,
    uuid: vm.uuid,
    vmName: vm.name,
    host: vm.host,
    reason: recommendation.reason,
    change: plan.change,
    from: plan.from,
    to: plan.to,
    steps: plan.steps.map(({ scope, sets }) => ({ scope, sets })),
    skipped: plan.skipped.map(({ scope, why, maximum }) => ({ scope, why, maximum })),
  };
}

/** This machine's name as a saved host name (letters, digits, . _ -). */
function localHostName(): string {
  return (hostname().replace(/[^\w.-]/g, '-') || 'this-machine').slice(0, 64);
}

/**
 * The one backend behind the desktop window and `setmov serve`: saved hosts, the
 * collector engine, the history, and every contract request. Plain Node: no electron.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const log = options.log ?? (() => {});
  const events: EventSink = options.events ?? { publish: () => {}, wants: () => false };
  const hostsPath = join(options.configDir, 'hosts.json');
  const knownHostsFile = join(options.configDir, 'known_hosts');
  const settingsPath = join(options.configDir, 'settings.json');
  let settings = await loadSettings(settingsPath);
  const firstStart = !existsSync(hostsPath);
  let saved: SavedHost[] = await loadHosts(hostsPath);
  if (firstStart) {
    saved = [
      {
        name: localHostName(),
        ssh: null,
        libvirtUri: 'qemu:///system',
        pollIntervalSec: settings.defaultPollIntervalSec,
        memoryStatsPeriodSec: 2,
      },
    ];
    await saveHosts(hostsPath, saved);
    const socket = options.libvirtSocketPath ?? '/var/run/libvirt/libvirt-sock';
    if (!existsSync(socket)) log(`setmov: no libvirt socket at ${socket}: this host shows no VMs`);
  }

  const historyNames = await HistoryNames.open(join(options.configDir, 'history-names.json'), (e) =>
    log(`setmov: history names not saved: ${e.message}`),
  );
  const sink: CollectSink = openCollectSink({
    dbPath: options.dbPath,
    onStatus: (status) =>
      log(`setmov: history ${status.state}, ${status.pending} pending, ${status.dropped} dropped`),
  });
  sink.store.setRetention(retentionMs(settings.retention));
  let sync: SyncService;
  try {
    sync = await SyncService.open({
      dbPath: options.dbPath,
      configPath: join(options.configDir, 'sync.json'),
      secrets: options.secrets,
      onChange: (view) => events.publish('sync.status', view),
      ...(options.syncIntervalMs === undefined ? {} : { intervalMs: options.syncIntervalMs }),
    });
  } catch (error) {
    sink.close();
    throw error;
  }
  const engine = new CollectorEngine({
    ...options.engine,
    onListenerError: (error, event) =>
      log(`setmov: handling ${event.type} failed: ${(error as Error).message}`),
  });
  const live = new LiveState(engine, events, log);
  const pendingKeys = new Map<string, PendingHostKey>();
  const sampleRate = new SampleRate();
  engine.on((event) => {
    if (event.type === 'host-sample' || event.type === 'vm-sample') sampleRate.count();
    recordEngineEvent(sink, event);
    if (event.type === 'host-identity') historyNames.learn(event.hostId, event.identity.hostname);
    live.observe(event);
  });

  const statusOf = (name: string) => live.status(name);

  /** A history entity of the contract as the store names it. */
  function storeRef(entity: HistoryParams['entity']): EntityRef {
    return entity.kind === 'vm' ? entity : { kind: 'host', name: historyNames.of(entity.name) };
  }

  async function secretsOf(host: SavedHost): Promise<HostSecrets> {
    const password = await options.secrets.get(passwordKey(host.name));
    const passphrase = await options.secrets.get(passphraseKey(host.name));
    return {
      ...(password === null ? {} : { password }),
      ...(passphrase === null ? {} : { passphrase }),
    };
  }

  /** Starts polling a host, with the last connect times the history knows. */
  async function watch(host: SavedHost, trustedHostKeyFingerprint?: string): Promise<void> {
    const target = savedHostTarget(host, await secretsOf(host));
    if (target.ssh && trustedHostKeyFingerprint) {
      target.ssh.trustedHostKeyFingerprint = trustedHostKeyFingerprint;
    }
    engine.addHost(target);
    for (const { uuid, lct } of lastConnectTimes()) engine.restoreLct(host.name, uuid, lct);
  }

  function lastConnectTimes(): { uuid: string; lct: number }[] {
    return sink.store.db.prepare('SELECT uuid, lct FROM vms WHERE lct IS NOT NULL').all() as {
      uuid: string;
      lct: number;
    }[];
  }

  /** The host as the console shows it: whether a secret is kept, never the secret. */
  async function viewOf(host: SavedHost): Promise<HostView> {
    const secrets = await secretsOf(host);
    return {
      name: host.name,
      ssh: host.ssh && {
        host: host.ssh.host,
        port: host.ssh.port,
        username: host.ssh.username,
        auth: host.ssh.auth,
        identityFile: host.ssh.identityFile,
      },
      libvirtUri: host.libvirtUri,
      pollIntervalSec: host.pollIntervalSec,
      hasSecret: secrets.password !== undefined || secrets.passphrase !== undefined,
      status: statusOf(host.name),
    };
  }

  function find(name: string): SavedHost {
    const host = saved.find((h) => h.name === name);
    if (!host) throw new ContractError('failed', `no saved host is named '${name}'`);
    return host;
  }

  function savedOf(given: HostSettings): SavedHost {
    const ssh = given.ssh;
    return {
      name: given.name,
      ssh: ssh && {
        host: ssh.host,
        port: ssh.port,
        username: ssh.username,
        auth: ssh.auth.method,
        identityFile: ssh.auth.method === 'key' ? expandHome(ssh.auth.identityFile) : null,
        knownHostsFile,
      },
      libvirtUri: given.libvirtUri,
      pollIntervalSec: given.pollIntervalSec ?? settings.defaultPollIntervalSec,
      memoryStatsPeriodSec: 2,
    };
  }

  /** Keeps the secrets of an SSH auth given in a request; drops the ones it replaces. */
  async function keepSecrets(name: string, auth: SshAuthInput | undefined): Promise<void> {
    await options.secrets.delete(passwordKey(name));
    await options.secrets.delete(passphraseKey(name));
    if (auth?.method === 'password') await options.secrets.set(passwordKey(name), auth.password);
    if (auth?.method === 'key' && auth.passphrase !== undefined) {
      await options.secrets.set(passphraseKey(name), auth.passphrase);
    }
  }

  for (const host of saved) {
    try {
      await watch(host);
    } catch (error) {
      log(`setmov: ${host.name} cannot be watched: ${(error as Error).message}`);
    }
  }

  const handlers: BackendRequestHandlers = {
    'app.getVersion': () => ({ ...options.appVersion }),
    'app.status': async () => ({
      samplesPerSec: sampleRate.perSecond(),
      historyBytes: await historyBytes(options.dbPath),
      syncLagSamples: sync.view().status?.lagSamples ?? null,
    }),
    'hosts.list': () => Promise.all(saved.map(viewOf)),
    'hosts.add': async (given) => {
      if (saved.some((h) => h.name === given.name)) {
        throw new ContractError('failed', `a host named '${given.name}' exists already`);
      }
      const host = savedOf(given);
      await keepSecrets(host.name, given.ssh?.auth);
      saved = [...saved, host];
      await saveHosts(hostsPath, saved);
      await watch(host);
      return viewOf(host);
    },
    'hosts.update': async (change: HostUpdate) => {
      const old = find(change.name);
      const host = savedOf({
        name: old.name,
        ssh: change.ssh === undefined ? null : change.ssh,
        libvirtUri: change.libvirtUri ?? old.libvirtUri,
        pollIntervalSec: change.pollIntervalSec ?? old.pollIntervalSec,
      });
      // Without new SSH settings the old ones stay, secrets included.
      if (change.ssh === undefined) host.ssh = old.ssh;
      else await keepSecrets(host.name, change.ssh?.auth);
      await engine.removeHost(host.name);
      saved = saved.map((h) => (h.name === host.name ? host : h));
      await saveHosts(hostsPath, saved);
      await watch(host);
      return viewOf(host);
    },
    'settings.get': () => ({ ...settings }),
    'settings.set': async (change) => {
      const next = { ...settings, ...change };
      analysisSettingsOf(next, next.analysis);
      storeCall(() => sink.store.setRetention(retentionMs(next.retention)));
      await saveSettings(settingsPath, next);
      settings = next;
      return { ...settings };
    },
    'hosts.remove': async ({ name }) => {
      find(name);
      // Its VMs are known from the inventory, which goes with the session.
      live.forget(name);
      await engine.removeHost(name);
      saved = saved.filter((h) => h.name !== name);
      pendingKeys.delete(name);
      await saveHosts(hostsPath, saved);
      await options.secrets.delete(passwordKey(name));
      await options.secrets.delete(passphraseKey(name));
      return null;
    },
    'hosts.test': async ({ name }) => {
      const host = find(name);
      const target = savedHostTarget(host, await secretsOf(host));
      const { result, pending } = await testHost(target);
      if (pending) pendingKeys.set(name, pending);
      else pendingKeys.delete(name);
      return result;
    },
    'hosts.acceptKey': async ({ name, fingerprint }) => {
      const host = find(name);
      const pending = pendingKeys.get(name);
      if (!pending || pending.fingerprint !== fingerprint) {
        throw new ContractError(
          'failed',
          `${name}: ${fingerprint} is not the key hosts.test was shown; test the host again`,
        );
      }
      await acceptHostKey(host.ssh?.knownHostsFile ?? knownHostsFile, pending);
      pendingKeys.delete(name);
      log(`setmov: ${name}: host key ${fingerprint} accepted`);
      await engine.removeHost(name);
      await watch(host, fingerprint);
      return null;
    },
    'hosts.sshConfig': () => sshConfigHosts(options.sshConfigPath),
    inventory: () => saved.map((host) => live.inventoryOf(host.name)),
    history: (q) =>
      storeCall(() =>
        sink.store.query({
          entity: storeRef(q.entity),
          metrics: q.metrics,
          from: q.fromMs,
          to: q.toMs,
          maxPoints: q.maxPoints,
        }),
      ),
    'history.devices': (q) =>
      storeCall(() =>
        sink.store.devices({
          entity: storeRef(q.entity),
          from: q.fromMs,
          to: q.toMs,
          maxPoints: q.maxPoints,
        }),
      ),
    export: (q) =>
      storeCall(() =>
        exportFile(
          sink.store.db,
          storeRef(q.entity),
          q.fromMs,
          q.toMs,
          q.format,
          q.utcOffsetMinutes,
          // A host's file is named as the console shows it, not by its history's hostname.
          q.entity.kind === 'host' ? q.entity.name : undefined,
        ),
      ),
    'vm.events': ({ uuid, limit }) =>
      storeCall(() => recentVmEvents(sink.store.db, uuid.toLowerCase(), limit)),
    'host.events': ({ name, limit }) =>
      storeCall(() => recentHostEvents(sink.store.db, historyNames.of(name), limit)),
    'sync.get': () => sync.view(),
    'sync.set': (params) => sync.set(params),
    'sync.remove': () => sync.remove(),
    'sync.test': (params) => sync.test(params),
    'sync.init': () => sync.init(),
    'sync.now': () => sync.syncNow(),
    'analysis.run': ({ windowMs }) =>
      storeCallAsync(() =>
        analyzeStoreInTurns(sink.store, Date.now(), analysisSettingsOf(settings, {}, windowMs)),
      ),
    'analysis.preview': async (params) => {
      const { prepared, lv } = await prepareFor(params);
      await lv.close();
      return previewOf(prepared);
    },
    'analysis.apply': async (params) => {
      const { prepared, lv } = await prepareFor(params);
      try {
        const entry = await carryOut(
          lv,
          sink.store,
          prepared,
          `${userInfo().username}@${hostname()}`,
        );
        log(
          `setmov: ${entry.vmName}: ${entry.change} ${entry.before ?? '?'} → ${entry.after} ${entry.scope} ${entry.result}`,
        );
        return entry;
      } catch (error) {
        if (error instanceof ApplyError) throw new ContractError('failed', error.message);
        throw error;
      } finally {
        await lv.close();
      }
    },
    'analysis.memoryVsDisk': ({ uuid, windowMs }) =>
      storeCall(() => {
        const now = Date.now();
        return memoryVsDisk(
          readMemoryDiskHistory(sink.store, { kind: 'vm', uuid }, now - windowMs, now),
        );
      }),
    'audit.list': ({ uuid, limit }) =>
      storeCall(() => readAudit(sink.store, { ...(uuid === undefined ? {} : { uuid }), limit })),
  };

  /**
   * The recommendation as the analysis makes it now, and the exact change on its VM's
   * host (read from libvirt there). The connection is the caller's to close.
   */
  async function prepareFor(params: ApplyParams) {
    const current = analysisSettingsOf(settings, {}, params.windowMs);
    const found = findRecommendation(
      await storeCallAsync(() => analyzeStoreInTurns(sink.store, Date.now(), current)),
      params.id,
    );
    if (!found)
      throw new ContractError('failed', `the analysis does not recommend ${params.id} now`);
    const hostName = routeApply(
      saved.map(({ name }) => {
        const { vms, identity } = live.inventoryOf(name);
        return { name, identity, vmUuids: vms.filter((vm) => !vm.gone).map((vm) => vm.uuid) };
      }),
      found.vm.uuid,
      found.vm.name,
    );
    const host = find(hostName);
    const target = savedHostTarget(host, await secretsOf(host));
    const lv = await connectLibvirtOver(target.ssh, {
      uri: target.libvirtUri ?? 'qemu:///system',
      callTimeoutMs: 15_000,
      connectTimeoutMs: 15_000,
    }).catch((error: unknown) => {
      throw new ContractError('failed', `${host.name}: ${(error as Error).message}`);
    });
    try {
      const prepared = await prepareApply(
        lv,
        found.vm,
        found.recommendation,
        params.scope,
        current,
      );
      return { prepared, lv };
    } catch (error) {
      await lv.close();
      if (error instanceof ApplyError || error instanceof ResizeRefused)
        throw new ContractError('failed', error.message);
      throw error;
    }
  }

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    const stopped = engine.stop();
    const late = new Promise<'late'>((resolve) =>
      setTimeout(() => resolve('late'), CLOSE_BUDGET_MS).unref(),
    );
    const syncClosed = sync.close(CLOSE_BUDGET_MS - 500);
    if ((await Promise.race([stopped, late])) === 'late') {
      log('setmov: some connections did not close within 3 s');
    }
    await syncClosed;
    await historyNames.flushed();
    sink.close();
  }

  return {
    handlers: serialiseChanges(handlers),
    close: () => (closing ??= close()),
  };
}
