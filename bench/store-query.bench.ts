// Chart query: 24 h of 2 s samples of one VM (43,200) at 1,000 points, through
// Store.query (resolution chosen by the store: 1-minute rollups plus the raw tail),
// and forced to raw, against reading every raw row and bucketing in JavaScript.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRangeParams, sampleRangeSql } from '../src/store/sample-range';
import { Store } from '../src/store/store';
import { DAY_MS, MINUTE_MS } from '../src/shared/time-ms';
import type { StoreEvent } from '../src/store/store-events';
import { makeRandom, makeVmSample, vmUuid } from '../test/store/sample-factory';
import { medianTimeMs } from './lib/stats';
import type { BenchResult, Benchmark } from './lib/types';

const VMS = 10;
const SAMPLE_STEP_MS = 2000;

const timeMs = (fn: () => unknown, runs: number): number => medianTimeMs(fn, runs, 3);

const bench: Benchmark = {
  name: 'store-query',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'setmov-bench-query-'));
    const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const store = Store.open({ path: join(dir, 'q.db'), now: () => end });
    try {
      const rand = makeRandom(7);
      let batch: StoreEvent[] = [];
      for (let ts = end - DAY_MS; ts < end; ts += SAMPLE_STEP_MS) {
        for (let v = 0; v < VMS; v++)
          batch.push({ type: 'vm-sample', sample: makeVmSample(v, ts, rand) });
        if (batch.length >= 5000) {
          store.ingest(batch);
          batch = [];
        }
      }
      store.ingest(batch);
      while (!store.maintain(200).idle);
      const q = {
        entity: { kind: 'vm' as const, uuid: vmUuid(3) },
        metrics: ['cpuHostPercent', 'memGuestUsedBytes', 'diskReadBytesPerSec', 'netRxBytesPerSec'],
        from: end - DAY_MS,
        to: end,
        maxPoints: 1000,
      };
      const auto = timeMs(() => store.query(q), 30);
      const raw = timeMs(() => store.query({ ...q, resolution: 'raw' }), 30);
      const vmId = (
        store.db.prepare('SELECT id FROM vms WHERE uuid = ?').get(vmUuid(3)) as { id: number }
      ).id;
      // The raw rows read the way the store reads them (minute by minute on its index).
      const all = store.db.prepare(
        sampleRangeSql('vm', 'ts, cpu_host, mem_used, disk_rd, net_rx', 'ORDER BY s.ts'),
      );
      const naive = timeMs(() => {
        const bucketMs = Math.ceil(DAY_MS / q.maxPoints);
        const buckets = new Map<number, number[][]>();
        for (const r of all.raw().all(sampleRangeParams(vmId, q.from, q.to)) as number[][]) {
          const k = Math.floor(((r[0] as number) - q.from) / bucketMs);
          let b = buckets.get(k);
          if (!b) buckets.set(k, (b = [[], [], [], []]));
          for (let i = 0; i < 4; i++) b[i]?.push(r[i + 1] as number);
        }
        return [...buckets.values()].map((b) =>
          b.map((xs) => [
            Math.min(...xs),
            xs.reduce((a, x) => a + x, 0) / xs.length,
            Math.max(...xs),
          ]),
        );
      }, 30);
      const resolution = store.query(q).resolution;
      return [
        {
          benchmark: 'store-query',
          metric: `24 h of 2 s samples, one VM, 4 metrics, 1,000 points (store picks ${resolution})`,
          unit: 'ms',
          ours: Math.round(auto * 100) / 100,
          baseline: Math.round(naive * 100) / 100,
          baselineName: 'read all raw rows, bucket in JS',
          better: 'lower',
          target: 20,
          note: `median of 30; ${VMS} VMs in the file`,
        },
        {
          benchmark: 'store-query',
          metric: 'the same forced to raw samples (43,200 rows aggregated in SQL)',
          unit: 'ms',
          ours: Math.round(raw * 100) / 100,
          baseline: Math.round(naive * 100) / 100,
          baselineName: 'read all raw rows, bucket in JS',
          better: 'lower',
          target: 20,
        },
      ];
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
