// The analysis over the central history: what the Analysis view costs a console that
// reads a fleet from the central database. A fresh database on this machine's MariaDB
// holds HOSTS × VMS_PER_HOST desktops with a week of t2/t4 rows at the agents' default
// 10 s resolution (60,480 rows per desktop); the console reads each host's and desktop's
// week by minute on the server (t2/t4's keys) and runs the recommender over them, as
// `analysis.run` does. The baseline, in the same run: one statement that reads the same
// rows by minute (the server's share of the work, no checks, no analysis).
// A fleet of 15,000 desktops is this times 15,000 / (HOSTS × VMS_PER_HOST): each desktop
// is one range read on t4's primary key, so the cost grows with the desktops and the window.
import { join } from 'node:path';
import { defaultAnalysisSettings } from '../src/analysis/vm-analysis';
import { analyzeStoreInTurns, stealP95 } from '../src/backend/analysis/analyze-store';
import { readCentralHistories } from '../src/backend/central/central-analysis';
import { CentralFleetSource } from '../src/backend/central/central-fleet-source';
import { CentralFleetReader } from '../src/store/mysql/central-fleet-reader';
import { CentralHistoryReader } from '../src/store/mysql/central-history-reader';
import { Store } from '../src/store/store';
import { DAY_MS } from '../src/shared/time-ms';
import { benchCentralDatabase } from './lib/bench-central-database';
import { fillCentralWeek } from './lib/central-week-fill';
import { processCpuMs } from './lib/cpu-time';
import type { BenchResult, Benchmark } from './lib/types';
import { mysqlDatetime } from '../src/store/mysql/central-values';

const HOSTS = 5;
const VMS_PER_HOST = 10;
const WINDOW_MS = 7 * DAY_MS;
const STEP_SEC = 10;
const FLEET_VMS = 15_000;

const bench: Benchmark = {
  name: 'central-analysis',
  async run(): Promise<BenchResult[]> {
    const { database, scratch, admin, serverPid, login, drop } =
      await benchCentralDatabase('analysis');
    const source = new CentralFleetSource({
      reader: new CentralFleetReader(login),
      events: { publish: () => undefined, wants: () => false },
      localHosts: () => [],
    });
    const history = new CentralHistoryReader(login);
    const empty = Store.open({ path: join(scratch, 'empty.db') });
    try {
      // On a minute: the analysis' minutes and the rows' line up as a console's would.
      const toMs = Math.floor(Date.now() / 60_000) * 60_000;
      const filled0 = performance.now();
      await fillCentralWeek(admin, database, toMs, {
        hosts: HOSTS,
        vmsPerHost: VMS_PER_HOST,
        stepSec: STEP_SEC,
        windowMs: WINDOW_MS,
      });
      const fillSec = (performance.now() - filled0) / 1000;
      await source.start();
      const fleet = { source, history };
      const settings = { ...defaultAnalysisSettings, windowMs: WINDOW_MS };

      const runs = 3;
      const oursMs: number[] = [];
      const oursCpuMs: number[] = [];
      const serverCpuMs: number[] = [];
      let analysed = 0;
      for (let i = 0; i < runs; i++) {
        const cpu0 = process.cpuUsage();
        const server0 = processCpuMs(serverPid);
        const t0 = performance.now();
        const central = await readCentralHistories(fleet, toMs - WINDOW_MS, toMs, stealP95);
        const analysis = await analyzeStoreInTurns(empty, toMs, settings, central);
        oursMs.push(performance.now() - t0);
        const cpu = process.cpuUsage(cpu0);
        oursCpuMs.push((cpu.user + cpu.system) / 1000);
        serverCpuMs.push(processCpuMs(serverPid) - server0);
        analysed = analysis.vms.filter((vm) => vm.status === 'analysed').length;
      }
      if (analysed !== HOSTS * VMS_PER_HOST) {
        throw new Error(`${analysed} of ${HOSTS * VMS_PER_HOST} desktops were analysed`);
      }
      const directMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await admin.query(
          `SELECT uuid, TIMESTAMPDIFF(MICROSECOND, ?, ts) DIV 60000000 AS b, COUNT(*),
             MIN(cpu_guest_percent), AVG(cpu_guest_percent), MAX(cpu_guest_percent),
             MIN(mem_guest_used_bytes), AVG(mem_guest_used_bytes), MAX(mem_guest_used_bytes)
           FROM t4_vm_usage WHERE ts >= ? AND ts < ? GROUP BY uuid, b`,
          [mysqlDatetime(toMs - WINDOW_MS), mysqlDatetime(toMs - WINDOW_MS), mysqlDatetime(toMs)],
        );
        directMs.push(performance.now() - t0);
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
      const vms = HOSTS * VMS_PER_HOST;
      const perVm = median(oursMs) / vms;
      const base = {
        benchmark: `central-analysis: ${vms} desktops, 7 days at 10 s`,
        baselineName: 'one SELECT of the same t4 rows by minute (no checks, no analysis)',
      };
      return [
        {
          ...base,
          metric: 'analysis.run over the central history, median of 3',
          unit: 'ms',
          ours: median(oursMs),
          baseline: median(directMs),
          better: 'lower',
          note: `${(vms * (WINDOW_MS / 1000 / STEP_SEC)).toLocaleString('en')} t4 rows (filled in ${fillSec.toFixed(0)} s); ${perVm.toFixed(1)} ms per desktop-week, so about ${((perVm * FLEET_VMS) / 60_000).toFixed(1)} min for ${FLEET_VMS.toLocaleString('en')} desktops; the backend's CPU ${median(oursCpuMs).toFixed(0)} ms, the database's ${median(serverCpuMs).toFixed(0)} ms`,
        },
        {
          ...base,
          metric: 'per desktop-week',
          unit: 'ms',
          ours: perVm,
          baseline: median(directMs) / vms,
          better: 'lower',
        },
      ];
    } finally {
      empty.close();
      history.close();
      await source.close();
      await drop();
    }
  },
};

export default bench;
