import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CollectorEngine } from '../../collector/engine/collector-engine';
import { DEFAULT_MEMORY_STATS_PERIOD_SEC } from '../../collector/engine/host-target';
import type { SavedHost } from '../../collector/hosts-config/saved-host';
import { connectLibvirtOver } from '../../collector/libvirt/connect-over';
import { expandHome } from '../../collector/files/expand-home';
import { ContractError } from '../../shared/contract/reply';
import type { RequestHandler } from '../../shared/contract/requests';
import type { HostSettings, HostUpdate } from '../../shared/contract/schemas';
import type { HostView } from '../../shared/model/host-view';
import type { Store } from '../../store/store';
import { APPLY_LIBVIRT_TIMEOUT_MS } from '../analysis/apply-flow';
import { routeApply } from '../analysis/apply-route';
import type { VmHostConnector } from '../analysis/analysis-service';
import type { SettingsService } from '../settings-service';
import { storeCall } from '../store-call';
import type { HostRegistry, HostSecretsInput } from './host-registry';
import { testHost } from './host-test';
import type { LiveState } from './live-state';
import { sshConfigHosts } from './ssh-config-hosts';

type SshAuthInput = NonNullable<HostSettings['ssh']>['auth'];

/** The secrets an SSH auth of a request carries. */
function secretsOf(auth: SshAuthInput | undefined): HostSecretsInput {
  if (auth?.method === 'password') return { password: auth.password };
  if (auth?.method === 'key' && auth.passphrase !== undefined)
    return { passphrase: auth.passphrase };
  return {};
}

/** This machine's name as the first saved host's (letters, digits, . _ -). */
function localHostName(): string {
  return (hostname().replace(/[^\w.-]/g, '-') || 'this-machine').slice(0, 64);
}

/**
 * The host saved on the first start: this machine, through its local libvirt (a machine
 * without one is saved all the same, and shows no VMs: the log says why).
 */
export function thisMachine(
  pollIntervalSec: number,
  libvirtSocketPath = '/var/run/libvirt/libvirt-sock',
  log: (line: string) => void,
): Omit<SavedHost, 'id'> {
  if (!existsSync(libvirtSocketPath)) {
    log(`setmov: no libvirt socket at ${libvirtSocketPath}: this host shows no VMs`);
  }
  return {
    name: localHostName(),
    ssh: null,
    libvirtUri: 'qemu:///system',
    pollIntervalSec,
    memoryStatsPeriodSec: DEFAULT_MEMORY_STATS_PERIOD_SEC,
  };
}

export interface HostsServiceOptions {
  registry: HostRegistry;
  engine: CollectorEngine;
  live: LiveState;
  store: Store;
  settings: SettingsService;
  /** The known_hosts that keys accepted in the console go to. */
  knownHostsFile: string;
  /** The OpenSSH config whose hosts the connect dialog offers (default ~/.ssh/config). */
  sshConfigPath?: string;
  log: (line: string) => void;
}

/**
 * The saved hosts as the console manages them: each one watched by the engine under its
 * id, with its name in the history; add, change, rename, remove, test, trust a host key,
 * and the inventory of what they run.
 */
export class HostsService {
  constructor(private readonly o: HostsServiceOptions) {}

  /** Starts watching every saved host; one that cannot be watched is logged, not fatal. */
  async start(): Promise<void> {
    for (const host of this.o.registry.all) {
      try {
        await this.watch(host);
      } catch (error) {
        this.o.log(`setmov: ${host.name} cannot be watched: ${(error as Error).message}`);
      }
    }
  }

  readonly list: RequestHandler<'hosts.list'> = () =>
    Promise.all(this.o.registry.all.map((host) => this.viewOf(host)));

  readonly add: RequestHandler<'hosts.add'> = async (given) => {
    const host = await this.o.registry.add(this.savedOf(given), secretsOf(given.ssh?.auth));
    await this.watch(host);
    return this.viewOf(host);
  };

  readonly update: RequestHandler<'hosts.update'> = async (change: HostUpdate) => {
    const old = this.o.registry.get(change.id);
    const host: SavedHost = {
      ...this.savedOf({
        name: change.name ?? old.name,
        ssh: change.ssh ?? null,
        libvirtUri: change.libvirtUri ?? old.libvirtUri,
        pollIntervalSec: change.pollIntervalSec ?? old.pollIntervalSec,
      }),
      id: old.id,
      memoryStatsPeriodSec: old.memoryStatsPeriodSec,
    };
    // Without new SSH settings the old ones stay, secrets included.
    if (change.ssh === undefined) host.ssh = old.ssh;
    await this.o.registry.update(
      host,
      change.ssh === undefined ? undefined : secretsOf(change.ssh?.auth),
    );
    await this.o.engine.removeHost(host.id);
    await this.watch(host);
    return this.viewOf(host);
  };

  readonly remove: RequestHandler<'hosts.remove'> = async ({ id }) => {
    this.o.registry.get(id);
    // Its VMs are known from the inventory, which goes with the session.
    this.o.live.forget(id);
    await this.o.engine.removeHost(id);
    await this.o.registry.remove(id);
    return null;
  };

  readonly test: RequestHandler<'hosts.test'> = async ({ id }) => {
    const host = this.o.registry.get(id);
    const { result, pending } = await testHost(await this.o.registry.targetOf(host));
    this.o.registry.rememberKey(id, pending);
    return result;
  };

  readonly acceptKey: RequestHandler<'hosts.acceptKey'> = async ({ id, fingerprint }) => {
    const host = this.o.registry.get(id);
    await this.o.registry.acceptKey(id, fingerprint, this.o.knownHostsFile);
    this.o.log(`setmov: ${host.name}: host key ${fingerprint} accepted`);
    await this.o.engine.removeHost(id);
    await this.watch(host, fingerprint);
    return null;
  };

  readonly sshConfig: RequestHandler<'hosts.sshConfig'> = () =>
    sshConfigHosts(this.o.sshConfigPath);

  readonly inventory: RequestHandler<'inventory'> = () =>
    this.o.registry.all.map((host) => this.o.live.inventoryOf(host.id));

  /**
   * Opens the libvirt of the saved host whose libvirt lists the VM now (routeApply): a
   * change goes where the domain is, wherever its history was written.
   */
  readonly connectVmHost: VmHostConnector = async (vm) => {
    const id = routeApply(
      this.o.registry.all.map(({ id, name }) => {
        const { vms, identity } = this.o.live.inventoryOf(id);
        return { id, name, identity, vmUuids: vms.filter((v) => !v.gone).map((v) => v.uuid) };
      }),
      vm.uuid,
      vm.name,
    );
    const host = this.o.registry.get(id);
    const target = await this.o.registry.targetOf(host);
    return connectLibvirtOver(target.ssh, {
      uri: host.libvirtUri,
      callTimeoutMs: APPLY_LIBVIRT_TIMEOUT_MS,
      connectTimeoutMs: APPLY_LIBVIRT_TIMEOUT_MS,
    }).catch((error: unknown) => {
      throw new ContractError('failed', `${host.name}: ${(error as Error).message}`);
    });
  };

  /**
   * Starts polling a host: its history is named after it, and its session resumes from
   * the last connect times the history knows (of the VMs it lists).
   */
  private async watch(host: SavedHost, trustedHostKeyFingerprint?: string): Promise<void> {
    const target = await this.o.registry.targetOf(host, trustedHostKeyFingerprint);
    storeCall(() => this.o.store.labelHost(host.id, host.name));
    this.o.engine.addHost(target);
    const lcts = storeCall(() => this.o.store.lastConnectTimes());
    for (const { uuid, lct } of lcts) this.o.engine.restoreLct(host.id, uuid, lct);
  }

  /** The host as the console shows it: whether a secret is kept, never the secret. */
  private async viewOf(host: SavedHost): Promise<HostView> {
    const secrets = await this.o.registry.secretsOf(host);
    return {
      id: host.id,
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
      status: this.o.live.status(host.id),
    };
  }

  /** A host of a request as hosts.json keeps it (no id yet, no secrets). */
  private savedOf(given: HostSettings): Omit<SavedHost, 'id'> {
    const ssh = given.ssh;
    return {
      name: given.name,
      ssh: ssh && {
        host: ssh.host,
        port: ssh.port,
        username: ssh.username,
        auth: ssh.auth.method,
        identityFile: ssh.auth.method === 'key' ? expandHome(ssh.auth.identityFile) : null,
        knownHostsFile: this.o.knownHostsFile,
      },
      libvirtUri: given.libvirtUri,
      pollIntervalSec: given.pollIntervalSec ?? this.o.settings.current.defaultPollIntervalSec,
      memoryStatsPeriodSec: DEFAULT_MEMORY_STATS_PERIOD_SEC,
    };
  }
}
