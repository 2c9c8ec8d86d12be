import type { HostSample, VmSample } from '../shared/model/samples';
import { Store } from './store';
import type { StoreEvent } from './store-events';

export interface CollectSink {
  readonly store: Store;
  /** Queues one sample (or any store event); written at the next flush. */
  write(item: HostSample | VmSample | StoreEvent): void;
  /** Writes what is queued in one transaction, and does a little maintenance now and then. */
  flush(): void;
  /** Flushes and closes the file. */
  close(): void;
}

export interface CollectSinkOptions {
  /** SQLite file; default: the user's data directory. */
  dbPath?: string;
  /** Flush by itself once this many events are queued (default 1000). */
  maxQueued?: number;
  /** Rollup/pruning budget per flush, ms (default 10). */
  maintainBudgetMs?: number;
}

/**
 * What `setmov collect --db FILE` needs: hand it every sample, call flush() after each
 * poll. Samples are plain `collect --json` objects; other events pass through as is.
 */
export function openCollectSink(options: CollectSinkOptions = {}): CollectSink {
  const store = Store.open(options.dbPath ? { path: options.dbPath } : {});
  const maxQueued = options.maxQueued ?? 1000;
  const budget = options.maintainBudgetMs ?? 10;
  let queue: StoreEvent[] = [];
  const flush = (): void => {
    if (queue.length > 0) {
      const events = queue;
      queue = [];
      store.ingest(events);
    }
    store.maintain(budget);
  };
  return {
    store,
    write(item) {
      if ('kind' in item && item.kind === 'host') queue.push({ type: 'host-sample', sample: item });
      else if ('kind' in item && item.kind === 'vm')
        queue.push({ type: 'vm-sample', sample: item });
      else queue.push(item as StoreEvent);
      if (queue.length >= maxQueued) flush();
    },
    flush,
    close() {
      flush();
      store.close();
    },
  };
}
