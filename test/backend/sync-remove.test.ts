import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SyncService } from '../../src/backend/sync-service';
import { Store } from '../../src/store/store';
import { makeRandom, makeVmSample } from '../store/sample-factory';
import { tempDir } from '../store/temp-db';
import { MemorySecretStore } from './memory-secret-store';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

async function openService(dbPath: string): Promise<SyncService> {
  return SyncService.open({
    dbPath,
    configPath: tmp.file('sync.json'),
    secrets: new MemorySecretStore(),
    onChange: () => undefined,
  });
}

/** Runs maintenance to its end, as the backend does over time. */
function maintainFully(store: Store) {
  let result = store.maintain(1000);
  while (!result.idle) result = store.maintain(1000);
  return result;
}

it('removing a sync target lets pruning take what only that target held back', async () => {
  const dbPath = tmp.file('h.db');
  const now = Date.now();
  const store = Store.open({ path: dbPath, now: () => now });
  try {
    const rand = makeRandom(3);
    const old = now - 5 * DAY;
    store.ingest(
      Array.from({ length: 30 }, (_, i) => ({
        type: 'vm-sample' as const,
        sample: makeVmSample(0, old + i * 60_000, rand),
      })),
    );
    const sync = await openService(dbPath);
    try {
      // Saved but idle: the target never takes anything, as one that went away.
      const view = await sync.set({
        url: 'mysql://root@[::1]:1/gone',
        tlsCaFile: null,
        enabled: false,
      });
      const target = view.target?.url ?? '';
      const mark = store.db.prepare(
        'INSERT OR REPLACE INTO sync_watermarks (target, stream, value, updated_at) VALUES (?, ?, 0, ?)',
      );
      for (const stream of ['vm_samples', 'host_samples']) mark.run(target, stream, old);
      store.db
        .prepare(
          "INSERT INTO sync_parked (target, tbl, sample_id, entity, ts, reason, at) VALUES (?, 't2', 1, 'x', 0, 'r', 0)",
        )
        .run(target);
      maintainFully(store);
      const heldCount = store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as {
        n: number;
      };
      expect(heldCount.n).toBe(30);

      await sync.remove();

      const marks = store.db.prepare('SELECT count(*) AS n FROM sync_watermarks').get() as {
        n: number;
      };
      const parked = store.db.prepare('SELECT count(*) AS n FROM sync_parked').get() as {
        n: number;
      };
      expect({ marks: marks.n, parked: parked.n }).toEqual({ marks: 0, parked: 0 });
      expect(maintainFully(store).syncHold).toEqual([]);
      const left = store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as { n: number };
      // As for any pruning, the newest raw row stays (it anchors the ids).
      expect(left.n).toBe(1);
    } finally {
      await sync.close();
    }
  } finally {
    store.close();
  }
});

it.each([
  'mysql://root@[::1]:3306/db',
  'mysql://a%3Ab@127.0.0.1:3306/db',
  'mysql://us%20er@h:3307/d%C3%A9',
])('a target saved as %s loads again and can be removed', async (url) => {
  const dbPath = tmp.file('t.db');
  const first = await openService(dbPath);
  const view = await first.set({ url, tlsCaFile: null, enabled: false });
  await first.close();
  expect(JSON.parse(readFileSync(tmp.file('sync.json'), 'utf8')).url).toBe(view.target?.url);
  const again = await openService(dbPath);
  try {
    expect(again.view().target?.url).toBe(view.target?.url);
    await again.remove();
    expect(again.view().target).toBeNull();
  } finally {
    await again.close();
  }
  const reopened = await openService(dbPath);
  expect(reopened.view().target).toBeNull();
  await reopened.close();
});
