import { afterEach, beforeEach, expect, it } from 'vitest';
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { makeRandom, makeVmSample } from '../sample-factory';
import { tempDir } from '../temp-db';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const target = 'mysql://root@127.0.0.1:3306/central';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

/**
 * A MySQL target that has been unreachable for longer than raw retention plus the sync
 * hold (48 h + 7 days): its unsent samples stay, and every maintenance call says so;
 * what it has taken is pruned as usual.
 */
it('never prunes samples a target has not taken, and reports them once past the hold', () => {
  let now = Date.now();
  const store = Store.open({ path: tmp.file('h.db'), now: () => now });
  try {
    const rand = makeRandom(2);
    const start = now - 10 * DAY;
    const events: StoreEvent[] = [];
    for (let ts = start; ts < start + 2 * HOUR; ts += 60_000)
      for (let v = 0; v < 3; v++)
        events.push({ type: 'vm-sample', sample: makeVmSample(v, ts, rand) });
    store.ingest(events);
    const ids = store.db.prepare('SELECT id, ts FROM vm_samples ORDER BY id').all() as {
      id: number;
      ts: number;
    }[];
    // The target took the first hour, then went away.
    const sentUpTo = ids.filter((r) => r.ts < start + HOUR).at(-1)?.id ?? 0;
    const mark = store.db.prepare(
      'INSERT OR REPLACE INTO sync_watermarks (target, stream, value, updated_at) VALUES (?, ?, ?, ?)',
    );
    mark.run(target, 'vm_samples', sentUpTo, start + HOUR);
    mark.run(target, 'host_samples', 0, start + HOUR);

    let result = store.maintain(1000);
    while (!result.idle) result = store.maintain(1000);

    const kept = store.db.prepare('SELECT id FROM vm_samples ORDER BY id').all() as {
      id: number;
    }[];
    expect(kept.map((r) => r.id)).toEqual(ids.filter((r) => r.id > sentUpTo).map((r) => r.id));
    const firstUnsent = ids.find((r) => r.id > sentUpTo);
    expect(result.syncHold).toEqual([
      { samples: 'vm_samples', oldestTs: firstUnsent?.ts, targets: [target] },
    ]);

    // once the target has everything, the held samples go like any other
    mark.run(target, 'vm_samples', ids.at(-1)?.id ?? 0, now);
    now += HOUR;
    result = store.maintain(1000);
    while (!result.idle) result = store.maintain(1000);
    expect(result.syncHold).toEqual([]);
    const left = store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as { n: number };
    expect(left.n).toBe(1);
  } finally {
    store.close();
  }
});
