// A console reading the fleet from the central database (setmov serve --central): 500
// hosts × 30 VMs (15,000 desktops) on t1/t3 of a fresh database on this machine's
// MariaDB. Before each refresh every row's newest figures are rewritten, as the agents'
// sync rounds do, so each refresh finds every row changed (the worst case). Measured in
// the same run: one refresh of CentralFleetSource (read in a consistent snapshot, each
// row checked, the changes found and published to an overview page) against a direct
// query of the same rows; the backend's CPU at the default 2 s refresh; the database's
// CPU per refresh; the bytes an overview page receives per refresh; and the console itself
// in Chromium (central/console-pages.ts): first render and main thread of the overview and
// of the desktops table at this size.
import mysql from 'mysql2/promise';
import {
  CentralFleetSource,
  DEFAULT_CENTRAL_REFRESH_MS,
} from '../src/backend/central/central-fleet-source';
import { CentralFleetReader } from '../src/store/mysql/central-fleet-reader';
import { consoleInChromium } from './central/console-pages';
import { benchCentralDatabase, BENCH_SERVER } from './lib/bench-central-database';
import { processCpuMs } from './lib/cpu-time';
import { percentile } from './lib/stats';
import type { BenchResult, Benchmark } from './lib/types';
import { mysqlDatetime } from '../src/store/mysql/central-values';

const HOSTS = 500;
const VMS_PER_HOST = 30;
const REFRESHES = 40;

const uuidOf = (i: number): string => `c0c0c0c0-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

async function fill(conn: mysql.Connection, database: string, nowText: string): Promise<void> {
  const hosts: unknown[][] = [];
  for (let h = 0; h < HOSTS; h++) {
    const key = `kvm-${String(h).padStart(3, '0')}`;
    hosts.push([key, `10.1.${h >> 8}.${h & 255}`, key, VMS_PER_HOST, 32, 256 * 2 ** 30, nowText]);
  }
  await conn.query(
    `INSERT INTO \`${database}\`.t1_host (host_key, host_ip, host_name, vmc, cpu_cores, memory_bytes, updated_at) VALUES ?`,
    [hosts],
  );
  for (let h = 0; h < HOSTS; h++) {
    const key = `kvm-${String(h).padStart(3, '0')}`;
    const vms: unknown[][] = [];
    for (let v = 0; v < VMS_PER_HOST; v++) {
      const i = h * VMS_PER_HOST + v;
      vms.push([
        uuidOf(i),
        key,
        `10.1.${h >> 8}.${h & 255}`,
        `desk-${i}`,
        'running',
        0,
        2,
        nowText,
        nowText,
      ]);
    }
    await conn.query(
      `INSERT INTO \`${database}\`.t3_vm (uuid, host_key, host_ip, name, state, connected_now, vcpus, last_seen, updated_at) VALUES ?`,
      [vms],
    );
  }
}

/** Every row's newest figures rewritten, as a round of every agent's sync does. */
async function agentsWrite(
  conn: mysql.Connection,
  database: string,
  tsText: string,
): Promise<void> {
  for (const table of ['t1_host', 't3_vm']) {
    await conn.query(
      `UPDATE \`${database}\`.${table} SET latest_ts = ?, latest_cpu = RAND() * 100,
         latest_memory = RAND() * 100, latest_disk = RAND() * 1e7, latest_network = RAND() * 1e6,
         updated_at = UTC_TIMESTAMP(3)`,
      [tsText],
    );
  }
}

const bench: Benchmark = {
  name: 'central-console',
  async run(): Promise<BenchResult[]> {
    const { database, scratch, admin, serverPid, login, drop } =
      await benchCentralDatabase('console');
    let bytes = 0;
    let messages = 0;
    const fleetReader = new CentralFleetReader(login);
    const readerMs: number[] = [];
    const source = new CentralFleetSource({
      // Timed apart: reading and checking the rows, against what the source adds.
      reader: {
        refresh: async () => {
          const t0 = performance.now();
          const change = await fleetReader.refresh();
          readerMs.push(performance.now() - t0);
          return change;
        },
        close: () => fleetReader.close(),
        get failovers() {
          return fleetReader.failovers;
        },
      },
      // One page, on the overview: the desktops table's host topics are not watched.
      events: {
        publish: (_name, payload) => {
          messages++;
          bytes += JSON.stringify(payload).length;
        },
        wants: (topic) => topic === 'overview',
      },
      localHosts: () => [],
    });
    let direct: mysql.Connection | undefined;
    try {
      direct = await mysql.createConnection({ ...BENCH_SERVER, database, dateStrings: true });
      await fill(admin, database, mysqlDatetime(Date.now()));
      await agentsWrite(admin, database, mysqlDatetime(Date.now()));
      await source.refreshNow(); // the first read: every row, as a page's first inventory

      /**
       * REFRESHES refreshes, every row rewritten before every `writeEvery`-th: 1 is the raw
       * resolution (each agent round carries every VM's newest sample); 5 is the default
       * 10 s resolution, where the agents' rounds write the closed buckets together, a few
       * seconds after each 10 s boundary, and the refreshes between find nothing new.
       */
      const measure = async (writeEvery: number, paceMs: number) => {
        const run = {
          refreshMs: [] as number[],
          cpuMs: [] as number[],
          serverCpuMs: [] as number[],
          pageBytes: [] as number[],
          messages: [] as number[],
        };
        for (let round = 0; round < REFRESHES; round++) {
          if (paceMs > 0) await new Promise((r) => setTimeout(r, paceMs));
          if (round % writeEvery === 0)
            await agentsWrite(admin, database, mysqlDatetime(Date.now()));
          bytes = 0;
          messages = 0;
          const cpu0 = process.cpuUsage();
          const server0 = processCpuMs(serverPid);
          const t0 = performance.now();
          await source.refreshNow();
          run.refreshMs.push(performance.now() - t0);
          const cpu = process.cpuUsage(cpu0);
          run.cpuMs.push((cpu.user + cpu.system) / 1000);
          run.serverCpuMs.push(processCpuMs(serverPid) - server0);
          run.pageBytes.push(bytes);
          run.messages.push(messages);
        }
        return run;
      };
      const raw = await measure(1, 0);
      // At the refresh's own pace: a row is read again for CENTRAL_REREAD_MS after it was
      // written, so back-to-back refreshes would each read a burst again.
      const tenSeconds = await measure(5, DEFAULT_CENTRAL_REFRESH_MS);
      const { refreshMs, serverCpuMs, pageBytes } = raw;
      const backendCpuMs = raw.cpuMs;
      if (source.state.error) throw new Error(source.state.error);
      if (source.inventory().length !== HOSTS) throw new Error('not every host was read');

      const reads = direct;
      const directMs: number[] = [];
      const directServerCpuMs: number[] = [];
      for (let round = 0; round < REFRESHES; round++) {
        await agentsWrite(admin, database, mysqlDatetime(Date.now()));
        const server0 = processCpuMs(serverPid);
        const t0 = performance.now();
        await reads.query('SELECT * FROM t1_host');
        await reads.query('SELECT * FROM t3_vm');
        directMs.push(performance.now() - t0);
        directServerCpuMs.push(processCpuMs(serverPid) - server0);
      }

      // The console itself: setmov serve --central on this database, a page in Chromium.
      const pages = await consoleInChromium(
        database,
        scratch,
        HOSTS,
        HOSTS * VMS_PER_HOST,
        async () => agentsWrite(admin, database, mysqlDatetime(Date.now())),
      );

      const p = (values: number[], q: number) => percentile(values, q);
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      // A share of one core over time: the mean CPU per refresh over the refresh period.
      const corePercent = (cpuMs: number[]) => (mean(cpuMs) / DEFAULT_CENTRAL_REFRESH_MS) * 100;
      const base = {
        benchmark: 'central-console',
        baselineName: 'SELECT * FROM t1_host, t3_vm (mysql2, no checks, no diff)',
      };
      const note = `${HOSTS} hosts × ${VMS_PER_HOST} VMs, every row's figures rewritten before each of ${REFRESHES} refreshes (raw resolution); one page on the overview`;
      const atTenSeconds = `10 s resolution: every row rewritten before every fifth of ${REFRESHES} refreshes`;
      return [
        {
          ...base,
          metric: 'refresh p50',
          unit: 'ms',
          ours: p(refreshMs, 50),
          baseline: p(directMs, 50),
          better: 'lower',
          note,
        },
        {
          ...base,
          metric: 'refresh p99',
          unit: 'ms',
          ours: p(refreshMs, 99),
          baseline: p(directMs, 99),
          better: 'lower',
          target: 100,
        },
        {
          ...base,
          metric: 'of which the reader (read, check, diff) p50',
          unit: 'ms',
          ours: p(readerMs.slice(1), 50),
          baseline: p(directMs, 50),
          better: 'lower',
        },
        {
          ...base,
          metric: `backend CPU at a ${DEFAULT_CENTRAL_REFRESH_MS / 1000} s refresh, raw`,
          unit: '% of a core',
          ours: corePercent(backendCpuMs),
          baseline: null,
          better: 'lower',
          target: 5,
          note: `${mean(backendCpuMs).toFixed(1)} ms of CPU per refresh (mean), ${p(backendCpuMs, 99).toFixed(1)} ms p99`,
        },
        {
          ...base,
          metric: 'refresh p99, 10 s resolution',
          unit: 'ms',
          ours: p(tenSeconds.refreshMs, 99),
          baseline: p(directMs, 99),
          better: 'lower',
          target: 100,
          note: atTenSeconds,
        },
        {
          ...base,
          metric: 'refresh p50, 10 s resolution (no row written)',
          unit: 'ms',
          ours: p(tenSeconds.refreshMs, 50),
          baseline: p(directMs, 50),
          better: 'lower',
        },
        {
          ...base,
          metric: `backend CPU at a ${DEFAULT_CENTRAL_REFRESH_MS / 1000} s refresh, 10 s resolution`,
          unit: '% of a core',
          ours: corePercent(tenSeconds.cpuMs),
          baseline: null,
          better: 'lower',
          target: 5,
          note: `${mean(tenSeconds.cpuMs).toFixed(1)} ms of CPU per refresh (mean)`,
        },
        {
          ...base,
          metric: 'database CPU per refresh',
          unit: 'ms',
          ours: p(serverCpuMs, 50),
          baseline: p(directServerCpuMs, 50),
          better: 'lower',
        },
        {
          ...base,
          metric: 'bytes to an overview page per refresh',
          unit: 'kB',
          ours: p(pageBytes, 50) / 1000,
          baseline: null,
          better: 'lower',
          note: `${p(raw.messages, 50)} messages per refresh (host.poll per host; VM figures go only to pages that watch a host)`,
        },
        ...pages,
      ];
    } finally {
      await source.close();
      await direct?.end();
      await drop();
    }
  },
};

export default bench;
