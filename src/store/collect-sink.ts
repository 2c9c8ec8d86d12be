import type { HostSample, VmSample } from '../shared/model/samples';
import { Store } from './store';
import { StoreError } from './store-error';
import type { StoreEvent } from './store-events';

export interface CollectSinkStatus {
  /**
   * 'ok' when the last flush committed everything queued; 'disk-full' or 'failing' when
   * it could not (the events stay queued for the next flush).
   */
  state: 'ok' | 'disk-full' | 'failing';
  /** Events queued and not committed yet. */
  pending: number;
  /** Events committed since the sink was opened. */
  written: number;
  /** Events dropped, oldest samples first, to keep pending under maxPending (since open). */
  dropped: number;
  /** Why the last flush failed, while state is not 'ok'. */
  error: Error | null;
  /** Closed: whatever is still pending will not be written. */
  closed: boolean;
}

export interface CollectSink {
  readonly store: Store;
  /** Queues one sample (or any store event); written at the next flush. */
  write(item: HostSample | VmSample | StoreEvent): void;
  /**
   * Writes what is queued, and does a little maintenance now and then. A commit that
   * fails (disk full, ...) keeps the events queued and is reported, not thrown.
   */
  flush(): void;
  status(): CollectSinkStatus;
  /**
   * Flushes and closes the file. Events that could still not be written are lost: the
   * status says how many, and onStatus is told.
   */
  close(): CollectSinkStatus;
}

export interface CollectSinkOptions {
  /** SQLite file; default: the user's data directory. */
  dbPath?: string;
  /** Flush by itself once this many events came in since the last flush (default 1000). */
  maxQueued?: number;
  /**
   * Events kept while commits fail (default 100,000: about an hour of a host with 50
   * VMs polled every 2 s). Beyond it the oldest samples are dropped and counted.
   */
  maxPending?: number;
  /** Rollup/pruning budget per maintenance, ms (default 10). */
  maintainBudgetMs?: number;
  /**
   * The least time between two maintenances, ms (default 250). A hundred hosts flush a
   * hundred times a second; maintaining at each flush kept the event loop busy for
   * half a second at a time, and a page's requests waited behind it.
   */
  maintainEveryMs?: number;
  /**
   * Told when the state changes, when a failure starts dropping events (once per
   * change, not once per poll), and at close when events are left unwritten.
   */
  onStatus?: (status: CollectSinkStatus) => void;
}

const isSample = (event: StoreEvent): boolean =>
  event.type === 'host-sample' || event.type === 'vm-sample';

/**
 * The queue without its `count` oldest samples; other events (identities, inventory,
 * VM events) go only when no sample is left, since later events refer to them.
 */
function dropOldest(queue: readonly StoreEvent[], count: number): StoreEvent[] {
  let samples = Math.min(count, queue.filter(isSample).length);
  let others = count - samples;
  return queue.filter((event) => (isSample(event) ? samples-- <= 0 : others-- <= 0));
}

/**
 * What `setmov collect --db FILE` needs: hand it every sample, call flush() after each
 * poll. Samples are plain `collect --json` objects; other events pass through as is.
 * Events leave the queue only once their transaction committed: a full disk costs
 * memory (bounded by maxPending), and the samples land when space is back.
 */
export function openCollectSink(options: CollectSinkOptions = {}): CollectSink {
  const store = Store.open(options.dbPath ? { path: options.dbPath } : {});
  const maxQueued = options.maxQueued ?? 1000;
  const maxPending = options.maxPending ?? 100_000;
  const budget = options.maintainBudgetMs ?? 10;
  const maintainEveryMs = options.maintainEveryMs ?? 250;
  let lastMaintained = -Infinity;
  let queue: StoreEvent[] = [];
  let sinceFlush = 0;
  let written = 0;
  let dropped = 0;
  let state: CollectSinkStatus['state'] = 'ok';
  let error: Error | null = null;
  let droppingReported = false;
  let closed = false;

  const status = (): CollectSinkStatus => ({
    state,
    pending: queue.length,
    written,
    dropped,
    error,
    closed,
  });

  /** Commits the queue a chunk at a time (one poll is one chunk); stops at the first failure. */
  const commit = (): void => {
    let done = 0;
    try {
      while (done < queue.length) {
        const chunk = queue.slice(done, done + maxQueued);
        store.ingest(chunk);
        done += chunk.length;
      }
    } finally {
      queue = queue.slice(done);
      written += done;
    }
    const now = performance.now();
    if (now - lastMaintained >= maintainEveryMs) {
      lastMaintained = now;
      store.maintain(budget);
    }
  };

  const flush = (): void => {
    sinceFlush = 0;
    const before = state;
    try {
      commit();
      state = 'ok';
      error = null;
    } catch (failure) {
      // A closed store is the caller's mistake, not the disk's.
      if (failure instanceof StoreError && failure.code === 'closed') throw failure;
      state =
        failure instanceof StoreError && failure.code === 'disk-full' ? 'disk-full' : 'failing';
      error = failure instanceof Error ? failure : new Error(String(failure));
    }
    const excess = queue.length - maxPending;
    if (excess > 0) {
      queue = dropOldest(queue, excess);
      dropped += excess;
    }
    if (state !== before) droppingReported = false;
    const startedDropping = excess > 0 && !droppingReported;
    if (startedDropping) droppingReported = true;
    if (state !== before || startedDropping) options.onStatus?.(status());
  };

  return {
    store,
    write(item) {
      if ('kind' in item && item.kind === 'host') queue.push({ type: 'host-sample', sample: item });
      else if ('kind' in item && item.kind === 'vm')
        queue.push({ type: 'vm-sample', sample: item });
      else queue.push(item as StoreEvent);
      // Counted since the last attempt, so a failing disk is retried every maxQueued
      // events, not at every write once the queue is long.
      if (++sinceFlush >= maxQueued) flush();
    },
    flush,
    status,
    close() {
      flush();
      store.close();
      closed = true;
      const final = status();
      if (final.pending > 0) options.onStatus?.(final);
      return final;
    },
  };
}
