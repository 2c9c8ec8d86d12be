import type { CollectorEngine } from '../collector/engine/collector-engine';
import type { HostTarget } from '../collector/engine/host-target';
import type { SavedHost } from '../collector/hosts-config/saved-host';
import { savedHostTarget } from '../collector/hosts-config/saved-host-target';
import type { Store } from '../store/store';
import type { AgentSecrets } from './agent-secrets';

export interface AgentHostsOptions {
  engine: CollectorEngine;
  store: Store;
  secrets: AgentSecrets;
  /**
   * known_hosts for a host whose entry names none: the default, ~/.ssh/known_hosts, is
   * out of reach under systemd's ProtectHome=yes.
   */
  knownHostsFile: string;
  /** A host that cannot be started: the reason, for the status. */
  onFailed: (id: string, message: string) => void;
  log: (line: string) => void;
}

/** What the engine runs for a host: its target (with secrets) and its name in the history. */
interface Running {
  targetText: string;
  name: string;
}

/**
 * The configured hosts on the engine, as the backend's HostsService starts saved hosts:
 * each under its id, labelled with its name in the history, its VMs' last connect
 * times restored. apply() brings the engine to a new list: hosts added are started,
 * removed ones stopped, changed ones (settings or secrets) restarted, renamed ones
 * relabelled; the others are left alone, their sessions untouched.
 */
export class AgentHosts {
  private readonly running = new Map<string, Running>();

  constructor(private readonly o: AgentHostsOptions) {}

  async apply(
    hosts: readonly SavedHost[],
  ): Promise<{ added: number; removed: number; changed: number }> {
    const counts = { added: 0, removed: 0, changed: 0 };
    const wanted = new Set(hosts.map((h) => h.id));
    for (const id of [...this.running.keys()]) {
      if (wanted.has(id)) continue;
      this.running.delete(id);
      await this.o.engine.removeHost(id);
      counts.removed++;
    }
    for (const host of hosts) {
      const old = this.running.get(host.id);
      let target: HostTarget;
      try {
        target = await this.targetOf(host);
      } catch (error) {
        this.o.onFailed(host.id, (error as Error).message);
        continue;
      }
      const targetText = JSON.stringify(target);
      if (old?.targetText === targetText) {
        if (old.name !== host.name) this.label(host);
        old.name = host.name;
        continue;
      }
      if (old) {
        this.running.delete(host.id);
        await this.o.engine.removeHost(host.id);
        counts.changed++;
      } else {
        counts.added++;
      }
      this.watch(host, target, targetText);
    }
    return counts;
  }

  private async targetOf(host: SavedHost): Promise<HostTarget> {
    const ssh = host.ssh && {
      ...host.ssh,
      knownHostsFile: host.ssh.knownHostsFile ?? this.o.knownHostsFile,
    };
    return savedHostTarget({ ...host, ssh }, await this.o.secrets.hostSecrets(host));
  }

  private watch(host: SavedHost, target: HostTarget, targetText: string): void {
    this.label(host);
    try {
      this.o.engine.addHost(target);
    } catch (error) {
      this.o.onFailed(host.id, (error as Error).message);
      return;
    }
    this.running.set(host.id, { targetText, name: host.name });
    try {
      for (const { uuid, lct } of this.o.store.lastConnectTimes()) {
        this.o.engine.restoreLct(host.id, uuid, lct);
      }
    } catch (error) {
      this.o.log(
        `setmov agent: ${host.name}: last connect times not restored: ${(error as Error).message}`,
      );
    }
  }

  /** The history names the host as the configuration does; it keeps its key (the id). */
  private label(host: SavedHost): void {
    try {
      this.o.store.labelHost(host.id, host.name);
    } catch (error) {
      this.o.log(
        `setmov agent: ${host.name}: not labelled in the history: ${(error as Error).message}`,
      );
    }
  }
}
