import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { recordEngineEvent } from '../backend/engine-to-sink';
import { CollectorEngine } from '../collector/engine/collector-engine';
import type { HostSessionDeps } from '../collector/engine/host-session';
import { SECOND_MS } from '../shared/time-ms';
import { openCollectSink, type CollectSink } from '../store/collect-sink';
import { loadAgentConfig, type AgentConfig } from './agent-config';
import { agentHealth } from './agent-health';
import { withHostIds } from './agent-host-ids';
import { AgentHosts } from './agent-hosts';
import { agentMetricFamilies } from './agent-metrics';
import { AgentSecrets } from './agent-secrets';
import { AgentState } from './agent-state';
import {
  agentStatusPath,
  STATUS_WRITE_EVERY_MS,
  writeAgentStatus,
  type AgentStatus,
} from './agent-status-file';
import { AgentSync } from './agent-sync';
import { bufferBytes } from './buffer-bytes';
import {
  startMetricsServer,
  type MetricsServer,
  type MetricsServerOptions,
} from './metrics-server';
import { prometheusText } from './prometheus-text';

/** Whole close budget of the engine's sessions (the sink's close is quick after it). */
const ENGINE_CLOSE_BUDGET_MS = 2 * SECOND_MS;
/**
 * What a sync round in flight gets to land at a stop or a restart before its connection
 * is dropped: a 5,000-row batch commits well within it on a LAN.
 */
const SYNC_STOP_BUDGET_MS = SECOND_MS;

export interface AgentOptions {
  configPath: string;
  /** The configuration of configPath, loaded and checked by the caller. */
  config: AgentConfig;
  /** Where SETMOV_MYSQL_PASSWORD and the SSH secrets are looked up. */
  env: NodeJS.ProcessEnv;
  /** One line per thing worth telling the admin; never carries a secret. */
  log: (line: string) => void;
  now?: () => number;
  /** For tests: the engine's dependencies (timeouts, connectors). */
  engine?: HostSessionDeps;
}

const historyPath = (stateDir: string): string => join(stateDir, 'setmov.db');

/**
 * `setmov agent`: watches the configured hosts with the collector engine, keeps their
 * samples in the local history (its buffer), sends that history to the central database
 * continuously, and tells how it is doing in a status file and, when configured, on a
 * loopback metrics endpoint. Wired as the backend wires the same pieces (backend.ts):
 * engine → recordEngineEvent → sink, saved hosts started on the engine under their ids,
 * a MysqlSync following the history.
 */
export class Agent {
  private metrics: MetricsServer | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private statusWrite: Promise<void> | null = null;
  private statusWriteError = '';
  private reloading: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;
  private readonly startedAt: number;
  private readonly now: () => number;

  private constructor(
    private readonly o: AgentOptions,
    private config: AgentConfig,
    private readonly sink: CollectSink,
    private readonly engine: CollectorEngine,
    private readonly state: AgentState,
    private readonly hosts: AgentHosts,
    private readonly sync: AgentSync,
    private readonly secrets: AgentSecrets,
    private readonly stopListening: () => void,
  ) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Starts everything; a failure closes what had started and is thrown. */
  static async start(o: AgentOptions): Promise<Agent> {
    const now = o.now ?? Date.now;
    const { config, log } = o;
    // 0755: the status file in it is for checks run as other users; the history and
    // the secrets in it are 0600 files of their own.
    await mkdir(config.stateDir, { recursive: true, mode: 0o755 });
    const hostList = await withHostIds(config.stateDir, config.hosts);
    const secrets = new AgentSecrets(config.stateDir, o.env);
    const state = new AgentState(now, log);
    const dbPath = historyPath(config.stateDir);
    const sink = openCollectSink({
      dbPath,
      onStatus: (status) => {
        const line = `history ${status.state}, ${status.pending} pending, ${status.dropped} dropped${status.error ? `: ${status.error.message}` : ''}`;
        log(`setmov agent: ${line}`);
        if (status.state !== 'ok') state.error(line);
      },
    });
    const engine = new CollectorEngine({
      ...o.engine,
      onListenerError: (error, event) =>
        log(`setmov agent: handling ${event.type} failed: ${(error as Error).message}`),
    });
    const stopListening = engine.on((event) => {
      recordEngineEvent(sink, event, true);
      state.observe(event);
    });
    const sync = new AgentSync(dbPath, log, (message) => state.error(message));
    const hosts = new AgentHosts({
      engine,
      store: sink.store,
      secrets,
      knownHostsFile: join(config.stateDir, 'known_hosts'),
      onFailed: (id, message) => state.hostFailed(id, message),
      log,
    });
    const agent = new Agent(o, config, sink, engine, state, hosts, sync, secrets, stopListening);
    try {
      state.setHosts(hostList);
      await hosts.apply(hostList);
      await sync.start(
        config.sync,
        await secrets.mysqlPassword(config.sync.target),
        SYNC_STOP_BUDGET_MS,
      );
      if (config.metrics)
        agent.metrics = await startMetricsServer(agent.metricsOptions(config.metrics));
    } catch (error) {
      await agent.close();
      throw error;
    }
    await agent.writeStatus();
    agent.statusTimer = setInterval(() => void agent.writeStatus(), STATUS_WRITE_EVERY_MS);
    log(
      `setmov agent: started (pid ${process.pid}): ${hostList.length} hosts, syncing to ${config.sync.url} at ${config.sync.resolution}` +
        (agent.metrics ? `, metrics at ${agent.metrics.url}` : ''),
    );
    return agent;
  }

  /**
   * Reads the configuration file again (SIGHUP). One that does not load is logged in one
   * line and the agent runs on as it was; one that does is applied: hosts added, removed
   * and changed on the engine, the sync restarted when its target, resolution, interval
   * or password changed, the metrics endpoint moved when its address did. Reloads run
   * one after the other.
   */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() =>
      // SIGHUP's handler does not wait for it: a reload never rejects.
      this.reloadNow().catch((error: unknown) => {
        const line = `reload failed part-way: ${(error as Error).message}`;
        this.o.log(`setmov agent: ${line}`);
        this.state.error(line);
      }),
    );
    return this.reloading;
  }

  /** What the status file and the metrics tell, now. */
  snapshot(): AgentStatus {
    const now = this.now();
    const sync = this.sync.status();
    const totals = this.sync.totals();
    const sink = this.sink.status();
    return {
      version: 1,
      pid: process.pid,
      state: this.closing ? 'stopped' : 'running',
      startedAt: this.startedAt,
      updatedAt: now,
      configPath: this.o.configPath,
      metricsUrl: this.metrics?.url ?? null,
      hosts: this.state.hostList(),
      samplesCollected: this.state.samplesCollected,
      samplesDropped: sink.dropped,
      sync: {
        target: sync?.target ?? this.config.sync.url,
        resolution: this.config.sync.resolution,
        node: sync?.node ?? null,
        state: sync?.state ?? 'stopped',
        lagSeconds: sync?.oldestPendingAt ? Math.max(0, now - sync.oldestPendingAt) / SECOND_MS : 0,
        rowsPending: sync?.lagSamples ?? 0,
        rowsParked: sync?.parkedRows ?? 0,
        rowsSent: totals.sentRows,
        failovers: totals.failovers,
        conflictRetries: totals.conflictRetries,
        lastSuccessAt: sync?.lastSuccessAt ?? null,
        lastError: sync?.lastError ?? null,
      },
      bufferBytes: bufferBytes(historyPath(this.config.stateDir)),
      lastError: this.state.lastError,
    };
  }

  /**
   * Stops within 3 s: the sync's round in flight gets SYNC_STOP_BUDGET_MS and is then
   * dropped (the watermarks keep what was committed), the engine's sessions are closed
   * (bounded), the history flushes what they collected, and the status says 'stopped'.
   */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    const metrics = this.metrics;
    this.metrics = null;
    const late = new Promise<'late'>((resolve) =>
      setTimeout(() => resolve('late'), ENGINE_CLOSE_BUDGET_MS).unref(),
    );
    const [engineClosed] = await Promise.all([
      Promise.race([this.engine.stop(), late]),
      this.sync.stop(SYNC_STOP_BUDGET_MS),
      metrics?.close(),
    ]);
    if (engineClosed === 'late') {
      this.o.log('setmov agent: some host connections did not close within 2 s');
    }
    // A session still closing must not write to a closed history.
    this.stopListening();
    this.sink.close();
    await this.statusWrite;
    await this.writeStatus(true);
    this.o.log('setmov agent: stopped');
  }

  private async reloadNow(): Promise<void> {
    if (this.closing) return;
    const refuse = (reason: string): void => {
      const line = `reload refused, running on as before: ${reason}`;
      this.o.log(`setmov agent: ${line}`);
      this.state.error(line);
    };
    let next: AgentConfig;
    try {
      next = await loadAgentConfig(this.o.configPath);
    } catch (error) {
      return refuse((error as Error).message);
    }
    if (next.stateDir !== this.config.stateDir) {
      return refuse(`stateDir changed to ${next.stateDir}: that takes a restart of the agent`);
    }
    let hostList;
    let password: string;
    try {
      hostList = await withHostIds(next.stateDir, next.hosts);
      password = await this.secrets.mysqlPassword(next.sync.target);
    } catch (error) {
      return refuse((error as Error).message);
    }
    this.state.setHosts(hostList);
    const { added, removed, changed } = await this.hosts.apply(hostList);
    const restartSync = !this.sync.runs(next.sync, password);
    if (restartSync) await this.sync.start(next.sync, password, SYNC_STOP_BUDGET_MS);
    const oldMetrics = this.config.metrics;
    this.config = next;
    if (JSON.stringify(next.metrics) !== JSON.stringify(oldMetrics)) await this.moveMetrics();
    this.o.log(
      `setmov agent: configuration reloaded: ${hostList.length} hosts (${added} added, ${removed} removed, ${changed} changed), sync ${restartSync ? `restarted (${next.sync.url} at ${next.sync.resolution})` : 'unchanged'}` +
        `, metrics ${this.metrics ? `at ${this.metrics.url}` : 'off'}`,
    );
  }

  /** The endpoint of the new configuration; one that cannot listen leaves metrics off. */
  private async moveMetrics(): Promise<void> {
    await this.metrics?.close();
    this.metrics = null;
    const wanted = this.config.metrics;
    if (!wanted) return;
    try {
      this.metrics = await startMetricsServer(this.metricsOptions(wanted));
    } catch (error) {
      this.o.log(`setmov agent: ${(error as Error).message}; metrics are off`);
      this.state.error((error as Error).message);
    }
  }

  private metricsOptions(where: { address: string; port: number }): MetricsServerOptions {
    return {
      ...where,
      render: () => {
        const status = this.snapshot();
        return prometheusText(
          agentMetricFamilies(status, agentHealth(status, status.updatedAt).ok),
        );
      },
    };
  }

  /** Rewrites the status file; a write already under way is not doubled. */
  private writeStatus(final = false): Promise<void> {
    if (this.statusWrite && !final) return this.statusWrite;
    const path = agentStatusPath(this.config.stateDir);
    this.statusWrite = writeAgentStatus(path, this.snapshot())
      .then(() => {
        this.statusWriteError = '';
      })
      .catch((error: unknown) => {
        // Said once per new reason, not every STATUS_WRITE_EVERY_MS.
        const message = `${path}: ${(error as Error).message}`;
        if (message !== this.statusWriteError)
          this.o.log(`setmov agent: status not written: ${message}`);
        this.statusWriteError = message;
      })
      .finally(() => {
        this.statusWrite = null;
      });
    return this.statusWrite;
  }
}
