import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';
import { HostSampler } from '../host/host-sampler';
import type { HostIdentity } from '../../shared/model/host-identity';
import { LocalHostSource } from '../host/local-host-source';
import { connectLibvirt, type ConnectOptions } from '../libvirt/connect';
import { CONSOLE_STATS_GROUPS, type DomainStatsRecord } from '../libvirt/domain-stats';
import { LibvirtAuthError } from '../libvirt/errors';
import type { LibvirtConnection } from '../libvirt/libvirt-connection';
import { connectSsh as defaultConnectSsh, type SshConnection } from '../ssh/ssh-connection';
import { createSshConnectionProvider } from '../ssh/ssh-connection-provider';
import { SshError } from '../ssh/ssh-errors';
import { createSshHostSource } from '../ssh/ssh-host-source';
import type { SshTarget } from '../ssh/ssh-target';
import { DisplayTracker } from '../vm/display-tracker';
import type { BackoffOptions } from './backoff';
import type { EngineEvent, HostStatus, VmInventoryEntry } from '../../shared/model/engine-events';
import { errorLine } from './error-line';
import { HostConnection } from './host-connection';
import { hostHealth, sameHealth } from './host-health';
import type { ResolvedHostTarget } from './host-target';
import { LibvirtAttachment, type AttachmentOwner } from './libvirt-attachment';
import { phaseOf, PollScheduler, type PollCounters } from './poll-scheduler';
import { RetryTimer } from './retry-timer';
import { VmInventory } from './vm-inventory';
import { VM_STATE_RUNNING } from './vm-state';

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

/** How long a libvirt goodbye may take before the connection is simply dropped, ms. */
const LIBVIRT_CLOSE_MS = 3_000;

/** Closes a libvirt connection, bounded in time (LibvirtConnection.close keeps its budget). */
const closeLibvirt = (lv: LibvirtConnection): Promise<void> => lv.close(LIBVIRT_CLOSE_MS);

/**
 * One watched host: it connects (SSH or local) and reconnects whatever breaks, polls /proc and
 * libvirt into samples, and keeps the host's status. The VM path lives in the parts it holds:
 * the current HostConnection (source, samplers, poll loop) and LibvirtAttachment (events,
 * domain reads); "is this still current?" is one identity check against them.
 */
export class HostSession {
  private readonly inventory = new VmInventory();
  private readonly display = new DisplayTracker();
  private readonly hostRetry: RetryTimer;
  private readonly libvirtRetry: RetryTimer;
  private readonly connectSshFn: (target: SshTarget) => Promise<SshConnection>;
  private readonly connectLibvirtFn: (options: ConnectOptions) => Promise<LibvirtConnection>;
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly libvirtCallTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly owner: AttachmentOwner;

  private stopped = false;
  private phase: 'connecting' | 'attached' | 'unreachable' = 'connecting';
  private unreachableReason: string | null = null;
  private failedAttempts = 0;
  private conn: HostConnection | null = null;
  private libvirt: LibvirtAttachment | null = null;
  private identity: HostIdentity | null = null;
  private libvirtHostname: string | null = null;
  private nodeCpus: number | null = null;
  private pollTotals: PollCounters = { polls: 0, skipped: 0 };
  private procError: string | null = null;
  private libvirtError: string | null = null;
  private lastStatus: HostStatus | null = null;

  constructor(
    readonly target: ResolvedHostTarget,
    private readonly sink: (event: EngineEvent) => void,
    deps: HostSessionDeps = {},
  ) {
    this.hostRetry = new RetryTimer(deps.backoff);
    this.libvirtRetry = new RetryTimer(deps.backoff);
    this.connectSshFn = deps.connectSsh ?? defaultConnectSsh;
    this.connectLibvirtFn = deps.connectLibvirt ?? connectLibvirt;
    this.libvirtCallTimeoutMs = deps.libvirtCallTimeoutMs ?? 15_000;
    this.readTimeoutMs = deps.readTimeoutMs ?? 10_000;
    this.owner = {
      inventory: this.inventory,
      display: this.display,
      libvirtHost: (libvirt, nodeCpus) => {
        this.libvirtHostname = libvirt.hostname;
        this.nodeCpus = nodeCpus;
        this.send({ type: 'host-libvirt', hostId: this.id, ts: Date.now(), libvirt });
      },
      domainGone: (uuid) => this.conn?.vms.forget(uuid),
      reportInventory: (change, entry) =>
        this.send({
          type: 'inventory-changed',
          hostId: this.id,
          ts: Date.now(),
          change,
          host: this.hostName,
          vm: { ...entry },
        }),
      reportVmEvent: (domain, event, ts) =>
        this.send({
          type: 'vm-event',
          hostId: this.id,
          ts,
          host: this.hostName,
          uuid: domain.uuid,
          name: domain.name,
          event,
        }),
      warn: (message) => this.warn(message),
      track: (task) => this.track(task),
    };
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
    const live = this.conn?.scheduler?.stats ?? { polls: 0, skipped: 0 };
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
    const ssh = this.target.ssh;
    const conn = new HostConnection(
      ssh ? createSshConnectionProvider(ssh, this.connectSshFn) : null,
    );
    this.conn = conn;
    this.phase = 'connecting';
    this.publishStatus();
    if (ssh && conn.provider) {
      let connection: SshConnection;
      try {
        connection = await conn.provider.get();
      } catch (error) {
        if (this.conn === conn) this.hostLost(error);
        else await conn.provider.close();
        return;
      }
      if (this.conn !== conn) return;
      conn.ssh = connection;
      connection.on('close', (reason) => {
        if (reason && this.conn === conn) this.hostLost(reason);
      });
      conn.source = createSshHostSource(ssh, {
        connections: conn.provider,
        readTimeoutMs: this.readTimeoutMs,
      });
    } else {
      conn.source = new LocalHostSource(
        this.target.procRoot === undefined ? {} : { procRoot: this.target.procRoot },
      );
    }
    await Promise.all([this.attachProc(conn), this.attachLibvirt(conn)]);
    if (this.conn !== conn) return;
    this.phase = 'attached';
    this.unreachableReason = null;
    this.hostRetry.succeeded();
    this.publishStatus();
    conn.scheduler = new PollScheduler({
      intervalMs: this.target.pollIntervalMs,
      phaseMs: phaseOf(this.id, this.target.pollIntervalMs),
      poll: () => this.poll(conn),
      onError: (error) => this.warn(`poll failed: ${errorLine(error)}`),
    });
    conn.scheduler.start();
  }

  private async attachProc(conn: HostConnection): Promise<void> {
    const source = conn.source;
    if (!source) return;
    try {
      const identity = await source.identity();
      if (this.conn !== conn) return;
      this.identity = identity;
      conn.sampler = new HostSampler(source, identity, this.target.procRoot ?? '/proc');
      this.procError = null;
      this.send({
        type: 'host-identity',
        hostId: this.id,
        ts: Date.now(),
        identity,
        libvirtHostname: this.libvirtHostname,
      });
    } catch (error) {
      if (this.conn !== conn) return;
      this.procError = errorLine(error);
    }
  }

  private async attachLibvirt(conn: HostConnection): Promise<void> {
    let lv: LibvirtConnection;
    try {
      lv = await this.connectLibvirtFn({
        uri: this.target.libvirtUri,
        ...(conn.ssh ? { ssh: conn.ssh } : {}),
        callTimeoutMs: this.libvirtCallTimeoutMs,
        connectTimeoutMs: this.libvirtCallTimeoutMs,
      });
    } catch (error) {
      if (this.conn === conn) this.libvirtFailed(error);
      return;
    }
    if (this.conn !== conn) {
      await closeLibvirt(lv);
      return;
    }
    const attachment = new LibvirtAttachment(lv, this.owner, this.target.memoryStatsPeriodSec);
    this.libvirt = attachment;
    lv.onClose((error) => this.libvirtLost(attachment, error ?? new Error('closed by the daemon')));
    try {
      await attachment.attach();
    } catch (error) {
      this.libvirtLost(attachment, error);
      return;
    }
    if (!attachment.current) return;
    this.libvirtError = null;
    this.libvirtRetry.succeeded();
    this.publishStatus();
  }

  /** The libvirt connection died or broke: drop it and try again later (the host stays up). */
  private libvirtLost(attachment: LibvirtAttachment, error: unknown): void {
    if (this.libvirt !== attachment) return;
    attachment.detach();
    this.libvirt = null;
    this.track(closeLibvirt(attachment.lv));
    this.libvirtFailed(error);
  }

  private libvirtFailed(error: unknown): void {
    if (this.stopped) return;
    this.libvirtError = errorLine(error);
    const conn = this.conn;
    if (!(error instanceof LibvirtAuthError) && conn) {
      this.libvirtRetry.schedule(() => {
        if (this.conn === conn && !this.libvirt) this.track(this.attachLibvirt(conn));
      });
    }
    this.publishStatus();
  }

  /** The host cannot be reached (SSH failed or was lost): tear all down, reconnect later. */
  private hostLost(error: unknown): void {
    if (this.stopped) return;
    this.teardown();
    this.phase = 'unreachable';
    this.unreachableReason = errorLine(error);
    this.failedAttempts++;
    this.procError = null;
    this.libvirtError = null;
    // The error knows whether the user must act first (a host key, credentials): no retry then.
    const permanent = error instanceof SshError && error.permanent;
    if (!permanent) this.hostRetry.schedule(() => this.track(this.connect()));
    this.publishStatus();
  }

  /** Lets the current connection go, closing what it opened; its late results are dropped. */
  private teardown(): void {
    this.hostRetry.cancel();
    this.libvirtRetry.cancel();
    const conn = this.conn;
    const attachment = this.libvirt;
    this.conn = null;
    this.libvirt = null;
    attachment?.detach();
    const scheduler = conn?.scheduler;
    if (scheduler) {
      const counters = scheduler.stats;
      this.pollTotals = {
        polls: this.pollTotals.polls + counters.polls,
        skipped: this.pollTotals.skipped + counters.skipped,
      };
      this.track(scheduler.stop());
    }
    // In this order: libvirt says goodbye over the SSH connection before it goes.
    this.track(
      (async () => {
        if (attachment) await closeLibvirt(attachment.lv);
        await conn?.close();
      })(),
    );
  }

  // ---- polling ---------------------------------------------------------------------------

  private async readHost(conn: HostConnection): Promise<DetailedHostSample | null> {
    if (!conn.source) return null;
    if (!conn.sampler) await this.attachProc(conn);
    const sampler = conn.sampler;
    if (!sampler) throw new Error(this.procError ?? '/proc is not readable');
    return sampler.next();
  }

  private async poll(conn: HostConnection): Promise<void> {
    const startedMs = performance.now();
    const attachment = this.libvirt;
    const [host, stats] = await Promise.allSettled([
      this.readHost(conn),
      attachment ? attachment.lv.getAllDomainStats(CONSOLE_STATS_GROUPS, 0) : Promise.resolve(null),
    ]);
    const monotonicMs = performance.now();
    const ts = Date.now();
    if (this.conn !== conn || this.stopped) return;

    let hostSample: DetailedHostSample | null = null;
    if (host.status === 'fulfilled') {
      hostSample = host.value;
      if (conn.sampler) this.procError = null;
    } else if (!conn.ssh?.closed) {
      this.procError = errorLine(host.reason);
    }

    let records: DomainStatsRecord[] | null = null;
    if (attachment && this.libvirt === attachment) {
      if (stats.status === 'fulfilled') {
        records = stats.value;
        this.libvirtError = null;
      } else if (!attachment.lv.isClosed) {
        this.libvirtError = `all-domain stats failed: ${errorLine(stats.reason)}`;
      }
    }
    this.publishStatus();

    const vmSamples =
      records && attachment
        ? conn.vms.sample(records, monotonicMs, ts, {
            hostName: this.hostName,
            hostCpus: this.identity?.cpuCount ?? this.nodeCpus ?? 1,
            inventory: this.inventory,
            display: this.display,
            refresh: (domain) => attachment.requestRefresh(domain),
            warn: (message) => this.warn(message),
          })
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

  // ---- status and plumbing ---------------------------------------------------------------

  private computeStatus(): HostStatus {
    return hostHealth({
      phase: this.stopped ? 'stopped' : this.phase,
      unreachableReason: this.unreachableReason,
      failedAttempts: this.failedAttempts,
      hostRetryAt: this.hostRetry.retryAt,
      procError: this.procError,
      libvirtError: this.libvirtError,
      libvirtRetryAt: this.libvirtRetry.retryAt,
    });
  }

  /** Emits host-status when anything in it changed. */
  private publishStatus(): void {
    const status = this.computeStatus();
    if (status.status === 'up') this.failedAttempts = 0;
    if (this.lastStatus && sameHealth(this.lastStatus, status)) return;
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
    const guarded = task.catch((error) => this.warn(`internal: ${errorLine(error)}`));
    this.tasks.add(guarded);
    void guarded.finally(() => this.tasks.delete(guarded));
  }
}
