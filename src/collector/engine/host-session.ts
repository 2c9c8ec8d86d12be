import type { DetailedHostSample } from '../host/host-sample';
import { HostSampler } from '../host/host-sampler';
import type { HostIdentity, HostSource } from '../host/host-source';
import { LocalHostSource } from '../host/local-host-source';
import { connectLibvirt, type ConnectOptions } from '../libvirt/connect';
import type { GraphicsEvent, LifecycleEvent } from '../libvirt/domain-events';
import { CONSOLE_STATS_GROUPS, type DomainStatsRecord } from '../libvirt/domain-stats';
import { LibvirtAuthError } from '../libvirt/errors';
import type { LibvirtConnection } from '../libvirt/libvirt-connection';
import type { DomainRef } from '../libvirt/remote-types';
import { connectSsh as defaultConnectSsh, type SshConnection } from '../ssh/ssh-connection';
import {
  createSshConnectionProvider,
  type SshConnectionProvider,
} from '../ssh/ssh-connection-provider';
import { SshError } from '../ssh/ssh-errors';
import { createSshHostSource } from '../ssh/ssh-host-source';
import type { SshTarget } from '../ssh/ssh-target';
import {
  DisplayTracker,
  parseSpiceClientsFromQmp,
  parseVncClientsFromQmp,
} from '../vm/display-tracker';
import { vmCountersFromStats, type VmCounters } from '../vm/vm-counters';
import { vmUsage } from '../vm/vm-usage';
import { Backoff, type BackoffOptions } from './backoff';
import { readDomain, readDomainFlags, type DomainFlags } from './domain-reader';
import type { DetailedVmSample, EngineEvent, HostStatus, VmInventoryEntry } from './engine-events';
import type { ResolvedHostTarget } from './host-target';
import { PollScheduler, type PollCounters } from './poll-scheduler';
import { VmInventory } from './vm-inventory';
import { VM_STATE_RUNNING, vmStateName } from './vm-state';

/** What a session needs from outside; tests and benches replace parts of it. */
export interface HostSessionDeps {
  connectSsh?: (target: SshTarget) => Promise<SshConnection>;
  connectLibvirt?: (options: ConnectOptions) => Promise<LibvirtConnection>;
  backoff?: BackoffOptions;
  /** Timeout of one libvirt call, ms (default 15 000). */
  libvirtCallTimeoutMs?: number;
  /** Timeout of one /proc reading over SSH, ms (default 10 000). */
  readTimeoutMs?: number;
}

/** virDomainModificationImpact: change the running domain, not its saved definition. */
const AFFECT_LIVE = 1;
/** How QEMU is asked who is attached to each kind of display. */
const DISPLAY_QUERIES: readonly [
  string,
  string,
  (reply: string) => { address: string; service: string }[],
][] = [
  ['vnc', '{"execute":"query-vnc"}', parseVncClientsFromQmp],
  ['spice', '{"execute":"query-spice"}', parseSpiceClientsFromQmp],
];

/** SSH failures that a retry cannot mend: the user must act (accept a key, fix credentials). */
const PERMANENT_SSH_CODES = new Set([
  'unknown-host-key',
  'host-key-changed',
  'host-key-revoked',
  'auth-failed',
  'key-unreadable',
  'key-invalid',
  'key-passphrase-needed',
  'key-passphrase-wrong',
  'known-hosts-unreadable',
  'bad-destination',
]);

/** How long a libvirt goodbye may take before the connection is simply dropped, ms. */
const LIBVIRT_CLOSE_MS = 3_000;

/** Closes a libvirt connection, bounded in time (LibvirtConnection.close keeps its budget). */
const closeLibvirt = (lv: LibvirtConnection): Promise<void> => lv.close(LIBVIRT_CLOSE_MS);

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * One watched host: its connection (SSH or local), /proc sampler, libvirt connection, VM
 * inventory, display tracker and poll loop, and the reconnection of whatever breaks.
 *
 * Every asynchronous step checks `generation` when it resumes: a teardown (host lost, stop)
 * bumps it, so work begun on a dead connection cannot touch the state of the next one.
 */
export class HostSession {
  private readonly inventory = new VmInventory();
  private readonly display = new DisplayTracker();
  private readonly hostBackoff: Backoff;
  private readonly libvirtBackoff: Backoff;
  private readonly connectSshFn: (target: SshTarget) => Promise<SshConnection>;
  private readonly connectLibvirtFn: (options: ConnectOptions) => Promise<LibvirtConnection>;
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly refreshAgain = new Set<string>();
  private readonly balloonSet = new Set<string>();
  private readonly previous = new Map<string, VmCounters>();
  private readonly libvirtCallTimeoutMs: number;
  private readonly readTimeoutMs: number;

  private generation = 0;
  private stopped = false;
  private phase: 'connecting' | 'attached' | 'unreachable' = 'connecting';
  private unreachableReason: string | null = null;
  private failedAttempts = 0;
  private provider: SshConnectionProvider | null = null;
  private ssh: SshConnection | null = null;
  private source: HostSource | null = null;
  private sampler: HostSampler | null = null;
  private identity: HostIdentity | null = null;
  private lv: LibvirtConnection | null = null;
  private libvirtHostname: string | null = null;
  private nodeCpus: number | null = null;
  private scheduler: PollScheduler | null = null;
  private pollTotals: PollCounters = { polls: 0, skipped: 0 };
  private hostTimer: NodeJS.Timeout | null = null;
  private libvirtTimer: NodeJS.Timeout | null = null;
  private hostRetryAt: number | null = null;
  private libvirtRetryAt: number | null = null;
  private procError: string | null = null;
  private libvirtError: string | null = null;
  private lastStatus: HostStatus | null = null;

  constructor(
    readonly target: ResolvedHostTarget,
    private readonly sink: (event: EngineEvent) => void,
    deps: HostSessionDeps = {},
  ) {
    this.hostBackoff = new Backoff(deps.backoff);
    this.libvirtBackoff = new Backoff(deps.backoff);
    this.connectSshFn = deps.connectSsh ?? defaultConnectSsh;
    this.connectLibvirtFn = deps.connectLibvirt ?? connectLibvirt;
    this.libvirtCallTimeoutMs = deps.libvirtCallTimeoutMs ?? 15_000;
    this.readTimeoutMs = deps.readTimeoutMs ?? 10_000;
  }

  get id(): string {
    return this.target.id;
  }

  /** The host's name as samples carry it: /proc's hostname, else libvirt's, else the id. */
  get hostName(): string {
    return this.identity?.hostname ?? this.libvirtHostname ?? this.target.id;
  }

  status(): HostStatus {
    return this.lastStatus ?? this.computeStatus();
  }

  vms(): VmInventoryEntry[] {
    return this.inventory.list().map((e) => ({ ...e }));
  }

  pollCounters(): PollCounters {
    const live = this.scheduler?.stats ?? { polls: 0, skipped: 0 };
    return {
      polls: this.pollTotals.polls + live.polls,
      skipped: this.pollTotals.skipped + live.skipped,
    };
  }

  /** A last connect time known from before (the store), kept unless a newer one arrives. */
  restoreLct(uuid: string, lct: number): void {
    this.display.restore(uuid, lct);
  }

  start(): void {
    this.publishStatus();
    this.track(this.connect());
  }

  /** Closes every connection, clears every timer, waits for work in progress. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.teardown();
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    this.lastStatus = null;
    this.sink({ type: 'host-status', hostId: this.id, ts: Date.now(), ...this.status() });
  }

  // ---- connecting ------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const gen = this.generation;
    this.phase = 'connecting';
    this.publishStatus();
    const ssh = this.target.ssh;
    if (ssh) {
      const provider = createSshConnectionProvider(ssh, this.connectSshFn);
      this.provider = provider;
      let connection: SshConnection;
      try {
        connection = await provider.get();
      } catch (error) {
        if (gen === this.generation) this.hostLost(error);
        else await provider.close();
        return;
      }
      if (gen !== this.generation) return;
      this.ssh = connection;
      connection.on('close', (reason) => {
        if (reason && gen === this.generation) this.hostLost(reason);
      });
      this.source = createSshHostSource(ssh, {
        connections: provider,
        readTimeoutMs: this.readTimeoutMs,
      });
    } else {
      this.source = new LocalHostSource(
        this.target.procRoot === undefined ? {} : { procRoot: this.target.procRoot },
      );
    }
    await Promise.all([this.attachProc(gen), this.attachLibvirt(gen)]);
    if (gen !== this.generation) return;
    this.phase = 'attached';
    this.unreachableReason = null;
    this.hostBackoff.reset();
    this.hostRetryAt = null;
    this.publishStatus();
    this.scheduler = new PollScheduler({
      intervalMs: this.target.pollIntervalMs,
      poll: () => this.poll(gen),
      onError: (error) => this.warn(`poll failed: ${describe(error)}`),
    });
    this.scheduler.start();
  }

  private async attachProc(gen: number): Promise<void> {
    const source = this.source;
    if (!source) return;
    try {
      const identity = await source.identity();
      if (gen !== this.generation) return;
      this.identity = identity;
      this.sampler = new HostSampler(source, identity, this.target.procRoot ?? '/proc');
      this.procError = null;
      this.send({
        type: 'host-identity',
        hostId: this.id,
        ts: Date.now(),
        identity,
        libvirtHostname: this.libvirtHostname,
      });
    } catch (error) {
      if (gen !== this.generation) return;
      this.procError = describe(error);
    }
  }

  private async attachLibvirt(gen: number): Promise<void> {
    let lv: LibvirtConnection | null = null;
    try {
      lv = await this.connectLibvirtFn({
        uri: this.target.libvirtUri,
        ...(this.ssh ? { ssh: this.ssh } : {}),
        callTimeoutMs: this.libvirtCallTimeoutMs,
        connectTimeoutMs: this.libvirtCallTimeoutMs,
      });
      if (gen !== this.generation) {
        await closeLibvirt(lv);
        return;
      }
      this.lv = lv;
      const opened = lv;
      opened.onClose((error) =>
        this.libvirtLost(opened, error ?? new Error('closed by the daemon')),
      );
      await opened.subscribe('lifecycle', (event) => this.onLifecycle(opened, event));
      await opened.subscribe('graphics', (event) => this.onGraphics(opened, event));
      const [hostname, node] = await Promise.all([
        opened.getHostname().catch(() => null),
        opened.nodeGetInfo().catch(() => null),
      ]);
      if (this.lv !== opened) return;
      this.libvirtHostname = hostname;
      this.nodeCpus = node?.cpus ?? null;
      await this.loadInventory(opened);
      if (this.lv !== opened) return;
      this.libvirtError = null;
      this.libvirtBackoff.reset();
      this.libvirtRetryAt = null;
      this.publishStatus();
    } catch (error) {
      if (gen !== this.generation) return;
      if (lv) this.libvirtLost(lv, error);
      else this.libvirtFailed(gen, error);
    }
  }

  /** The libvirt connection died or broke: drop it and try again later (the host stays up). */
  private libvirtLost(lv: LibvirtConnection, error: unknown): void {
    if (this.lv !== lv) return;
    this.lv = null;
    this.track(closeLibvirt(lv));
    this.libvirtFailed(this.generation, error);
  }

  private libvirtFailed(gen: number, error: unknown): void {
    if (this.stopped || gen !== this.generation) return;
    this.libvirtError = describe(error);
    if (!(error instanceof LibvirtAuthError) && !this.libvirtTimer) {
      const delay = this.libvirtBackoff.next();
      this.libvirtRetryAt = Date.now() + delay;
      this.libvirtTimer = setTimeout(() => {
        this.libvirtTimer = null;
        this.libvirtRetryAt = null;
        if (gen === this.generation && !this.lv) this.track(this.attachLibvirt(gen));
      }, delay);
    }
    this.publishStatus();
  }

  /** The host cannot be reached (SSH failed or was lost): tear all down, reconnect later. */
  private hostLost(error: unknown): void {
    if (this.stopped) return;
    this.teardown();
    this.phase = 'unreachable';
    this.unreachableReason = describe(error);
    this.failedAttempts++;
    this.procError = null;
    this.libvirtError = null;
    const permanent = error instanceof SshError && PERMANENT_SSH_CODES.has(error.code);
    if (!permanent) {
      const delay = this.hostBackoff.next();
      this.hostRetryAt = Date.now() + delay;
      this.hostTimer = setTimeout(() => {
        this.hostTimer = null;
        this.hostRetryAt = null;
        this.track(this.connect());
      }, delay);
    }
    this.publishStatus();
  }

  /** Closes what the current connection opened; bumps the generation so late results are dropped. */
  private teardown(): void {
    this.generation++;
    if (this.hostTimer) clearTimeout(this.hostTimer);
    if (this.libvirtTimer) clearTimeout(this.libvirtTimer);
    this.hostTimer = null;
    this.libvirtTimer = null;
    this.hostRetryAt = null;
    this.libvirtRetryAt = null;
    const scheduler = this.scheduler;
    this.scheduler = null;
    if (scheduler) {
      const counters = scheduler.stats;
      this.pollTotals = {
        polls: this.pollTotals.polls + counters.polls,
        skipped: this.pollTotals.skipped + counters.skipped,
      };
      this.track(scheduler.stop());
    }
    const lv = this.lv;
    this.lv = null;
    const source = this.source;
    this.source = null;
    this.sampler = null;
    const provider = this.provider;
    this.provider = null;
    this.ssh = null;
    // In this order: libvirt says goodbye over the SSH connection before it goes.
    this.track(
      (async () => {
        if (lv) await closeLibvirt(lv);
        await source?.close();
        await provider?.close();
      })(),
    );
    this.previous.clear();
    this.balloonSet.clear();
  }

  // ---- inventory -------------------------------------------------------------------------

  /** Lists every domain, reads each, marks the ones that vanished, asks QEMU who is watching. */
  private async loadInventory(lv: LibvirtConnection): Promise<void> {
    const [domains, flags] = await Promise.all([lv.listAllDomains(0), readDomainFlags(lv)]);
    if (this.lv !== lv) return;
    // Display events may have been missed while we were away: clients are unknown until seeded.
    this.display.reset();
    await Promise.all(domains.map((d) => this.refreshDomain(lv, d, flags)));
    const listed = new Set(domains.map((d) => d.uuid));
    for (const entry of this.inventory.present()) {
      if (!listed.has(entry.uuid)) this.reportGone(entry.uuid);
    }
    await Promise.all(
      this.inventory
        .present()
        .filter((e) => e.stateCode === VM_STATE_RUNNING && e.graphics.length > 0)
        .map((e) => this.seedDisplay(lv, e)),
    );
  }

  /**
   * Re-reads one domain soon; at most one read per domain runs at a time, and an event that
   * arrives during it causes one more read, so the last word is always the daemon's latest.
   */
  private requestRefresh(lv: LibvirtConnection, domain: DomainRef): void {
    if (this.refreshing.has(domain.uuid)) {
      this.refreshAgain.add(domain.uuid);
      return;
    }
    const run = (async () => {
      do {
        this.refreshAgain.delete(domain.uuid);
        await this.refreshDomain(lv, domain, undefined);
      } while (this.refreshAgain.has(domain.uuid) && this.lv === lv);
    })()
      .catch((error) => {
        if (this.lv === lv) this.warn(`${domain.name}: cannot read the domain: ${describe(error)}`);
      })
      .finally(() => this.refreshing.delete(domain.uuid));
    this.refreshing.set(domain.uuid, run);
    this.track(run);
  }

  private async refreshDomain(
    lv: LibvirtConnection,
    domain: DomainRef,
    knownFlags: DomainFlags | null | undefined,
  ): Promise<void> {
    const flags = knownFlags === undefined ? await readDomainFlags(lv) : knownFlags;
    const reading = await readDomain(lv, domain, flags);
    if (this.lv !== lv) return;
    if (!reading) {
      this.reportGone(domain.uuid);
      return;
    }
    const display = this.display.state(domain.uuid);
    const entry = { ...reading.entry, lct: display.lct, connectedNow: display.connectedNow };
    const change = this.inventory.put(entry);
    if (change) this.reportInventory(change, entry);
    await this.ensureMemoryStatsPeriod(lv, domain, entry);
  }

  private reportGone(uuid: string): void {
    this.previous.delete(uuid);
    this.balloonSet.delete(uuid);
    const entry = this.inventory.markGone(uuid);
    if (entry) this.reportInventory('gone', entry);
  }

  private reportInventory(change: 'added' | 'updated' | 'gone', entry: VmInventoryEntry): void {
    this.send({
      type: 'inventory-changed',
      hostId: this.id,
      ts: Date.now(),
      change,
      host: this.hostName,
      vm: { ...entry },
    });
  }

  /** Guests report memory only with a stats period; set one where the balloon has none. */
  private async ensureMemoryStatsPeriod(
    lv: LibvirtConnection,
    domain: DomainRef,
    entry: VmInventoryEntry,
  ): Promise<void> {
    const period = this.target.memoryStatsPeriodSec;
    const balloon = entry.balloon;
    if (
      period <= 0 ||
      entry.stateCode !== VM_STATE_RUNNING ||
      balloon?.model !== 'virtio' ||
      (balloon.statsPeriodSec ?? 0) > 0 ||
      this.balloonSet.has(domain.uuid)
    ) {
      return;
    }
    this.balloonSet.add(domain.uuid);
    try {
      await lv.domainSetMemoryStatsPeriod(domain, period, AFFECT_LIVE);
    } catch (error) {
      if (this.lv === lv) {
        this.warn(`${domain.name}: cannot set the memory stats period: ${describe(error)}`);
      }
      return;
    }
    if (this.lv !== lv) return;
    const change = this.inventory.put({
      ...entry,
      balloon: { ...balloon, statsPeriodSec: period },
    });
    const updated = this.inventory.get(domain.uuid);
    if (change && updated) this.reportInventory(change, updated);
  }

  // ---- events ----------------------------------------------------------------------------

  private onLifecycle(lv: LibvirtConnection, event: LifecycleEvent): void {
    if (this.lv !== lv) return;
    const uuid = event.domain.uuid;
    this.send({
      type: 'vm-event',
      hostId: this.id,
      ts: Date.now(),
      host: this.hostName,
      uuid,
      name: event.domain.name,
      event: { kind: 'lifecycle', event: event.event, detail: event.detail },
    });
    if (event.event === 'started' || event.event === 'stopped' || event.event === 'crashed') {
      this.balloonSet.delete(uuid);
      // A QEMU that ended took its display clients with it, without disconnect events.
      const { lct } = this.display.state(uuid);
      this.display.forget(uuid);
      if (lct !== null) this.display.restore(uuid, lct);
    }
    this.requestRefresh(lv, event.domain);
  }

  private onGraphics(lv: LibvirtConnection, event: GraphicsEvent): void {
    if (this.lv !== lv) return;
    const uuid = event.domain.uuid;
    const now = Date.now();
    this.display.onGraphicsEvent(uuid, event, now);
    const state = this.display.state(uuid);
    this.send({
      type: 'vm-event',
      hostId: this.id,
      ts: now,
      host: this.hostName,
      uuid,
      name: event.domain.name,
      event: {
        kind: 'display',
        phase: event.phase,
        address: event.remote.node,
        service: event.remote.service,
        lct: state.lct,
        connectedNow: state.connectedNow,
      },
    });
    const entry = this.inventory.setDisplay(uuid, state.lct, state.connectedNow);
    if (entry) this.reportInventory('updated', entry);
  }

  /** Display clients already connected when we attached: QEMU knows them, events never will. */
  private async seedDisplay(lv: LibvirtConnection, entry: VmInventoryEntry): Promise<void> {
    const domain: DomainRef = { name: entry.name, uuid: entry.uuid, id: entry.id ?? -1 };
    const clients: { address: string; service: string }[] = [];
    const types = new Set(entry.graphics.map((g) => g.type));
    for (const [type, command, parse] of DISPLAY_QUERIES) {
      if (!types.has(type)) continue;
      let reply: string;
      try {
        reply = await lv.qemuMonitorCommand(domain, command);
      } catch {
        // Not a QEMU domain, or a daemon that refuses monitor commands: events still work.
        return;
      }
      try {
        clients.push(...parse(reply));
      } catch (error) {
        if (this.lv === lv)
          this.warn(`${entry.name}: unexpected ${type} client list: ${describe(error)}`);
        return;
      }
    }
    if (this.lv !== lv) return;
    this.display.seedFromMonitor(entry.uuid, clients, Date.now());
    const state = this.display.state(entry.uuid);
    const changed = this.inventory.setDisplay(entry.uuid, state.lct, state.connectedNow);
    if (changed) this.reportInventory('updated', changed);
  }

  // ---- polling ---------------------------------------------------------------------------

  private async readHost(): Promise<DetailedHostSample | null> {
    if (!this.source) return null;
    if (!this.sampler) await this.attachProc(this.generation);
    const sampler = this.sampler;
    if (!sampler) throw new Error(this.procError ?? '/proc is not readable');
    return sampler.next();
  }

  private async poll(gen: number): Promise<void> {
    const startedMs = performance.now();
    const lv = this.lv;
    const [host, stats] = await Promise.allSettled([
      this.readHost(),
      lv ? lv.getAllDomainStats(CONSOLE_STATS_GROUPS, 0) : Promise.resolve(null),
    ]);
    const monotonicMs = performance.now();
    const ts = Date.now();
    if (gen !== this.generation || this.stopped) return;

    let hostSample: DetailedHostSample | null = null;
    if (host.status === 'fulfilled') {
      hostSample = host.value;
      if (this.sampler) this.procError = null;
    } else if (!this.ssh?.closed) {
      this.procError = describe(host.reason);
    }

    let records: DomainStatsRecord[] | null = null;
    if (lv && this.lv === lv) {
      if (stats.status === 'fulfilled') {
        records = stats.value;
        this.libvirtError = null;
      } else if (!lv.isClosed) {
        this.libvirtError = `all-domain stats failed: ${describe(stats.reason)}`;
      }
    }
    this.publishStatus();

    const vmSamples = records
      ? this.vmSamples(lv as LibvirtConnection, records, monotonicMs, ts)
      : [];
    if (hostSample) {
      const vmCount = records
        ? records.filter((r) => r.params.get('state.state') === VM_STATE_RUNNING).length
        : null;
      this.send({ type: 'host-sample', hostId: this.id, ts, sample: { ...hostSample, vmCount } });
    }
    for (const sample of vmSamples) this.send({ type: 'vm-sample', hostId: this.id, ts, sample });
    this.send({
      type: 'poll-complete',
      hostId: this.id,
      ts,
      durationMs: performance.now() - startedMs,
      vmSamples: vmSamples.length,
      skippedPolls: this.pollCounters().skipped,
    });
  }

  /**
   * Turns one stats reply into samples, and keeps the inventory honest: a domain the reply
   * shows that the inventory lacks (or in another state), or one the inventory has that the
   * reply lacks, is read again (a missed event, a domain that went between list and stats).
   */
  private vmSamples(
    lv: LibvirtConnection,
    records: DomainStatsRecord[],
    monotonicMs: number,
    ts: number,
  ): DetailedVmSample[] {
    const hostCpus = this.identity?.cpuCount ?? this.nodeCpus ?? 1;
    const seen = new Set<string>();
    const samples: DetailedVmSample[] = [];
    for (const record of records) {
      const uuid = record.domain.uuid;
      seen.add(uuid);
      let counters: VmCounters;
      try {
        counters = vmCountersFromStats(record, monotonicMs);
      } catch (error) {
        this.warn(`${record.domain.name}: ${describe(error)}`);
        continue;
      }
      const entry = this.inventory.get(uuid);
      if (!entry || entry.gone || entry.stateCode !== counters.state) {
        this.requestRefresh(lv, record.domain);
      }
      this.inventory.touch(uuid, ts);
      const previous = this.previous.get(uuid);
      this.previous.set(uuid, counters);
      if (!previous) continue;
      const usage = vmUsage(previous, counters, hostCpus);
      const display = this.display.state(uuid);
      samples.push({
        kind: 'vm',
        ts,
        host: this.hostName,
        uuid,
        name: record.domain.name,
        state: vmStateName(counters.state),
        stateReason: counters.stateReason,
        vcpus: counters.vcpuCurrent ?? entry?.vcpus ?? 0,
        cpu: usage.cpu,
        memory: usage.memory,
        disk: usage.disk,
        net: usage.net,
        lct: display.lct,
        connectedNow: display.connectedNow,
        lastSeen: ts,
      });
    }
    for (const uuid of this.previous.keys()) if (!seen.has(uuid)) this.previous.delete(uuid);
    for (const entry of this.inventory.present()) {
      if (!seen.has(entry.uuid)) {
        this.requestRefresh(lv, { name: entry.name, uuid: entry.uuid, id: entry.id ?? -1 });
      }
    }
    return samples;
  }

  // ---- status and plumbing ---------------------------------------------------------------

  private computeStatus(): HostStatus {
    const base = { failedAttempts: this.failedAttempts };
    if (this.stopped) {
      return {
        ...base,
        status: 'stopped',
        reason: null,
        procError: null,
        libvirtError: null,
        retryAt: null,
      };
    }
    if (this.phase === 'unreachable') {
      return {
        ...base,
        status: 'unreachable',
        reason: this.unreachableReason,
        procError: null,
        libvirtError: null,
        retryAt: this.hostRetryAt,
      };
    }
    if (this.phase === 'connecting') {
      return {
        ...base,
        status: 'connecting',
        reason: null,
        procError: null,
        libvirtError: null,
        retryAt: null,
      };
    }
    const problems = [
      this.procError === null ? null : `/proc: ${this.procError}`,
      this.libvirtError === null ? null : `libvirt: ${this.libvirtError}`,
    ].filter((p): p is string => p !== null);
    return {
      failedAttempts: problems.length === 0 ? 0 : this.failedAttempts,
      status: problems.length === 0 ? 'up' : 'degraded',
      reason: problems.length === 0 ? null : problems.join('; '),
      procError: this.procError,
      libvirtError: this.libvirtError,
      retryAt: this.libvirtRetryAt,
    };
  }

  /** Emits host-status when anything in it changed. */
  private publishStatus(): void {
    const status = this.computeStatus();
    if (status.status === 'up') this.failedAttempts = 0;
    const last = this.lastStatus;
    if (
      last &&
      last.status === status.status &&
      last.reason === status.reason &&
      last.procError === status.procError &&
      last.libvirtError === status.libvirtError &&
      last.retryAt === status.retryAt
    ) {
      return;
    }
    this.lastStatus = status;
    this.send({ type: 'host-status', hostId: this.id, ts: Date.now(), ...status });
  }

  private warn(message: string): void {
    this.send({ type: 'warning', hostId: this.id, ts: Date.now(), message });
  }

  /** Nothing is reported after stop() but the final 'stopped' status. */
  private send(event: EngineEvent): void {
    if (!this.stopped) this.sink(event);
  }

  private track(task: Promise<unknown>): void {
    const guarded = task.catch((error) => this.warn(`internal: ${describe(error)}`));
    this.tasks.add(guarded);
    void guarded.finally(() => this.tasks.delete(guarded));
  }
}
