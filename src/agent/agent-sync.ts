import type { SyncStatus } from '../shared/model/sync-status';
import { SECOND_MS } from '../shared/time-ms';
import { MysqlSync } from '../store/mysql/mysql-sync';
import type { AgentSyncConfig } from './agent-config';

/** Counters that a restart of the sync must not take back to 0: Prometheus counters. */
export interface SyncTotals {
  sentRows: number;
  failovers: number;
  conflictRetries: number;
}

interface Running {
  sync: MysqlSync;
  abort: AbortController;
  done: Promise<void>;
  /** The configuration and password it runs with, to tell whether a reload changes them. */
  print: string;
  config: AgentSyncConfig;
}

/** Resolves after ms, holding no process open. */
const late = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The agent's one MysqlSync, following the history continuously. A changed target or
 * resolution is a new MysqlSync: the watermarks are kept per target URL in SQLite, so
 * the new one resumes where that target's last one stopped, and nothing is lost.
 */
export class AgentSync {
  private running: Running | null = null;
  private readonly retired: SyncTotals = { sentRows: 0, failovers: 0, conflictRetries: 0 };
  private lastSaid = '';

  constructor(
    private readonly dbPath: string,
    private readonly log: (line: string) => void,
    /** A round that failed: the error, for the agent's status. */
    private readonly onError: (message: string) => void,
  ) {}

  /** Whether it runs with exactly this configuration and password. */
  runs(config: AgentSyncConfig, password: string): boolean {
    return this.running?.print === printOf(config, password);
  }

  get config(): AgentSyncConfig | null {
    return this.running?.config ?? null;
  }

  /** Starts syncing with this configuration, after stopping what ran before. */
  async start(config: AgentSyncConfig, password: string, stopBudgetMs: number): Promise<void> {
    await this.stop(stopBudgetMs);
    const sync = new MysqlSync({
      dbPath: this.dbPath,
      target: config.target,
      // mysql2 sends no password for ''; the server decides whether that is enough.
      password,
      intervalMs: config.intervalSec * SECOND_MS,
      centralResolutionSec: config.centralResolutionSec,
      ...(config.retentionDays === null ? {} : { centralRetentionDays: config.retentionDays }),
    });
    const abort = new AbortController();
    this.lastSaid = '';
    this.running = {
      sync,
      abort,
      print: printOf(config, password),
      config,
      done: sync.follow(abort.signal, (status) => this.observe(status)),
    };
  }

  status(): SyncStatus | null {
    return this.running?.sync.status() ?? null;
  }

  /** Since the agent started, across restarts of the sync. */
  totals(): SyncTotals {
    const now = this.status();
    return {
      sentRows: this.retired.sentRows + (now?.sentRows ?? 0),
      failovers: this.retired.failovers + (now?.failovers ?? 0),
      conflictRetries: this.retired.conflictRetries + (now?.conflictRetries ?? 0),
    };
  }

  /**
   * Stops syncing: the loop's signal is aborted, a round in flight is given budgetMs to
   * land, and then the sync is closed whatever it is doing. Its connection is destroyed,
   * so the round fails; the batches MySQL committed moved the watermarks, the others are
   * sent again by the next run.
   */
  async stop(budgetMs: number): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    running.abort.abort();
    await Promise.race([running.done, late(budgetMs)]);
    const last = running.sync.status();
    this.retired.sentRows += last.sentRows;
    this.retired.failovers += last.failovers;
    this.retired.conflictRetries += last.conflictRetries;
    await running.sync.close();
  }

  /** A round's end: a new error, or the end of one, is logged once. */
  private observe(status: SyncStatus): void {
    const error = status.lastError;
    const said = error ? `${error.code}: ${error.message}` : '';
    if (said === this.lastSaid) return;
    if (error) {
      this.log(`setmov agent: sync: ${said}`);
      this.onError(`sync: ${said}`);
    } else {
      this.log(`setmov agent: sync: sending again (${status.target} via ${status.node ?? '?'})`);
    }
    this.lastSaid = said;
  }
}

function printOf(config: AgentSyncConfig, password: string): string {
  return JSON.stringify([
    config.target,
    config.centralResolutionSec,
    config.retentionDays,
    config.intervalSec,
    password,
  ]);
}
