import type { ContractClient } from '../../shared/contract/browser';
import { hostTopic } from '../../shared/contract/browser';
import type { HostStatus, VmInventoryEntry } from '../../shared/model/engine-events';
import type { HostIdentity } from '../../shared/model/host-identity';
import type { LibvirtFacts } from '../../shared/model/libvirt-facts';
import type {
  HostFigures,
  HostSource,
  InventoryHost,
  VmCounts,
  VmFigures,
} from '../../shared/model/host-view';
import { countVms } from '../../shared/model/vm-counts';
import { sumKnown } from '../../shared/model/sum-known';
import { markOnce } from '../perf-marks';
import { emptyTrend, extendTrend, joinTrends, TREND_MS, trendOf } from './host-trend';
import type { HostTrend } from './host-trend';

/** One host as the overview shows it. */
export interface FleetHost {
  /** The saved host's id: how the store, the routes and the requests know it. */
  id: string;
  /** Polled by this console's backend, or read from the central database. */
  source: HostSource;
  name: string;
  status: HostStatus;
  identity: HostIdentity | null;
  libvirt: LibvirtFacts | null;
  figures: HostFigures | null;
  vms: VmCounts;
  trend: HostTrend;
}

/** One desktop (VM) as the desktops table shows it: its inventory and latest figures. */
export interface Desktop extends VmInventoryEntry {
  /** Its host's id. */
  host: string;
  /** Its host's name, as the tables show it. */
  hostName: string;
  figures: VmFigures | null;
}

export type FleetSnapshot =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; hosts: FleetHost[]; desktops: Desktop[] };

/**
 * The longest a new figure waits before the views see it. Half a second: every frame
 * laid out and painted has a cost of its own besides its rows, so two fuller frames a
 * second cost less than four thin ones (with the tables' CSS containment, the overview
 * of 100 hosts went from 33 % to 22 % of the main thread in a trace).
 */
const SNAPSHOT_EVERY_MS = 500;

/** The least time between two inventory reads for a host's missing identity. */
const IDENTITY_RETRY_MS = 30_000;

/** History reads for the sparklines in flight at once, after the first inventory. */
const SEEDS_IN_FLIGHT = 4;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Every saved host and every desktop on them, kept from the contract: the inventory
 * once, then events. The overview topic is watched while anyone reads the store; each
 * host's topic (per-VM figures) only while a view asks for desktops (watchDesktops), so
 * the overview alone stays cheap. Readers are told at most once per animation frame.
 */
export class FleetStore {
  private hosts = new Map<string, FleetHost>();
  /** By host, then by uuid: a host's VMs are replaced together. */
  private vms = new Map<string, Map<string, Desktop>>();
  private snapshot: FleetSnapshot = { state: 'loading' };
  private readonly listeners = new Set<() => void>();
  private stops: (() => void)[] = [];
  private desktopWatchers = 0;
  private hostWatches = new Map<string, () => void>();
  private reloading = false;
  private readonly identityAsked = new Map<string, number>();
  private dirty = false;
  /** Cancels the snapshot scheduled, when one is. */
  private cancelScheduled: (() => void) | null = null;
  /** The desktops changed since the last snapshot (not only a host's figures). */
  private desktopsDirty = true;

  constructor(
    private readonly client: ContractClient,
    /**
     * When readers are told. Figures arrive about once a second per host, so a few
     * snapshots a second show every one of them; a hundred hosts polling at different
     * moments would otherwise re-render every frame.
     */
    private readonly schedule: (run: () => void) => (() => void) | void = (run) => {
      let frame = 0;
      const timer = setTimeout(() => {
        frame = requestAnimationFrame(run);
      }, SNAPSHOT_EVERY_MS);
      return () => {
        clearTimeout(timer);
        if (frame !== 0) cancelAnimationFrame(frame);
      };
    },
  ) {}

  getSnapshot = (): FleetSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  };

  /** Per-VM figures for every host while the returned function is not called. */
  watchDesktops(): () => void {
    this.desktopWatchers++;
    this.syncHostWatches();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.desktopWatchers--;
      this.syncHostWatches();
    };
  }

  /** Reads the inventory again: after a host was added, changed or removed here. */
  reload(): void {
    if (this.listeners.size > 0) this.load();
  }

  private start(): void {
    const { client } = this;
    this.stops = [
      client.subscribe('host.poll', (poll) =>
        this.updateHost(poll.hostId, (host) => ({
          ...host,
          status: poll.status,
          figures: poll.figures ?? host.figures,
          vms: poll.vms,
          trend: poll.figures ? extendTrend(host.trend, poll.figures) : host.trend,
        })),
      ),
      client.subscribe('host.status', ({ hostId: id, status }) =>
        this.updateHost(id, (host) => ({ ...host, status })),
      ),
      client.subscribe('host.detail', (detail) => {
        const vms = this.vms.get(detail.hostId);
        if (!vms) return;
        for (const headline of detail.vms) {
          const vm = vms.get(headline.uuid);
          if (vm) {
            vms.set(headline.uuid, {
              ...vm,
              state: headline.state as Desktop['state'],
              figures: headline.figures,
            });
          }
        }
        this.changed(true);
      }),
      client.subscribe('inventory.changed', ({ hostId: host, change, vm }) => {
        const vms = this.vms.get(host) ?? new Map<string, Desktop>();
        this.vms.set(host, vms);
        if (change === 'gone') vms.delete(vm.uuid);
        else {
          const hostName = this.hosts.get(host)?.name ?? host;
          vms.set(vm.uuid, { ...vm, host, hostName, figures: vms.get(vm.uuid)?.figures ?? null });
        }
        this.changed(true);
      }),
      client.subscribe('vm.display', ({ hostId: host, uuid, display }) => {
        const vm = this.vms.get(host)?.get(uuid);
        if (!vm) return;
        this.vms
          .get(host)
          ?.set(uuid, { ...vm, lct: display.lct, connectedNow: display.connectedNow });
        this.changed(true);
      }),
      // Back after the server restarted: what changed meanwhile came as no event.
      client.subscribe('connection.restored', () => this.load()),
      client.watch('overview'),
    ];
    this.load();
  }

  private stop(): void {
    // No reader is left to tell: a snapshot scheduled must not run after the page (or a
    // test's document) is gone. The next start loads the inventory again.
    this.cancelScheduled?.();
    this.cancelScheduled = null;
    this.dirty = false;
    for (const stop of this.stops) stop();
    this.stops = [];
    for (const stop of this.hostWatches.values()) stop();
    this.hostWatches.clear();
  }

  private load(): void {
    this.reloading = true;
    this.client.request('inventory').then(
      (inventory) => {
        markOnce('setmov:inventory');
        this.reloading = false;
        this.hosts = new Map(inventory.map((host) => [host.id, hostOf(host)]));
        this.vms = new Map(
          inventory.map((host) => [
            host.id,
            new Map(host.vms.map((vm) => [vm.uuid, { ...vm, host: host.id, hostName: host.name }])),
          ]),
        );
        this.syncHostWatches();
        // The first inventory is shown at once: the views wait for nothing else.
        if (this.snapshot.state === 'ready') this.changed(true);
        else this.publish();
        // After the rows are painted: the sparklines' history is not what the admin
        // waits for.
        const ids = inventory.map((host) => host.id);
        requestAnimationFrame(() => setTimeout(() => this.seedTrends(ids), 0));
      },
      (error: unknown) => {
        this.reloading = false;
        this.snapshot = { state: 'failed', message: messageOf(error) };
        this.notify();
      },
    );
  }

  /** The last 5 minutes of each host from the history, under what polls brought since. */
  private seedTrends(ids: string[]): void {
    const toMs = Date.now();
    const queue = [...ids];
    // A few at a time, each next one when one is answered: a hundred hosts' reads at
    // once would hold the backend's answers and this page's main thread together.
    const next = (): void => {
      const id = queue.shift();
      if (id !== undefined) void this.seedTrend(id, toMs).finally(next);
    };
    for (let i = 0; i < SEEDS_IN_FLIGHT; i++) next();
  }

  private seedTrend(id: string, toMs: number): Promise<void> {
    return this.client
      .request('history', {
        entity: { kind: 'host', id },
        metrics: [
          'cpuPercent',
          'memUsedPercent',
          'diskReadBytesPerSec',
          'diskWriteBytesPerSec',
          'netRxBytesPerSec',
          'netTxBytesPerSec',
        ],
        fromMs: toMs - TREND_MS,
        toMs,
        maxPoints: 150,
      })
      .then(
        (history) => {
          const avg = (point: (typeof history.points)[number], metric: string) =>
            point.values[metric]?.avg ?? null;
          const seeded = trendOf(
            history.points.map((point) => ({
              ts: point.ts,
              cpuPercent: avg(point, 'cpuPercent'),
              memUsedPercent: avg(point, 'memUsedPercent'),
              diskReadBytesPerSec: avg(point, 'diskReadBytesPerSec'),
              diskWriteBytesPerSec: avg(point, 'diskWriteBytesPerSec'),
              netRxBytesPerSec: avg(point, 'netRxBytesPerSec'),
              netTxBytesPerSec: avg(point, 'netTxBytesPerSec'),
              diskBytesPerSec: sumKnown(
                avg(point, 'diskReadBytesPerSec'),
                avg(point, 'diskWriteBytesPerSec'),
              ),
              netBytesPerSec: sumKnown(
                avg(point, 'netRxBytesPerSec'),
                avg(point, 'netTxBytesPerSec'),
              ),
            })),
          );
          // Polls that arrived while the history was read go on top of it.
          const current = this.hosts.get(id);
          if (!current) return;
          const trend = joinTrends(seeded, current.trend);
          this.hosts.set(id, { ...current, trend });
          this.changed();
        },
        () => undefined,
      );
  }

  /** Watches host:ID for every host while desktops are wanted, and none otherwise. */
  private syncHostWatches(): void {
    const wanted = this.desktopWatchers > 0 && this.listeners.size > 0;
    for (const [id, stop] of this.hostWatches) {
      if (!wanted || !this.hosts.has(id)) {
        stop();
        this.hostWatches.delete(id);
      }
    }
    if (!wanted) return;
    for (const id of this.hosts.keys()) {
      if (!this.hostWatches.has(id)) this.hostWatches.set(id, this.client.watch(hostTopic(id)));
    }
  }

  private updateHost(id: string, change: (host: FleetHost) => FleetHost): void {
    const host = this.hosts.get(id);
    if (!host) {
      // A host this page did not know (added in another window): read everything again.
      if (!this.reloading && this.snapshot.state === 'ready') this.load();
      return;
    }
    const updated = change(host);
    this.hosts.set(id, updated);
    this.changed();
    // A central host has no libvirt facts to wait for: it is read, never connected to.
    const unknown = updated.identity === null || updated.libvirt === null;
    if (unknown && updated.source !== 'central' && updated.status.status === 'up') {
      this.askIdentity(id);
    }
  }

  /**
   * A host that is up but whose identity (CPUs, memory, kernel) or libvirt versions this
   * page has not seen: the inventory was read while it was still connecting. Read again, at most every
   * IDENTITY_RETRY_MS for a host, since a host without /proc never has one.
   */
  private askIdentity(id: string): void {
    const now = Date.now();
    if (now - (this.identityAsked.get(id) ?? -Infinity) < IDENTITY_RETRY_MS) return;
    this.identityAsked.set(id, now);
    if (!this.reloading) this.load();
  }

  /**
   * A new snapshot for the readers, built once however many events came meanwhile. The
   * desktops array is rebuilt only when a desktop changed, so the overview's host polls
   * do not copy thousands of VMs.
   */
  private changed(desktops = false): void {
    this.desktopsDirty ||= desktops;
    if (this.dirty) return;
    this.dirty = true;
    this.cancelScheduled =
      this.schedule(() => {
        this.cancelScheduled = null;
        this.publish();
      }) ?? null;
  }

  /** Builds the snapshot now and tells the readers. */
  private publish(): void {
    this.dirty = false;
    const before = this.snapshot;
    const rebuild = this.desktopsDirty || before.state !== 'ready';
    this.desktopsDirty = false;
    this.snapshot = {
      state: 'ready',
      hosts: [...this.hosts.values()],
      desktops: rebuild
        ? [...this.vms.values()].flatMap((vms) => [...vms.values()].filter((vm) => !vm.gone))
        : before.desktops,
    };
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function hostOf(host: InventoryHost): FleetHost {
  return {
    id: host.id,
    source: host.source,
    name: host.name,
    status: host.status,
    identity: host.identity,
    libvirt: host.libvirt ?? null,
    figures: host.figures,
    vms: countVms(host.vms),
    trend: host.figures ? extendTrend(emptyTrend(), host.figures) : emptyTrend(),
  };
}
