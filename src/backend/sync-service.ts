import type { z } from 'zod';
import { ContractError } from '../shared/contract/reply';
import type { SyncTestResult } from '../shared/contract/requests';
import type { SyncSetParams, SyncTargetInput } from '../shared/contract/schemas';
import type { SyncStatus, SyncView } from '../shared/model/sync-status';
import { abortableSleep } from '../store/abortable-sleep';
import { latestMysqlVersion } from '../store/mysql/mysql-migrations';
import { MysqlSync } from '../store/mysql/mysql-sync';
import { forgetSyncTarget } from '../store/mysql/outbox';
import { openDatabase } from '../store/sqlite/open-database';
import { StoreError } from '../store/store-error';
import { targetKey, type MysqlTarget } from '../store/mysql/mysql-target';
import { formTarget, savedMysqlTargetSchema } from './saved-mysql-target';
import { SyncError } from '../store/mysql/sync-error';
import { syncRounds } from '../store/mysql/sync-rounds';
import { mysqlSecretKey, type SecretStore } from '../store/secret-store';
import { readJsonFile, writeJsonFile } from '../collector/files/private-json-file';

/** sync.json: the target without its password, which is in the secret store. */
type SavedTarget = z.output<typeof savedMysqlTargetSchema>;

export interface SyncServiceOptions {
  /** The history the sync reads (its own SQLite connection). */
  dbPath: string;
  /** Where the target is saved (sync.json). */
  configPath: string;
  secrets: SecretStore;
  /** Told whenever the view changes: a round's outcome, a new target. */
  onChange: (view: SyncView) => void;
  /** Pause between rounds once caught up, ms (default SYNC_INTERVAL_MS). */
  intervalMs?: number;
  /** Longest pause after failures, ms (default SYNC_MAX_BACKOFF_MS). */
  maxBackoffMs?: number;
  connectTimeoutMs?: number;
}

/** Drops the removed target's watermarks and parked rows from the history. */
function forgetTargetIn(dbPath: string, target: string): void {
  try {
    const db = openDatabase(dbPath);
    try {
      forgetSyncTarget(db, target);
    } finally {
      db.close();
    }
  } catch (error) {
    if (error instanceof StoreError) throw new ContractError('failed', error.message);
    throw error;
  }
}

/** A SyncError as the console shows it: its code first, so the UI can branch on it. */
function failed(error: unknown): never {
  if (error instanceof SyncError)
    throw new ContractError('failed', `${error.code}: ${error.message}`);
  throw error;
}

/**
 * The backend's one MySQL target: saved in sync.json (password in the secret store),
 * synced continuously while enabled, every request (round, init, test) one after the
 * other on one MysqlSync so two never share a connection.
 */
export class SyncService {
  private saved: SavedTarget | null;
  private sync: MysqlSync | null = null;
  private status: SyncStatus | null = null;
  /** Every MySQL operation, in order. */
  private chain: Promise<unknown> = Promise.resolve();
  private loop: { abort: AbortController; done: Promise<void> } | null = null;
  private wake: AbortController | null = null;
  private hasPassword = false;

  private constructor(
    private readonly options: SyncServiceOptions,
    saved: SavedTarget | null,
  ) {
    this.saved = saved;
  }

  /** The saved target, syncing again if it was enabled. */
  static async open(options: SyncServiceOptions): Promise<SyncService> {
    const service = new SyncService(
      options,
      (await readJsonFile(options.configPath, savedMysqlTargetSchema.nullable())) ?? null,
    );
    await service.restart();
    return service;
  }

  view(): SyncView {
    const saved = this.saved;
    return {
      target: saved && {
        url: saved.url,
        tlsCaFile: saved.tlsCaFile,
        hasPassword: this.hasPassword,
        enabled: saved.enabled,
      },
      status: this.status && { ...this.status },
    };
  }

  async set(params: SyncSetParams): Promise<SyncView> {
    const target = formTarget(params.url, params.tlsCaFile);
    const saved: SavedTarget = {
      url: targetKey(target),
      tlsCaFile: params.tlsCaFile,
      enabled: params.enabled,
    };
    const key = mysqlSecretKey(target);
    if (params.password === null) await this.options.secrets.delete(key);
    else if (params.password !== undefined) await this.options.secrets.set(key, params.password);
    await writeJsonFile(this.options.configPath, savedMysqlTargetSchema, saved);
    if (this.saved && this.saved.url !== saved.url) this.status = null;
    this.saved = saved;
    await this.restart();
    this.options.onChange(this.view());
    return this.view();
  }

  /**
   * Forgets the target, its password, and what the history kept for it (its watermarks
   * and parked rows, so pruning no longer waits for it); the history itself stays.
   */
  async remove(): Promise<SyncView> {
    const saved = this.saved;
    this.saved = null;
    await this.restart();
    if (saved) {
      const target = formTarget(saved.url, null);
      await this.options.secrets.delete(mysqlSecretKey(target));
      await writeJsonFile(this.options.configPath, savedMysqlTargetSchema.nullable(), null);
      forgetTargetIn(this.options.dbPath, targetKey(target));
    }
    this.status = null;
    this.options.onChange(this.view());
    return this.view();
  }

  /** Connects to the given target (or the saved one) and reads its schema version. */
  async test(input: SyncTargetInput | undefined): Promise<SyncTestResult> {
    const result: SyncTestResult = {
      steps: [],
      schemaVersion: null,
      expectedSchemaVersion: latestMysqlVersion,
    };
    const skip = (...steps: ('connect' | 'schema')[]): SyncTestResult => {
      for (const step of steps) result.steps.push({ step, result: 'skipped', error: null });
      return result;
    };
    let target: MysqlTarget;
    let password: string;
    try {
      const given = input ?? this.saved;
      if (!given) throw new ContractError('failed', 'no MySQL target is set');
      target = formTarget(given.url, given.tlsCaFile);
      password =
        input?.password === undefined
          ? ((await this.options.secrets.get(mysqlSecretKey(target))) ?? '')
          : (input.password ?? '');
      result.steps.push({ step: 'config', result: 'ok', error: null });
    } catch (error) {
      result.steps.push({ step: 'config', result: 'failed', error: (error as Error).message });
      return skip('connect', 'schema');
    }
    const probe = new MysqlSync({
      dbPath: this.options.dbPath,
      target,
      password,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 5000,
    });
    try {
      const version = await probe.schemaVersion();
      result.steps.push({ step: 'connect', result: 'ok', error: null });
      result.schemaVersion = version;
      const error =
        version === 0
          ? 'the central tables are not created yet: initialise the schema'
          : version > latestMysqlVersion
            ? `the database has schema version ${version}; this SETMOV writes ${latestMysqlVersion}`
            : version < latestMysqlVersion
              ? `schema version ${version} is older than ${latestMysqlVersion}: initialise to upgrade it`
              : null;
      result.steps.push({ step: 'schema', result: error ? 'failed' : 'ok', error });
    } catch (error) {
      const message =
        error instanceof SyncError ? `${error.code}: ${error.message}` : String(error);
      result.steps.push({ step: 'connect', result: 'failed', error: message });
      skip('schema');
    } finally {
      await probe.close();
    }
    return result;
  }

  /** Creates or upgrades the central tables of the saved target. */
  async init(): Promise<{ fromVersion: number; toVersion: number }> {
    const [fromVersion, toVersion] = await this.serial(async (sync) => sync.init().catch(failed));
    this.kick();
    return { fromVersion, toVersion };
  }

  /** Sends what is waiting now, and answers once that round ended. */
  async syncNow(): Promise<SyncView> {
    await this.serial((sync) => this.round(sync));
    if (this.status?.lastError) {
      const { code, message } = this.status.lastError;
      throw new ContractError('failed', `${code}: ${message}`);
    }
    return this.view();
  }

  /** Stops syncing; a round still connecting is given up to budgetMs, then dropped. */
  async close(budgetMs = 2000): Promise<void> {
    this.saved = null;
    await this.restart(budgetMs);
  }

  /** Runs one MySQL operation after the others, on the saved target's MysqlSync. */
  private serial<T>(work: (sync: MysqlSync) => Promise<T>): Promise<T> {
    const run = this.chain.then(() => {
      if (!this.sync) throw new ContractError('failed', 'no MySQL target is set');
      return work(this.sync);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** One sync round; its outcome is in the status, never thrown. */
  private async round(sync: MysqlSync): Promise<void> {
    await sync.syncOnce().catch(() => undefined);
    const before = JSON.stringify(this.status);
    this.status = sync.status();
    if (JSON.stringify(this.status) !== before) this.options.onChange(this.view());
  }

  /** Ends the current MysqlSync (and its loop) and starts the saved target's. */
  private async restart(budgetMs = Infinity): Promise<void> {
    const loop = this.loop;
    this.loop = null;
    loop?.abort.abort();
    const ended = Promise.all([loop?.done, this.chain]);
    if (Number.isFinite(budgetMs)) {
      const late = new Promise((resolve) => setTimeout(resolve, budgetMs).unref());
      await Promise.race([ended, late]);
    } else {
      await ended;
    }
    await this.sync?.close();
    this.sync = null;
    const saved = this.saved;
    if (!saved) {
      this.hasPassword = false;
      return;
    }
    const target = formTarget(saved.url, saved.tlsCaFile);
    const password = await this.options.secrets.get(mysqlSecretKey(target));
    this.hasPassword = password !== null;
    this.sync = new MysqlSync({
      dbPath: this.options.dbPath,
      target,
      // mysql2 sends no password for ''; the server decides whether that is enough.
      password: password ?? '',
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
    });
    this.status = this.sync.status();
    if (saved.enabled) {
      const abort = new AbortController();
      this.loop = { abort, done: this.follow(abort.signal) };
    }
  }

  /** Rounds while enabled: the interval once caught up, a growing pause after failures. */
  private async follow(signal: AbortSignal): Promise<void> {
    await syncRounds({
      signal,
      intervalMs: this.options.intervalMs,
      maxBackoffMs: this.options.maxBackoffMs,
      round: async () => {
        await this.serial((sync) => this.round(sync)).catch(() => undefined);
        return Boolean(this.status?.lastError);
      },
      // kick() ends a pause early.
      pause: (ms) => {
        this.wake = new AbortController();
        return abortableSleep(ms, AbortSignal.any([signal, this.wake.signal]));
      },
    });
  }

  /** Ends the loop's pause: after init the target may be ready now. */
  private kick(): void {
    this.wake?.abort();
  }
}
