import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { UsageError } from '../usage-error';
import type { VmAnalysis } from '../../analysis/vm-analysis';
import type { HostAnalysis, Placement } from '../../analysis/host-analysis';
import { analyzeStore } from '../../backend/analysis/analyze-store';
import { defaultDbPath } from '../../store/default-db-path';
import { Store } from '../../store/store';
import { analysisSettings } from '../analysis/analysis-options';
import { formatBytes, perSec, rate, table } from '../collect/format-table';
import { memoryVsDisk } from '../../analysis/memory-vs-disk';
import type { MemorySizePeriod } from '../../analysis/memory-vs-disk';
import { readMemoryDiskHistory } from '../../store/usage-history/memory-disk-history';
import { HOUR_MS } from '../../shared/time-ms';

const usage = `Usage: setmov analyze [--db FILE] [--window 7d] [--settings FILE] [--json]
       setmov analyze --memory-vs-disk VM [--db FILE] [--window 7d] [--json]

For every VM with history in the window: its guest CPU (p50, p95, max), the daily peaks
of its guest-used memory, disk and network p95, hours with a display client, a lower
bound, target and upper bound for its vCPUs and memory, and what to change, with the
reasons. A VM with less than an hour of history says "not enough data" and how much
there is. See docs/analysis.md for how the figures are made.
  --window D   how far back: 90m, 24h, 7d, ... (default 7d)
  --settings FILE  JSON object overriding some of the recommender's settings
               (percentiles, margin, headroom, minimums, idle days: docs/analysis.md)
  --memory-vs-disk VM  for one VM (UUID or name): its disk throughput in each period it
               had a different memory size, smallest first (the paper's Fig. 13 table)
  --json       one JSON object per VM, keyed by UUID
  --db FILE    SQLite history (default: ${defaultDbPath()})`;

const size = formatBytes;

function describe(analysis: VmAnalysis): string {
  const head = `${analysis.name} (${analysis.uuid}) on ${analysis.host || '?'}`;
  if (analysis.status === 'not-enough-data')
    return `${head}\n  not enough data: ${analysis.reason}\n`;
  const { figures, vcpus, memoryBytes } = analysis;
  const cpu = figures.cpuGuestPercent;
  const lines = [
    head,
    `  CPU of its ${vcpus.allocated} vCPUs: p50 ${cpu.p50.toFixed(1)} %, p95 ${cpu.p95.toFixed(1)} %, max ${cpu.max.toFixed(1)} %; vCPUs lower ${vcpus.lower.toFixed(2)}, target ${vcpus.target.toFixed(2)}, upper ${vcpus.upper.toFixed(2)}`,
    memoryBytes && figures.memory
      ? `  memory: daily peak p95 ${size(figures.memory.dailyPeakP95Bytes)}, max ${size(figures.memory.maxBytes)} of ${size(memoryBytes.allocated)}; lower ${size(memoryBytes.lower)}, target ${size(memoryBytes.target)}, upper ${size(memoryBytes.upper)}`
      : '  memory: the guest reports nothing (no balloon statistics): no advice',
    `  display connected ${figures.displayConnectedHours?.toFixed(1) ?? '?'} h in ${(figures.historyMs / HOUR_MS).toFixed(1)} h of history`,
    ...(analysis.recommendations.length === 0
      ? ['  no change recommended']
      : analysis.recommendations.map((r) => `  → ${r.kind} [${r.id}]: ${r.reason}`)),
  ];
  return `${lines.join('\n')}\n`;
}

const vcpuCount = (n: number) => `${n} vCPU${n === 1 ? '' : 's'}`;

/** What the advice frees against what it adds: "net 1 vCPU freed", "net 1 vCPU more". */
function net(freed: number, added: number, show: (n: number) => string): string {
  const n = freed - added;
  return n === 0 ? 'net nothing' : n > 0 ? `net ${show(n)} freed` : `net ${show(-n)} more`;
}

function describeHosts(hosts: readonly HostAnalysis[], moves: readonly Placement[]): string {
  const pct = (v: number | null) => (v === null ? '?' : `${v.toFixed(0)} %`);
  const ratio = (v: number | null) => (v === null ? '?' : `${v.toFixed(2)}×`);
  const lines = hosts.map((h) => {
    const running =
      h.runningVms === 1 ? 'its 1 running VM is' : `its ${h.runningVms} running VMs are`;
    return `${h.name} (${h.temperature}): p95 CPU ${pct(h.cpuPercentP95)}, memory ${pct(h.memUsedPercentP95)}; ${running} given ${vcpuCount(h.allocatedVcpus)} on ${h.cpuCount ?? '?'} CPUs (${ratio(h.vcpuRatio)}), ${size(h.allocatedMemoryBytes)} of ${h.memoryTotalBytes === null ? '?' : size(h.memoryTotalBytes)} (${ratio(h.memoryRatio)}); the advice frees ${vcpuCount(h.freedVcpus)} and adds ${h.addedVcpus} (${net(h.freedVcpus, h.addedVcpus, vcpuCount)}), frees ${size(h.freedMemoryBytes)} of memory and adds ${size(h.addedMemoryBytes)} (${net(h.freedMemoryBytes, h.addedMemoryBytes, size)}); idle desktops hold ${vcpuCount(h.reclaimableVcpus)} and ${size(h.reclaimableMemoryBytes)}`;
  });
  for (const move of moves) lines.push(`  move ${move.name} to ${move.to}: ${move.reason}`);
  return `${lines.join('\n')}\n`;
}

function describeMemoryVsDisk(vm: string, periods: readonly MemorySizePeriod[]): string {
  if (periods.length === 0) return `${vm}: no minute with a known memory size in the window\n`;
  const rows = periods.map((p) => [
    formatBytes(p.allocatedBytes),
    String(p.minutes),
    perSec(p.readBytesPerSecAvg),
    perSec(p.readBytesPerSecP95),
    perSec(p.writeBytesPerSecAvg),
    rate(p.readIopsAvg),
    p.guestUsedBytesAvg === null ? '-' : formatBytes(p.guestUsedBytesAvg),
  ]);
  const head = [
    'memory',
    'minutes',
    'read avg',
    'read p95',
    'write avg',
    'read IOPS',
    'guest used',
  ];
  return `${vm}: disk by memory size\n${table([head, ...rows]).join('\n')}\n`;
}

export const analyzeCommand: Command = {
  summary: 'recommend vCPUs and memory per VM, and find idle desktops, from the history',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        db: { type: 'string' },
        window: { type: 'string' },
        settings: { type: 'string' },
        'memory-vs-disk': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    const settings = analysisSettings(values.window, values.settings);
    const windowMs = settings.windowMs;
    const path = values.db ?? defaultDbPath();
    // Opening would make an empty history there: a mistyped path would say "no VM".
    if (!existsSync(path)) throw new UsageError(`no history at ${path} (see --db)`);
    const store = Store.open({ path });
    try {
      const now = Date.now();
      const vm = values['memory-vs-disk'];
      if (vm !== undefined) {
        const ref = { kind: 'vm' as const, uuid: vm, name: vm };
        const periods = memoryVsDisk(readMemoryDiskHistory(store, ref, now - windowMs, now));
        io.stdout.write(
          values.json
            ? `${JSON.stringify({ vm, windowMs, at: now, periods }, null, 2)}\n`
            : describeMemoryVsDisk(vm, periods),
        );
        return 0;
      }
      const { vms: analyses, hosts, placements: moves } = analyzeStore(store, now, settings);
      if (values.json) {
        const byUuid = Object.fromEntries(analyses.map((a) => [a.uuid, a]));
        const output = { windowMs, at: now, vms: byUuid, hosts, placements: moves };
        io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      } else if (analyses.length === 0) {
        io.stdout.write('no VM has history in the window\n');
      } else {
        io.stdout.write(analyses.map(describe).join('\n'));
        io.stdout.write(`\n${describeHosts(hosts, moves)}`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
