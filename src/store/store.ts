import type { Database } from 'better-sqlite3';
import { defaultDbPath } from './default-db-path';
import { Ingestor } from './ingest';
import { Maintainer } from './maintain';
import type { MaintainResult } from './maintain';
import { rangeQuery } from './range-query';
import { deviceRangeQuery } from './device-range';
import type { DeviceRangeQuery, DeviceRangeResult } from './device-range';
import type { RangeQuery, RangeResult } from './range-query';
import { defaultRetention } from './retention';
import type { RetentionConfig } from './retention';
import { openDatabase } from './sqlite/open-database';
import { withStoreErrors } from './sqlite/sqlite-failure';
import { StoreError } from './store-error';
import type { HostIdentityRecord, IngestResult, StoreEvent } from './store-events';
import type { EntityRef } from './entity-ref';
import { exportRange, type ExportedRange, type ExportFormat } from './export-range';
import { recentHostEvents, recentVmEvents } from './vm-events-query';
import type { HostEventRecord, VmEventRecord } from '../shared/model/host-view';

export interface StoreOptions {
  /** SQLite file; default: defaultDbPath(). ':memory:' for throwaway use. */
  path?: string;
  retention?: Partial<RetentionConfig>;
  /** Clock for retention and rollups (tests move it). */
  now?: () => number;
}

/**
 * The local history. Everything is synchronous better-sqlite3 and fast by construction:
 * `ingest` is one transaction per call (≈10 µs per sample), `maintain` is bounded by its
 * budget, `query` reads one index range. Call them from the engine's loop; MySQL sync
 * opens its own connection to the same file (WAL) and never holds the write lock long.
 */
export class Store {
  readonly db: Database;
  readonly path: string;
  readonly retention: RetentionConfig;
  private readonly now: () => number;
  private readonly ingestor: Ingestor;
  private readonly maintainer: Maintainer;

  private constructor(path: string, options: StoreOptions) {
    this.path = path;
    this.db = openDatabase(path);
    this.retention = { ...defaultRetention, ...options.retention };
    this.now = options.now ?? Date.now;
    try {
      // Both read the file (hosts, VMs, statements over every table): a damaged page shows here.
      this.ingestor = withStoreErrors(path, () => new Ingestor(this.db));
      this.maintainer = withStoreErrors(
        path,
        () => new Maintainer(this.db, this.retention, this.now),
      );
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  static open(options: StoreOptions = {}): Store {
    return new Store(options.path ?? defaultDbPath(), options);
  }

  /**
   * Stores a batch of the engine's events in one transaction: all of it, or (StoreError
   * 'disk-full', 'bad-database', ...) none of it.
   */
  ingest(events: readonly StoreEvent[]): IngestResult {
    this.assertOpen();
    return withStoreErrors(this.path, () => this.ingestor.ingest(events));
  }

  /** Names a host as the admin does (its saved name); its history keeps its key. */
  labelHost(key: string, label: string): void {
    this.assertOpen();
    withStoreErrors(this.path, () =>
      this.db.transaction(() => this.ingestor.labelHost(key, label))(),
    );
  }

  /**
   * Moves the history kept under one host key to another that has none yet (an earlier
   * version keyed hosts by hostname); true when something moved.
   */
  rekeyHost(fromKey: string, toKey: string): boolean {
    this.assertOpen();
    return withStoreErrors(this.path, () => this.ingestor.rekeyHost(fromKey, toKey));
  }

  /**
   * The last display connect of every VM the history knows, ms, by UUID: what a host's
   * session resumes from for the VMs it lists. By VM, not by host: one machine saved
   * twice lists its VMs under both, and a VM's row names only the host seen last.
   */
  lastConnectTimes(): { uuid: string; lct: number }[] {
    this.assertOpen();
    return withStoreErrors(
      this.path,
      () =>
        this.db.prepare('SELECT uuid, lct FROM vms WHERE lct IS NOT NULL').all() as {
          uuid: string;
          lct: number;
        }[],
    );
  }

  /** Records who a host is (ip, cores, memory): the t1_host row's source. */
  upsertHost(host: HostIdentityRecord): void {
    this.ingest([{ type: 'host-identity', host }]);
  }

  /** Incremental rollups and pruning, at most about budgetMs of work. */
  maintain(budgetMs = 20): MaintainResult {
    this.assertOpen();
    return withStoreErrors(this.path, () => this.maintainer.step(budgetMs));
  }

  /**
   * Changes how long each resolution is kept, from the next maintenance on (the
   * maintainer reads this same object). Each value must be a positive number of ms.
   */
  setRetention(change: Partial<Pick<RetentionConfig, 'rawMs' | 'minuteMs' | 'hourMs'>>): void {
    for (const [key, value] of Object.entries(change)) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new StoreError('bad-range', `retention ${key} must be a positive number of ms`);
      }
    }
    Object.assign(this.retention, change);
  }

  /** Where the minute rollups of hosts or VMs end, ms: later minutes are raw samples only. */
  minutesRolledUntil(kind: 'host' | 'vm'): number | null {
    this.assertOpen();
    return this.maintainer.doneUntil(`${kind}_1m`);
  }

  query(q: RangeQuery): RangeResult {
    this.assertOpen();
    return withStoreErrors(this.path, () =>
      rangeQuery(this.db, this.maintainer, this.retention, this.now(), q),
    );
  }

  /** Each disk's and interface's traffic over a range, from the raw samples. */
  devices(q: DeviceRangeQuery): DeviceRangeResult {
    this.assertOpen();
    return withStoreErrors(this.path, () =>
      deviceRangeQuery(this.db, this.retention, this.now(), q),
    );
  }

  /** A host's or VM's raw samples in [from, to) as CSV or JSON, chunk by chunk (see exportRange). */
  exportRange(
    ref: EntityRef,
    from: number,
    to: number,
    format: ExportFormat,
    write: (chunk: string) => void,
  ): ExportedRange {
    this.assertOpen();
    return withStoreErrors(this.path, () => exportRange(this.db, ref, from, to, format, write));
  }

  /** A VM's most recent lifecycle and display events, newest first. */
  vmEvents(uuid: string, limit: number): VmEventRecord[] {
    this.assertOpen();
    return withStoreErrors(this.path, () => recentVmEvents(this.db, uuid, limit));
  }

  /** The most recent events of the VMs last seen on a host (by key), newest first. */
  hostEvents(hostKey: string, limit: number): HostEventRecord[] {
    this.assertOpen();
    return withStoreErrors(this.path, () => recentHostEvents(this.db, hostKey, limit));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.open) throw new StoreError('closed', 'the store is closed');
  }
}
