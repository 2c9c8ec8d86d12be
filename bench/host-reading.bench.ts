// CPU time of one host reading (read the /proc files, parse, compute rates) by the
// collector, locally and over SSH, against two peers reading the same host in the
// same run: Debian's prometheus-node-exporter with only the cpu, meminfo, diskstats,
// netdev and loadavg collectors (CPU of its process per /metrics scrape), and a
// shell `cat` of the same files per tick. Target: below node_exporter per scrape.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostSampler } from '../src/collector/host/host-sampler';
import type { HostSource } from '../src/collector/host/host-source';
import { procFilesPerReading } from '../src/collector/host/host-source';
import { LocalHostSource } from '../src/collector/host/local-host-source';
import { createSshHostSource } from '../src/collector/ssh/ssh-host-source';
import { loadBed } from '../test/helpers/bed';
import { bedSshKeyLogin } from '../test/helpers/bed-ssh';
import { ownCpuMs, processCpuMs } from './lib/cpu-time';
import { median, percentile } from './lib/stats';
import { timeCommand } from './lib/time-command';
import type { BenchResult, Benchmark } from './lib/types';

const name = 'host-reading';
/** Readings and scrapes per measurement: enough for /proc's 10 ms CPU ticks to average out. */
const readings = 300;
const exporterAddress = '127.0.0.1:9199';
const procPaths = procFilesPerReading.map((file) => `/proc/${file}`);

/** Our CPU (this process) per reading: HostSampler.next() = read + parse + rates + sample. */
async function oursPerReading(source: HostSource): Promise<number> {
  const sampler = new HostSampler(source, await source.identity());
  for (let i = 0; i < 30; i++) await sampler.next(); // JIT warm-up, not counted
  const before = ownCpuMs();
  for (let i = 0; i < readings; i++) await sampler.next();
  return (ownCpuMs() - before) / readings;
}

/** Every descendant of a process, from /proc/<pid>/stat's ppid field. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function cpuOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += processCpuMs(pid);
    } catch {
      // Gone: its time went to its parent's cutime, which we do not count.
    }
  }
  return total;
}

/** Client and host CPU per reading over SSH to the bed's sshd (host side: sshd session + reader). */
async function sshPerReading(): Promise<{ clientMs: number; hostMs: number } | null> {
  const bed = loadBed();
  if (!bed) return null;
  const source = createSshHostSource(bedSshKeyLogin(bed));
  try {
    const sampler = new HostSampler(source, await source.identity());
    for (let i = 0; i < 30; i++) await sampler.next();
    const sshd = Number(readFileSync(bed.ssh.sshdPidFile, 'utf8').trim());
    const session = descendants(sshd);
    const clientBefore = ownCpuMs();
    const hostBefore = cpuOf(session);
    for (let i = 0; i < readings; i++) await sampler.next();
    return {
      clientMs: (ownCpuMs() - clientBefore) / readings,
      hostMs: (cpuOf(session) - hostBefore) / readings,
    };
  } finally {
    await source.close();
  }
}

/** node_exporter's CPU per /metrics scrape, from its /proc/<pid>/stat. */
async function exporterPerScrape(): Promise<{ cpuMs: number; bytes: number }> {
  const exporter: ChildProcess = spawn(
    'prometheus-node-exporter',
    [
      `--web.listen-address=${exporterAddress}`,
      '--collector.disable-defaults',
      '--collector.cpu',
      '--collector.meminfo',
      '--collector.diskstats',
      '--collector.netdev',
      '--collector.loadavg',
    ],
    { stdio: 'ignore' },
  );
  try {
    const url = `http://${exporterAddress}/metrics`;
    let body = '';
    for (let attempt = 0; body === ''; attempt++) {
      try {
        body = await (await fetch(url)).text();
      } catch (error) {
        if (attempt > 50)
          throw new Error(`node_exporter did not answer on ${url}: ${String(error)}`);
        await sleep(100);
      }
    }
    for (let i = 0; i < 30; i++) await (await fetch(url)).text();
    const before = processCpuMs(exporter.pid!);
    for (let i = 0; i < readings; i++) await (await fetch(url)).text();
    return { cpuMs: (processCpuMs(exporter.pid!) - before) / readings, bytes: body.length };
  } finally {
    exporter.kill('SIGTERM');
  }
}

/** CPU of `sh -c 'cat <the six files> >/dev/null'` per tick (sh and cat, from bash's time). */
function catPerTick(): { median: number; p90: number } {
  const script = `cat ${procPaths.join(' ')} >/dev/null`;
  timeCommand('sh', ['-c', script]);
  const cpu: number[] = [];
  for (let i = 0; i < 100; i++) cpu.push(timeCommand('sh', ['-c', script]).cpuMs);
  return { median: median(cpu), p90: percentile(cpu, 90) };
}

const benchmark: Benchmark = {
  name,
  async run() {
    const exporter = await exporterPerScrape();
    const cat = catPerTick();
    const local = await oursPerReading(new LocalHostSource());
    const ssh = await sshPerReading();
    const exporterName = 'prometheus-node-exporter /metrics (cpu,meminfo,diskstats,netdev,loadavg)';
    const rows: BenchResult[] = [
      {
        benchmark: name,
        metric: 'CPU per host reading, local (read+parse+rates)',
        unit: 'ms',
        ours: local,
        baseline: exporter.cpuMs,
        baselineName: exporterName,
        better: 'lower',
        targetRatio: 1,
        note: `mean of ${readings} readings / scrapes; node_exporter page ${exporter.bytes} bytes`,
      },
      {
        benchmark: name,
        metric: 'CPU per host reading, local (read+parse+rates)',
        unit: 'ms',
        ours: local,
        baseline: cat.median,
        baselineName: 'sh -c cat of the same 6 files',
        better: 'lower',
        note: `cat: median of 100 ticks, p90 ${cat.p90.toFixed(2)} ms (process start included)`,
      },
    ];
    if (ssh) {
      rows.push(
        {
          benchmark: name,
          metric: 'CPU per host reading over SSH, console side',
          unit: 'ms',
          ours: ssh.clientMs,
          baseline: exporter.cpuMs,
          baselineName: exporterName,
          better: 'lower',
          targetRatio: 1,
        },
        {
          benchmark: name,
          metric: 'CPU per host reading over SSH, host side (sshd + reader)',
          unit: 'ms',
          ours: ssh.hostMs,
          baseline: exporter.cpuMs,
          baselineName: exporterName,
          better: 'lower',
          targetRatio: 1,
          note: "host side: CPU of the bed sshd's session processes; /proc ticks are 10 ms",
        },
      );
    }
    return rows;
  },
};

export default benchmark;
