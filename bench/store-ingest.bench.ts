// SQLite ingest of VM samples through Store.ingest (batches of 1,000, one transaction
// each; and shaped like the engine's polls: one host sample and one sample per VM per
// transaction) against one INSERT per sample outside a transaction, and the bytes a raw
// VM sample takes on disk against the same figures kept as one REAL column each.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../src/store/store';
import { DAY_MS } from '../src/shared/time-ms';
import type { StoreEvent } from '../src/store/store-events';
import { vmMetrics } from '../src/store/metrics';
import { makeHostSample, makeRandom, makeVmSample } from '../test/store/sample-factory';
import { median } from './lib/stats';
import type { BenchResult, Benchmark } from './lib/types';

const VMS = 50;

function samples(n: number, seed: number): StoreEvent[] {
  const rand = makeRandom(seed);
  const t0 = Date.now() - DAY_MS;
  return Array.from({ length: n }, (_, k) => ({
    type: 'vm-sample' as const,
    sample: makeVmSample(k % VMS, t0 + Math.floor(k / VMS) * 2000, rand),
  }));
}

/** One transaction per poll: the host's sample and one sample per VM, every 2 s. */
function polls(n: number, seed: number): StoreEvent[][] {
  const rand = makeRandom(seed);
  const t0 = Date.now() - DAY_MS;
  return Array.from({ length: Math.ceil(n / VMS) }, (_, k) => {
    const ts = t0 + k * 2000;
    const poll: StoreEvent[] = [{ type: 'host-sample', sample: makeHostSample(ts, rand) }];
    for (let v = 0; v < VMS; v++)
      poll.push({ type: 'vm-sample', sample: makeVmSample(v, ts, rand) });
    return poll;
  });
}

/** VM samples/s of Store.ingest fed one poll per call. */
function oursPerPoll(dir: string, batches: StoreEvent[][], run: number): number {
  const store = Store.open({ path: join(dir, `polls-${run}.db`) });
  const start = performance.now();
  for (const poll of batches) store.ingest(poll);
  const rate = (batches.length * VMS) / ((performance.now() - start) / 1000);
  store.close();
  return rate;
}

function fileBytes(path: string): number {
  return statSync(path).size;
}

/** samples/s of Store.ingest, and bytes per sample of the file it leaves. */
function ours(dir: string, events: StoreEvent[], run: number): { rate: number; bytes: number } {
  const path = join(dir, `ours-${run}.db`);
  const store = Store.open({ path });
  const start = performance.now();
  for (let i = 0; i < events.length; i += 1000) store.ingest(events.slice(i, i + 1000));
  const rate = events.length / ((performance.now() - start) / 1000);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return { rate, bytes: fileBytes(path) / events.length };
}

/** The naive peer: same figures, one REAL column each, one autocommitted INSERT per sample. */
function baseline(
  dir: string,
  events: StoreEvent[],
  run: number,
  perRowCommit: boolean,
): { rate: number; bytes: number } {
  const path = join(dir, `baseline-${run}-${perRowCommit}.db`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const cols = vmMetrics.map((m) => m.column);
  db.exec(
    `CREATE TABLE vm_samples (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, ts INTEGER NOT NULL, ${cols.map((c) => `${c} REAL`).join(', ')});
     CREATE INDEX vm_samples_uuid_ts ON vm_samples (uuid, ts);`,
  );
  const insert = db.prepare(
    `INSERT INTO vm_samples (uuid, ts, ${cols.join(', ')}) VALUES (${['?', '?', ...cols.map(() => '?')].join(', ')})`,
  );
  const row = (e: StoreEvent): unknown[] => {
    const s = (e as Extract<StoreEvent, { type: 'vm-sample' }>).sample;
    return [s.uuid, s.ts, ...vmMetrics.map((m) => m.read(s) ?? null)];
  };
  const start = performance.now();
  if (perRowCommit) {
    for (const e of events) insert.run(row(e));
  } else {
    db.transaction(() => {
      for (const e of events) insert.run(row(e));
    })();
  }
  const rate = events.length / ((performance.now() - start) / 1000);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rate, bytes: fileBytes(path) / events.length };
}

const bench: Benchmark = {
  name: 'store-ingest',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'setmov-bench-ingest-'));
    try {
      const big = samples(200_000, 1);
      const small = big.slice(0, 5_000);
      const ourRuns = [0, 1, 2].map((i) => ours(dir, big, i));
      const perPoll = polls(100_000, 2);
      const pollRuns = [0, 1, 2].map((i) => oursPerPoll(dir, perPoll, i));
      const baseRuns = [0, 1, 2].map((i) => baseline(dir, small, i, true));
      const naiveSize = baseline(dir, big, 9, false);
      return [
        {
          benchmark: 'store-ingest',
          metric: `VM samples ingested per second (${VMS} VMs, batches of 1,000)`,
          unit: 'samples/s',
          ours: Math.round(median(ourRuns.map((r) => r.rate))),
          baseline: Math.round(median(baseRuns.map((r) => r.rate))),
          baselineName: 'one INSERT per sample, no transaction',
          better: 'higher',
          target: 100_000,
          note: `median of 3 runs of 200,000 samples (baseline: 5,000); WAL, synchronous=NORMAL`,
        },
        {
          benchmark: 'store-ingest',
          metric: `VM samples ingested per second, one transaction per poll (1 host + ${VMS} VMs)`,
          unit: 'samples/s',
          ours: Math.round(median(pollRuns)),
          baseline: Math.round(median(baseRuns.map((r) => r.rate))),
          baselineName: 'one INSERT per sample, no transaction',
          better: 'higher',
          target: 100_000,
          note: 'median of 3 runs of 2,000 polls; the engine commits like this, one sample per VM per transaction',
        },
        {
          benchmark: 'store-ingest',
          metric: 'bytes on disk per raw VM sample (table + index)',
          unit: 'bytes',
          ours: Math.round(median(ourRuns.map((r) => r.bytes)) * 10) / 10,
          baseline: Math.round(naiveSize.bytes * 10) / 10,
          baselineName: 'one REAL column per figure, uuid key',
          better: 'lower',
          target: 120,
          note: '200,000 samples after a WAL checkpoint, file size / samples',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
