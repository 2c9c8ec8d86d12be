import type { EventSink } from '../../shared/contract/event-hub';
import { hostTopic } from '../../shared/contract/topics';
import type { HostStatus } from '../../shared/model/engine-events';
import type { HostIdentity } from '../../shared/model/host-identity';
import type { CentralReadStatus, InventoryHost, VmHeadline } from '../../shared/model/host-view';
import { countVms } from '../../shared/model/vm-counts';
import type {
  CentralFleetChange,
  CentralHost,
  CentralVm,
} from '../../store/mysql/central-fleet-reader';
import {
  centralHostFigures,
  centralHostStatus,
  centralInventoryHost,
  centralInventoryVm,
  centralVmFigures,
} from './central-fleet-view';

/** How often the central tables are read by default, ms (the overview's pace). */
export const DEFAULT_CENTRAL_REFRESH_MS = 2_000;
/** A central host with no sample for this long is shown stale, ms. */
export const DEFAULT_CENTRAL_STALE_AFTER_MS = 60_000;

/** A host whose row left the central database (its retention ran out, or it was deleted). */
const REMOVED: HostStatus = {
  status: 'stopped',
  reason: 'no longer in the central database',
  procError: null,
  libvirtError: null,
  retryAt: null,
  failedAttempts: 0,
};

/** The reader the source refreshes from (CentralFleetReader, or a test's). */
export interface FleetReader {
  refresh(): Promise<CentralFleetChange>;
  close(): void;
  /** Times it moved to another node of a cluster. */
  readonly failovers: number;
}

/** A host this console polls itself: its id and, once connected, what it is. */
export interface LocalHostRef {
  id: string;
  identity: HostIdentity | null;
}

export interface CentralFleetSourceOptions {
  reader: FleetReader;
  events: EventSink;
  /** The hosts this console watches itself: a central copy of one is not shown again. */
  localHosts: () => readonly LocalHostRef[];
  refreshMs?: number;
  staleAfterMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

/** How the reading of the central database goes, for the logs and tests. */
export interface CentralSourceState extends CentralReadStatus {
  /** Rows left out of the last refresh, and why (the first few). */
  rejected: { table: string; key: string; reason: string }[];
}

/**
 * The fleet as the central database shows it, beside the hosts this console polls: every
 * host and VM that agents and other consoles write there, read every `refreshMs` (one
 * read at a time), published to the pages as the same contract events a polled host's
 * are (host.poll, host.detail, host.status, inventory.changed), and only for what
 * changed. Nothing here connects to a host: a host seen only here costs it nothing.
 */
export class CentralFleetSource {
  private readonly hosts = new Map<string, CentralHost>();
  private readonly vmsByHost = new Map<string, Map<string, CentralVm>>();
  private readonly hostOfVm = new Map<string, string>();
  /** The status kind last published per host, to tell the pages only of a change. */
  private readonly shownStatus = new Map<string, HostStatus['status']>();
  private readonly refreshMs: number;
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private lastError: string | null = null;
  private current: CentralSourceState = {
    node: null,
    lastReadAt: null,
    error: null,
    failingSince: null,
    failedOverAt: null,
    rejectedRows: 0,
    rejected: [],
  };
  private failoversSeen = 0;

  constructor(private readonly o: CentralFleetSourceOptions) {
    this.refreshMs = o.refreshMs ?? DEFAULT_CENTRAL_REFRESH_MS;
    this.staleAfterMs = o.staleAfterMs ?? DEFAULT_CENTRAL_STALE_AFTER_MS;
    this.now = o.now ?? Date.now;
    this.log = o.log ?? (() => {});
  }

  /** Reads once now and then every refreshMs until close. */
  start(): Promise<void> {
    return this.refreshNow().finally(() => this.schedule());
  }

  get state(): CentralSourceState {
    return this.current;
  }

  /** The state without the rejected rows' details: what a page's status bar shows. */
  readStatus(): CentralReadStatus {
    const { rejected: _rejected, ...status } = this.current;
    return status;
  }

  /** One refresh, or the one already running. */
  refreshNow(): Promise<void> {
    this.running ??= this.refresh().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The central hosts not watched here, with their VMs, as the inventory answers them. */
  inventory(): InventoryHost[] {
    const nowMs = this.now();
    const hidden = this.locallyWatched();
    const rows: InventoryHost[] = [];
    for (const host of this.hosts.values()) {
      if (hidden(host)) continue;
      const vms = this.vmsByHost.get(host.hostKey)?.values() ?? [];
      rows.push(centralInventoryHost(host, vms, this.statusOf(host, nowMs)));
    }
    return rows;
  }

  /** Whether a host (by id) is one this source shows: for requests about it. */
  shows(hostId: string): boolean {
    const host = this.hosts.get(hostId);
    return host !== undefined && !this.locallyWatched()(host);
  }

  /** Whether a VM (by UUID, lower case) is on a host this source shows. */
  showsVm(uuid: string): boolean {
    const hostKey = this.hostOfVm.get(uuid);
    return hostKey !== undefined && this.shows(hostKey);
  }

  /** The hosts this source shows, each with its VMs, as last read. */
  shownFleet(): { host: CentralHost; vms: CentralVm[] }[] {
    const hidden = this.locallyWatched();
    const fleet: { host: CentralHost; vms: CentralVm[] }[] = [];
    for (const host of this.hosts.values()) {
      if (hidden(host)) continue;
      fleet.push({ host, vms: [...(this.vmsByHost.get(host.hostKey)?.values() ?? [])] });
    }
    return fleet;
  }

  /** A host this source shows, as last read; undefined: not one of them. */
  shownHost(hostId: string): CentralHost | undefined {
    return this.shows(hostId) ? this.hosts.get(hostId) : undefined;
  }

  /** A VM (by UUID, lower case) on a host this source shows, as last read. */
  shownVm(uuid: string): CentralVm | undefined {
    const hostKey = this.hostOfVm.get(uuid);
    return hostKey !== undefined && this.shows(hostKey)
      ? this.vmsByHost.get(hostKey)?.get(uuid)
      : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
    this.o.reader.close();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refreshNow().finally(() => this.schedule());
    }, this.refreshMs);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    let change: CentralFleetChange;
    try {
      change = await this.o.reader.refresh();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Said once per cause: a database down for an hour is one line, not 1,800.
      if (message !== this.lastError) this.log(`setmov: central database: ${message}`);
      this.lastError = message;
      this.current = {
        ...this.current,
        error: message,
        failingSince: this.current.failingSince ?? this.now(),
      };
      // The figures already shown age on: hosts whose samples grow old turn stale.
      if (!this.closed) this.publishStatusChanges(new Set());
      return;
    }
    if (this.closed) return;
    if (this.lastError !== null) this.log('setmov: central database: reading again');
    this.lastError = null;
    if (change.rejected.length > 0) {
      const first = change.rejected[0];
      this.log(
        `setmov: central database: ${change.rejected.length} row(s) left out, e.g. ${first?.table} ${first?.key}: ${first?.reason}`,
      );
    }
    const nowMs = this.now();
    const failedOver = this.o.reader.failovers > this.failoversSeen;
    this.failoversSeen = this.o.reader.failovers;
    if (failedOver) this.log(`setmov: central database: reading from ${change.node} now`);
    this.current = {
      node: change.node,
      lastReadAt: nowMs,
      error: null,
      failingSince: null,
      failedOverAt: failedOver ? nowMs : this.current.failedOverAt,
      rejectedRows: change.rejected.length,
      rejected: change.rejected.slice(0, 20),
    };
    this.apply(change);
  }

  /** Takes a refresh's changes in and tells the pages what they see differently. */
  private apply(change: CentralFleetChange): void {
    const touched = new Set<string>();
    const changedVms = new Map<string, CentralVm[]>();
    const hostWatched = new Map<string, boolean>();
    for (const host of change.hosts.changed) {
      this.hosts.set(host.hostKey, host);
      touched.add(host.hostKey);
    }
    for (const key of change.hosts.gone) {
      this.hosts.delete(key);
      this.shownStatus.delete(key);
      this.o.events.publish('host.status', { hostId: key, status: REMOVED });
    }
    const visible = this.visibleHosts();
    for (const uuid of change.vms.gone) {
      const hostKey = this.hostOfVm.get(uuid);
      if (hostKey === undefined) continue;
      const vm = this.vmsByHost.get(hostKey)?.get(uuid);
      this.forgetVm(uuid, hostKey);
      touched.add(hostKey);
      if (vm && visible.has(hostKey)) this.publishVm(hostKey, 'gone', { ...vm });
    }
    for (const vm of change.vms.changed) {
      const before = this.hostOfVm.get(vm.uuid);
      // A VM that moved to another host is gone from the one it left.
      if (before !== undefined && before !== vm.hostKey) {
        const old = this.vmsByHost.get(before)?.get(vm.uuid);
        this.forgetVm(vm.uuid, before);
        touched.add(before);
        if (old && visible.has(before)) this.publishVm(before, 'gone', old);
      }
      let vms = this.vmsByHost.get(vm.hostKey);
      if (!vms) {
        vms = new Map();
        this.vmsByHost.set(vm.hostKey, vms);
      }
      const previous = vms.get(vm.uuid);
      vms.set(vm.uuid, vm);
      this.hostOfVm.set(vm.uuid, vm.hostKey);
      touched.add(vm.hostKey);
      if (!visible.has(vm.hostKey)) continue;
      if (!previous) this.publishVm(vm.hostKey, 'added', vm);
      else if (inventoryDiffers(previous, vm)) this.publishVm(vm.hostKey, 'updated', vm);
      // Only a page on the host's own page is sent its VMs' figures.
      let watched = hostWatched.get(vm.hostKey);
      if (watched === undefined) {
        watched = this.o.events.wants(hostTopic(vm.hostKey));
        hostWatched.set(vm.hostKey, watched);
      }
      if (!watched) continue;
      const list = changedVms.get(vm.hostKey) ?? [];
      list.push(vm);
      changedVms.set(vm.hostKey, list);
    }
    const nowMs = this.now();
    for (const key of touched) {
      const host = this.hosts.get(key);
      if (!host || !visible.has(key)) continue;
      this.publishHost(host, nowMs, changedVms.get(key) ?? []);
    }
    this.publishStatusChanges(touched);
  }

  private forgetVm(uuid: string, hostKey: string): void {
    const vms = this.vmsByHost.get(hostKey);
    vms?.delete(uuid);
    if (vms?.size === 0) this.vmsByHost.delete(hostKey);
    this.hostOfVm.delete(uuid);
  }

  /** Hosts whose status moved on with the clock alone (fresh → stale), not in `skip`. */
  private publishStatusChanges(skip: ReadonlySet<string>): void {
    const nowMs = this.now();
    const visible = this.visibleHosts();
    for (const host of this.hosts.values()) {
      if (skip.has(host.hostKey) || !visible.has(host.hostKey)) continue;
      const status = this.statusOf(host, nowMs);
      if (this.shownStatus.get(host.hostKey) === status.status) continue;
      this.publishHost(host, nowMs, []);
    }
  }

  /** A host's overview row (and its page's VM figures, when open) and its status if new. */
  private publishHost(host: CentralHost, nowMs: number, changedVms: readonly CentralVm[]): void {
    const { events } = this;
    const status = this.statusOf(host, nowMs);
    if (this.shownStatus.get(host.hostKey) !== status.status) {
      this.shownStatus.set(host.hostKey, status.status);
      events.publish('host.status', { hostId: host.hostKey, status });
    }
    if (events.wants('overview')) {
      events.publish('host.poll', {
        hostId: host.hostKey,
        status,
        figures: centralHostFigures(host),
        vms: countVms(this.vmsByHost.get(host.hostKey)?.values() ?? []),
      });
    }
    if (changedVms.length > 0 && events.wants(hostTopic(host.hostKey))) {
      const headlines: VmHeadline[] = [];
      for (const vm of changedVms) {
        const figures = centralVmFigures(vm);
        if (figures) headlines.push({ uuid: vm.uuid, name: vm.name, state: vm.state, figures });
      }
      events.publish('host.detail', { hostId: host.hostKey, sample: null, vms: headlines });
    }
  }

  private publishVm(hostKey: string, change: 'added' | 'updated' | 'gone', vm: CentralVm): void {
    const { figures: _figures, ...entry } = centralInventoryVm(vm);
    this.o.events.publish('inventory.changed', {
      hostId: hostKey,
      change,
      vm: change === 'gone' ? { ...entry, gone: true } : entry,
    });
  }

  private get events(): EventSink {
    return this.o.events;
  }

  private statusOf(host: CentralHost, nowMs: number): HostStatus {
    return centralHostStatus(host, nowMs, this.staleAfterMs);
  }

  /** The keys of the central hosts shown: those this console does not watch itself. */
  private visibleHosts(): Set<string> {
    const hidden = this.locallyWatched();
    const keys = new Set<string>();
    for (const host of this.hosts.values()) if (!hidden(host)) keys.add(host.hostKey);
    return keys;
  }

  /**
   * Whether a central host is one this console polls itself: the same id (an agent and a
   * console sharing the hosts file), or the same machine by name and address. Its own
   * polls are fresher than anything read back, so it is shown from them, once.
   */
  private locallyWatched(): (host: CentralHost) => boolean {
    const ids = new Set<string>();
    const machines = new Set<string>();
    for (const local of this.o.localHosts()) {
      ids.add(local.id);
      if (local.identity) machines.add(`${local.identity.hostname}\n${local.identity.primaryIp}`);
    }
    return (host) => ids.has(host.hostKey) || machines.has(`${host.hostName}\n${host.hostIp}`);
  }
}

/**
 * Whether a VM's inventory entry as the pages hold it changed: not its figures and last
 * seen, which every sync round rewrites on every row; a page is told of those through
 * host.detail (when it watches that host), not inventory.changed.
 */
function inventoryDiffers(before: CentralVm, after: CentralVm): boolean {
  return (
    before.hostKey !== after.hostKey ||
    before.name !== after.name ||
    before.state !== after.state ||
    before.vcpus !== after.vcpus ||
    before.lctMs !== after.lctMs ||
    before.connectedNow !== after.connectedNow
  );
}
