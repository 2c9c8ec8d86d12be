// MySQL sync throughput into the local MariaDB (127.0.0.1:3306, root, no password):
// MysqlSync.syncOnce (multi-row upserts, 5,000 rows per transaction) against one
// autocommitted INSERT per row into the same t4_vm_usage table.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { MysqlSync } from '../src/store/mysql/mysql-sync';
import { t4Columns } from '../src/store/mysql/outbox';
import { Store } from '../src/store/store';
import { DAY_MS } from '../src/shared/time-ms';
import type { StoreEvent } from '../src/store/store-events';
import { makeRandom, makeVmSample } from '../test/store/sample-factory';
import type { BenchResult, Benchmark } from './lib/types';

const ROWS = 50_000;
const BASELINE_ROWS = 3_000;
const VMS = 50;

const bench: Benchmark = {
  name: 'store-sync',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'setmov-bench-sync-'));
    const database = `setmov_bench_${randomBytes(4).toString('hex')}`;
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await admin.query(`CREATE DATABASE ${database}`);
    const path = join(dir, 's.db');
    const store = Store.open({ path });
    const sync = new MysqlSync({
      dbPath: path,
      target: { host: '127.0.0.1', port: 3306, user: 'root', database },
      password: '',
    });
    try {
      const rand = makeRandom(5);
      const t0 = Date.now() - DAY_MS;
      const events: StoreEvent[] = [];
      for (let k = 0; k < ROWS; k++) {
        events.push({
          type: 'vm-sample',
          sample: makeVmSample(k % VMS, t0 + Math.floor(k / VMS) * 2000, rand),
        });
      }
      for (let i = 0; i < events.length; i += 5000) store.ingest(events.slice(i, i + 5000));
      await sync.init();
      const start = performance.now();
      const sent = await sync.syncOnce();
      const ours = sent / ((performance.now() - start) / 1000);

      // Baseline: the same rows (taken back from MySQL), re-keyed a day later, one INSERT each.
      await admin.query(`USE ${database}`);
      const [rows] = await admin.query({
        sql: `SELECT ${t4Columns.join(', ')} FROM t4_vm_usage LIMIT ${BASELINE_ROWS}`,
        rowsAsArray: true,
      });
      const insert = `INSERT INTO t4_vm_usage (${t4Columns.join(', ')}) VALUES (${t4Columns.map(() => '?').join(', ')})`;
      const b0 = performance.now();
      for (const row of rows as unknown[][]) {
        const shifted = [...row];
        shifted[1] = new Date(new Date(`${String(row[1])}`).getTime() + DAY_MS);
        await admin.query(insert, shifted);
      }
      const baseline = (rows as unknown[]).length / ((performance.now() - b0) / 1000);
      return [
        {
          benchmark: 'store-sync',
          metric: `t4_vm_usage rows sent per second to the local MariaDB (${ROWS.toLocaleString('en')} rows)`,
          unit: 'rows/s',
          ours: Math.round(ours),
          baseline: Math.round(baseline),
          baselineName: 'single-row INSERT, autocommit',
          better: 'higher',
          target: 20_000,
          note: `ours includes reading and decoding the SQLite outbox and the watermark updates`,
        },
      ];
    } finally {
      await sync.close();
      store.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
