import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CollectorEngine } from '../collector/engine/collector-engine';
import type { HostSessionDeps } from '../collector/engine/host-session';
import { loadHosts, saveHosts } from '../collector/hosts-config/hosts-config';
import type { SavedHost } from '../collector/hosts-config/saved-host';
import { savedHostTarget } from '../collector/hosts-config/saved-host-target';
import type { HostSecrets } from '../collector/hosts-config/saved-host-target';
import { ContractError } from '../shared/contract/reply';
import type { CompleteRequestHandlers } from '../shared/contract/requests';
import type { HostSettings, HostUpdate } from '../shared/contract/schemas';
import type { PublishEvent } from '../shared/contract/events';
import type { AppVersion } from '../shared/app-version';
import type { DetailedHostSample } from '../shared/model/detailed-host-sample';
import type { DetailedVmSample, EngineEvent, HostStatus } from '../shared/model/engine-events';
import type { HostIdentity } from '../shared/model/host-identity';
import type { HostView, InventoryHost } from '../shared/model/host-view';
import { openCollectSink } from '../store/collect-sink';
import type { CollectSink } from '../store/collect-sink';
import { sshSecretKey, type SecretStore } from '../store/secret-store';
import { StoreError } from '../store/store-error';
import { recordEngineEvent } from './engine-to-sink';
import { hostFiguresOf, vmFiguresOf } from './figures';
import { loadSettings, saveSettings } from './settings-file';
import { acceptHostKey, testHost, type PendingHostKey } from './host-test';

export interface BackendOptions {
  appVersion: AppVersion;
  /** The SQLite history: in Electron's userData, or the XDG data dir (defaultDbPath). */
  dbPath: string;
  /** Where hosts.json and the known_hosts of hosts added here live. */
  configDir: string;
  /** Where SSH passwords and passphrases go; never hosts.json or the history. */
  secrets: SecretStore;
  /** Every event for the pages: main's windows, serve's sockets. */
  publish?: PublishEvent;
  /** One line per thing worth telling the admin; never carries a secret. */
  log?: (line: string) => void;
  /** The local libvirt socket whose presence makes the first host use qemu:///system. */
  libvirtSocketPath?: string;
  /** For tests: the engine's dependencies (timeouts, connectors). */
  engine?: HostSessionDeps;
}

export interface Backend {
  readonly handlers: CompleteRequestHandlers;
  /** Flushes the history and closes every SSH and libvirt connection, within 3 s. */
  close(): Promise<void>;
}

const CLOSE_BUDGET_MS = 3_000;

type SshAuthInput = NonNullable<HostSettings['ssh']>['auth'];
const passwordKey = (name: string): string => sshSecretKey('password', name);
const passphraseKey = (name: string): string => sshSecretKey('passphrase', name);

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
  const publish = options.publish ?? (() => {});
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
        pollIntervalSec: 2,
        memoryStatsPeriodSec: 2,
      },
    ];
    await saveHosts(hostsPath, saved);
    const socket = options.libvirtSocketPath ?? '/var/run/libvirt/libvirt-sock';
    if (!existsSync(socket)) log(`setmov: no libvirt socket at ${socket}: this host shows no VMs`);
  }

  const sink: CollectSink = openCollectSink({
    dbPath: options.dbPath,
    onStatus: (status) =>
      log(`setmov: history ${status.state}, ${status.pending} pending, ${status.dropped} dropped`),
  });
  const engine = new CollectorEngine({
    ...options.engine,
    onListenerError: (error, event) =>
      log(`setmov: handling ${event.type} failed: ${(error as Error).message}`),
  });
  const identities = new Map<string, HostIdentity>();
  const hostSamples = new Map<string, DetailedHostSample>();
  const vmSamples = new Map<string, DetailedVmSample>();
  const pendingKeys = new Map<string, PendingHostKey>();
  engine.on((event) => {
    recordEngineEvent(sink, event);
    remember(event);
  });

  function remember(event: EngineEvent): void {
    switch (event.type) {
      case 'host-identity':
        identities.set(event.hostId, event.identity);
        break;
      case 'host-sample':
        hostSamples.set(event.hostId, event.sample);
        break;
      case 'vm-sample':
        vmSamples.set(event.sample.uuid, event.sample);
        break;
      case 'poll-complete':
        publishPoll(event.hostId, event.ts);
        break;
      case 'host-status': {
        const { type: _type, hostId, ts: _ts, ...status } = event;
        if (status.reason !== null) log(`setmov: ${hostId}: ${status.status}: ${status.reason}`);
        publish('host.status', { host: hostId, status });
        break;
      }
      case 'inventory-changed':
        publish('inventory.changed', { host: event.hostId, change: event.change, vm: event.vm });
        break;
      case 'vm-event':
        if (event.event.kind === 'display') {
          publish('vm.display', {
            host: event.hostId,
            uuid: event.uuid,
            name: event.name,
            display: event.event,
          });
        }
        break;
      default:
        break;
    }
  }

  /** One message per poll of a host, with the VMs this poll sampled. */
  function publishPoll(hostId: string, since: number): void {
    const host = hostSamples.get(hostId);
    const vms = engine
      .inventory(hostId)
      .map((vm) => ({ vm, sample: vmSamples.get(vm.uuid) }))
      .filter(({ vm, sample }) => !vm.gone && sample !== undefined && sample.ts >= since - 1)
      .map(({ vm, sample }) => ({
        uuid: vm.uuid,
        name: vm.name,
        state: vm.state,
        figures: vmFiguresOf(sample as DetailedVmSample),
      }));
    publish('host.poll', {
      host: hostId,
      status: statusOf(hostId),
      figures: host ? hostFiguresOf(host) : null,
      vms,
    });
  }

  function statusOf(name: string): HostStatus {
    return (
      engine.status(name) ?? {
        status: 'stopped',
        reason: null,
        procError: null,
        libvirtError: null,
        retryAt: null,
        failedAttempts: 0,
      }
    );
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

  function viewOf(host: SavedHost): HostView {
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
        identityFile: ssh.auth.method === 'key' ? ssh.auth.identityFile : null,
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

  const handlers: CompleteRequestHandlers = {
    'app.getVersion': () => ({ ...options.appVersion }),
    'hosts.list': () => saved.map(viewOf),
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
      settings = { ...settings, ...change };
      await saveSettings(settingsPath, settings);
      return { ...settings };
    },
    'hosts.remove': async ({ name }) => {
      find(name);
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
    inventory: () => saved.map((host) => inventoryOf(host.name)),
    history: (q) => {
      const entity =
        q.entity.kind === 'vm'
          ? q.entity
          : {
              kind: 'host' as const,
              name: identities.get(q.entity.name)?.hostname ?? q.entity.name,
            };
      try {
        return sink.store.query({
          entity,
          metrics: q.metrics,
          from: q.fromMs,
          to: q.toMs,
          maxPoints: q.maxPoints,
        });
      } catch (error) {
        if (error instanceof StoreError) throw new ContractError('failed', error.message);
        throw error;
      }
    },
  };

  function inventoryOf(name: string): InventoryHost {
    const sample = hostSamples.get(name);
    return {
      name,
      status: statusOf(name),
      identity: identities.get(name) ?? null,
      figures: sample ? hostFiguresOf(sample) : null,
      vms: engine.inventory(name).map((vm) => {
        const vmSample = vmSamples.get(vm.uuid);
        return { ...vm, figures: vmSample ? vmFiguresOf(vmSample) : null };
      }),
    };
  }

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    const stopped = engine.stop();
    const late = new Promise<'late'>((resolve) =>
      setTimeout(() => resolve('late'), CLOSE_BUDGET_MS).unref(),
    );
    if ((await Promise.race([stopped, late])) === 'late') {
      log('setmov: some connections did not close within 3 s');
    }
    sink.close();
  }

  return {
    handlers,
    close: () => (closing ??= close()),
  };
}
