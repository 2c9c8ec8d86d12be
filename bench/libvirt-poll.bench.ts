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
 * Polls before measuring, for both: a collector polls for days, so what counts is its steady
 * state, after V8 has compiled the poll path (its JIT work in the first few hundred polls is
 * CPU a console spends once, not per poll).
 */
const WARMUP_POLLS = 500;
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
 * process.cpuUsage() around the loop only.
 */
const OUR_POLLER = `
import { connectLibvirt } from './src/collector/libvirt/connect';
import { CONSOLE_STATS_GROUPS } from './src/collector/libvirt/domain-stats';
const [uri, pollsText, uuidList, warmupText] = process.argv.slice(2);
const polls = Number(pollsText);
const lv = await connectLibvirt({ uri });
const domains = await Promise.all(uuidList.split(',').map((u) => lv.lookupDomainByUuid(u)));
for (let i = 0; i < Number(warmupText); i++) await lv.getAllDomainStats(CONSOLE_STATS_GROUPS, 0, domains);
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < polls; i++) {
  const records = await lv.getAllDomainStats(CONSOLE_STATS_GROUPS, 0, domains);
  if (records.length !== domains.length) throw new Error('short poll');
}
const wallMs = (performance.now() - t0) / polls;
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ cpuMs: (c.user + c.system) / 1000 / polls, wallMs }) + '\\n');
await lv.close();
process.stdin.destroy();
`;

/** Runs a poller that prints 'ready', waits for a line, polls, prints {cpuMs, wallMs}. */
function runPoller(
  command: string,
  args: string[],
  daemon: number,
  polls: number,
): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let d0 = 0;
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('ready\n') && d0 === 0) {
        d0 = processCpuMs(daemon);
        child.stdin.write('go\n');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) {
        reject(new Error(`${command} poller failed (${code}): ${err.trim().split('\n').at(-1)}`));
        return;
      }
      const r = JSON.parse(line) as { cpuMs: number; wallMs: number };
      // libvirtd's share includes the close and exit: a few ms over hundreds of polls.
      resolve({
        clientCpuMs: r.cpuMs,
        wallMs: r.wallMs,
        libvirtdCpuMs: (processCpuMs(daemon) - d0) / polls,
        polls,
      });
    });
  });
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
sys.stdin.readline()
c0, t0 = time.process_time(), time.perf_counter()
for _ in range(polls):
    if len(conn.domainListGetStats(doms, groups)) != len(doms): raise SystemExit('short poll')
c1, t1 = time.process_time(), time.perf_counter()
print(json.dumps({'cpuMs': (c1 - c0) * 1000 / polls, 'wallMs': (t1 - t0) * 1000 / polls}), flush=True)
conn.close()
`;

/** python3-libvirt: CPU per call measured inside the Python process, around the loop only. */
function measureCLibrary(uri: string, uuids: string[], daemon: number): Promise<Measure> {
  return runPoller(
    '/usr/bin/python3',
    ['-c', PYTHON, uri, String(POLLS), uuids.join(','), String(WARMUP_POLLS)],
    daemon,
    POLLS,
  );
}

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
    const ourRounds: Measure[] = [];
    const cRounds: Measure[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ourRounds.push(
        await runPoller(
          process.execPath,
          [poller, uri, String(POLLS), uuids.join(','), String(WARMUP_POLLS)],
          daemon,
          POLLS,
        ),
      );
      cRounds.push(await measureCLibrary(uri, uuids, daemon));
    }
    const ours = medianRound(ourRounds);
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
          note: `ours: median of ${ROUNDS} rounds of ${ours.polls} polls, taking turns with the C library (stats groups state,cpu,balloon,vcpu,interface,block); peer: ${cpuRatio === 1 ? `the same, its median round` : `mean of ${peer.polls}`}`,
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
