// One all-domain-stats poll of the bed's guests by the project's libvirt protocol client,
// against three peers polling the same domains for the same stats groups in the same run:
// libvirt's C library in-process (python3-libvirt), prometheus-libvirt-exporter (one
// /metrics scrape), and virsh domstats --raw (a process per poll). libvirtd's own CPU per
// poll is read from /proc/<libvirtd pid>/stat around each.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { requireBed } from '../test/helpers/bed';
import { processCpuMs } from './lib/cpu-time';
import { timeCommand } from './lib/time-command';
import type { BenchResult, Benchmark } from './lib/types';
import { bundleForNode } from './lib/bundle-for-node';

const name = 'libvirt-poll';
const POLLS = 300;
/**
 * Ours and the C library take turns this many times and each reports its median round: the
 * bed's busy guests share the two cores, and one round each was swayed by whatever else ran
 * at that moment.
 */
const ROUNDS = 5;
/**
 * Polls before the first round, for both, in the process that then runs every round: a
 * collector polls for days, so what counts is its steady state. V8 compiles a function with
 * TurboFan only after it has run enough bytecode, and most of the poll path runs once per poll:
 * `--trace-opt` on this poller showed its functions reaching TurboFan up to about poll 3,250
 * (the reply dispatch near 2,500, Node's onStreamRead last), and none after that through
 * poll 5,000. Before that the client runs partly in V8's interpreter and baseline tiers: CPU a
 * console spends in its first hour of polling at 1 s, not per poll for good.
 */
const WARMUP_POLLS = 4_000;
const SCRAPES = 60;
const VIRSH_POLLS = 30;
const EXPORTER_PORT = 19177;
const VIRSH_GROUPS = ['--state', '--cpu-total', '--balloon', '--vcpu', '--interface', '--block'];

interface Measure {
  clientCpuMs: number;
  wallMs: number;
  libvirtdCpuMs: number;
  polls: number;
}

/** The round whose client CPU is the median (its wall and daemon figures come with it). */
function medianRound(rounds: Measure[]): Measure {
  const sorted = [...rounds].sort((a, b) => a.clientCpuMs - b.clientCpuMs);
  return sorted[Math.floor(sorted.length / 2)] as Measure;
}

function libvirtdPid(pidFile: string): number {
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no libvirtd pid in ${pidFile}`);
  return pid;
}

/**
 * The project's poller, measured like the C library: in its own process (plain node on an
 * esbuild bundle, so no TypeScript loader thread shares the process), CPU from
 * process.cpuUsage() around each round's loop only. It warms up, prints 'ready', then runs a
 * round for each 'go' line on stdin and prints {cpuMs, wallMs}; stdin's end closes it.
 */
const OUR_POLLER = `
import { createInterface } from 'node:readline';
import { connectLibvirt } from './src/collector/libvirt/connect';
import { CONSOLE_STATS_GROUPS } from './src/collector/libvirt/domain-stats';
const [uri, pollsText, uuidList, warmupText] = process.argv.slice(2);
const polls = Number(pollsText);
const lv = await connectLibvirt({ uri });
const domains = await Promise.all(uuidList.split(',').map((u) => lv.lookupDomainByUuid(u)));
for (let i = 0; i < Number(warmupText); i++) await lv.getAllDomainStats(CONSOLE_STATS_GROUPS, 0, domains);
process.stdout.write('ready\\n');
for await (const _line of createInterface({ input: process.stdin })) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < polls; i++) {
    const records = await lv.getAllDomainStats(CONSOLE_STATS_GROUPS, 0, domains);
    if (records.length !== domains.length) throw new Error('short poll');
  }
  const wallMs = (performance.now() - t0) / polls;
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ cpuMs: (c.user + c.system) / 1000 / polls, wallMs }) + '\\n');
}
await lv.close();
`;

/**
 * A poller process that warms up once, then runs measured rounds on demand: it prints 'ready',
 * and for each line on its stdin polls and prints one JSON line {cpuMs, wallMs}.
 */
class RoundPoller {
  private readonly child;
  private out = '';
  private err = '';
  private waiter: { resolve: (line: string) => void; reject: (e: Error) => void } | null = null;
  private exited: Error | null = null;

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    private readonly daemon: number,
    private readonly polls: number,
  ) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (c: Buffer) => (this.err += c.toString()));
    this.child.stdout.on('data', (c: Buffer) => {
      this.out += c.toString();
      this.deliver();
    });
    this.child.on('error', (e) => this.stop(e));
    this.child.on('close', (code) =>
      this.stop(new Error(`${label} exited (${code}): ${this.err.trim().split('\n').at(-1)}`)),
    );
  }

  private deliver(): void {
    const newline = this.out.indexOf('\n');
    if (newline < 0 || !this.waiter) return;
    const line = this.out.slice(0, newline);
    this.out = this.out.slice(newline + 1);
    const { resolve } = this.waiter;
    this.waiter = null;
    resolve(line);
  }

  private stop(error: Error): void {
    this.exited ??= error;
    this.waiter?.reject(error);
    this.waiter = null;
  }

  private nextLine(): Promise<string> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.deliver();
    });
  }

  async ready(): Promise<void> {
    const line = await this.nextLine();
    if (line !== 'ready') throw new Error(`${this.label}: expected 'ready', got '${line}'`);
  }

  async round(): Promise<Measure> {
    const d0 = processCpuMs(this.daemon);
    this.child.stdin.write('go\n');
    const r = JSON.parse(await this.nextLine()) as { cpuMs: number; wallMs: number };
    return {
      clientCpuMs: r.cpuMs,
      wallMs: r.wallMs,
      libvirtdCpuMs: (processCpuMs(this.daemon) - d0) / this.polls,
      polls: this.polls,
    };
  }

  close(): void {
    this.child.stdin.end();
  }
}

const PYTHON = `
import json, sys, time, libvirt
uri, polls, uuids, warmup = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(','), int(sys.argv[4])
conn = libvirt.open(uri)
doms = [conn.lookupByUUIDString(u) for u in uuids]
groups = (libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_CPU_TOTAL | libvirt.VIR_DOMAIN_STATS_BALLOON
          | libvirt.VIR_DOMAIN_STATS_VCPU | libvirt.VIR_DOMAIN_STATS_INTERFACE | libvirt.VIR_DOMAIN_STATS_BLOCK)
for _ in range(warmup): conn.domainListGetStats(doms, groups)
print('ready', flush=True)
for _line in sys.stdin:
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(polls):
        if len(conn.domainListGetStats(doms, groups)) != len(doms): raise SystemExit('short poll')
    c1, t1 = time.process_time(), time.perf_counter()
    print(json.dumps({'cpuMs': (c1 - c0) * 1000 / polls, 'wallMs': (t1 - t0) * 1000 / polls}), flush=True)
conn.close()
`;

function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    }).on('error', reject);
  });
}

/** prometheus-libvirt-exporter on loopback: CPU of its process per /metrics scrape. */
async function measureExporter(uri: string, daemon: number): Promise<Measure> {
  const child = spawn(
    '/usr/bin/prometheus-libvirt-exporter',
    [`--web.listen-address=127.0.0.1:${EXPORTER_PORT}`, `--libvirt.uri=${uri}`],
    { stdio: 'ignore' },
  );
  try {
    let body = '';
    for (let i = 0; i < 100 && !body; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = await scrape(EXPORTER_PORT).catch(() => '');
    }
    if (!body.includes('libvirt_domain'))
      throw new Error('the exporter serves no libvirt_domain metrics');
    for (let i = 0; i < 5; i++) await scrape(EXPORTER_PORT);
    const pid = child.pid ?? 0;
    const e0 = processCpuMs(pid);
    const d0 = processCpuMs(daemon);
    const t0 = performance.now();
    for (let i = 0; i < SCRAPES; i++) await scrape(EXPORTER_PORT);
    return {
      wallMs: (performance.now() - t0) / SCRAPES,
      clientCpuMs: (processCpuMs(pid) - e0) / SCRAPES,
      libvirtdCpuMs: (processCpuMs(daemon) - d0) / SCRAPES,
      polls: SCRAPES,
    };
  } finally {
    child.kill();
  }
}

function measureVirsh(uri: string, names: string[], daemon: number): Measure {
  const args = ['-c', uri, 'domstats', '--raw', ...VIRSH_GROUPS, ...names];
  timeCommand('virsh', args);
  let cpu = 0;
  let wall = 0;
  const d0 = processCpuMs(daemon);
  for (let i = 0; i < VIRSH_POLLS; i++) {
    const t = timeCommand('virsh', args);
    cpu += t.cpuMs;
    wall += t.wallMs;
  }
  return {
    clientCpuMs: cpu / VIRSH_POLLS,
    wallMs: wall / VIRSH_POLLS,
    libvirtdCpuMs: (processCpuMs(daemon) - d0) / VIRSH_POLLS,
    polls: VIRSH_POLLS,
  };
}

const benchmark: Benchmark = {
  name,
  async run() {
    const bed = requireBed();
    const uri = bed.libvirt.uri;
    const daemon = libvirtdPid(bed.libvirt.libvirtdPidFile);
    const uuids = bed.domains.map((d) => d.uuid);
    const names = bed.domains.map((d) => d.name);
    execFileSync('virsh', ['-c', uri, 'list'], { stdio: 'ignore' });
    const label = `${uuids.length} bed guests`;
    const poller = await bundleForNode('libvirt-poll', { source: OUR_POLLER });
    const args = [uri, String(POLLS), uuids.join(','), String(WARMUP_POLLS)];
    // Both warm up at once (a few minutes of polling), then take turns, each alone.
    const ourPoller = new RoundPoller(
      'our poller',
      process.execPath,
      [poller, ...args],
      daemon,
      POLLS,
    );
    const cPoller = new RoundPoller(
      'python3-libvirt poller',
      '/usr/bin/python3',
      ['-c', PYTHON, ...args],
      daemon,
      POLLS,
    );
    const ourRounds: Measure[] = [];
    const cRounds: Measure[] = [];
    try {
      await Promise.all([ourPoller.ready(), cPoller.ready()]);
      for (let round = 0; round < ROUNDS; round++) {
        ourRounds.push(await ourPoller.round());
        cRounds.push(await cPoller.round());
      }
    } finally {
      ourPoller.close();
      cPoller.close();
    }
    const ours = medianRound(ourRounds);
    const roundCpu = (rounds: Measure[]) => rounds.map((r) => r.clientCpuMs.toFixed(3)).join(', ');
    const peers: [string, Measure, { cpuRatio?: number }][] = [
      [
        'python3-libvirt domainListGetStats (C library, in-process)',
        medianRound(cRounds),
        { cpuRatio: 1 },
      ],
      [
        'prometheus-libvirt-exporter, per /metrics scrape (all domains, its own calls)',
        await measureExporter(uri, daemon),
        {},
      ],
      [
        'virsh domstats --raw (process per poll)',
        measureVirsh(uri, names, daemon),
        { cpuRatio: 0.1 },
      ],
    ];
    const rows: BenchResult[] = [];
    for (const [baselineName, peer, { cpuRatio }] of peers) {
      rows.push(
        {
          benchmark: name,
          metric: `client CPU per poll, ${label}`,
          unit: 'ms',
          ours: ours.clientCpuMs,
          baseline: peer.clientCpuMs,
          baselineName,
          better: 'lower',
          ...(cpuRatio === undefined ? {} : { targetRatio: cpuRatio }),
          note: `ours: median of ${ROUNDS} rounds of ${ours.polls} polls after ${WARMUP_POLLS} warm-up polls, taking turns with the C library (stats groups state,cpu,balloon,vcpu,interface,block; rounds ${roundCpu(ourRounds)} ms); peer: ${cpuRatio === 1 ? `the same (rounds ${roundCpu(cRounds)} ms)` : `mean of ${peer.polls}`}`,
        },
        {
          benchmark: name,
          metric: `wall time per poll, ${label}`,
          unit: 'ms',
          ours: ours.wallMs,
          baseline: peer.wallMs,
          baselineName,
          better: 'lower',
        },
        {
          benchmark: name,
          metric: `libvirtd CPU per poll, ${label}`,
          unit: 'ms',
          ours: ours.libvirtdCpuMs,
          baseline: peer.libvirtdCpuMs,
          baselineName,
          better: 'lower',
        },
      );
    }
    return rows;
  },
};

export default benchmark;
