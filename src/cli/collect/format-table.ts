import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${byteUnits[unit]}`;
}

function formatBits(bits: number | null): string {
  if (bits === null) return '-';
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let value = bits;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** A table cell of a percentage, one decimal; "-" where there is no value. */
export const pct = (value: number | null): string =>
  value === null ? '-' : `${value.toFixed(1)}%`;
/** A table cell of a rate (operations or packets per second), one decimal. */
export const rate = (value: number | null): string => (value === null ? '-' : value.toFixed(1));
/** A table cell of bytes per second, in binary units. */
export const perSec = (bytes: number | null): string =>
  bytes === null ? '-' : `${formatBytes(bytes)}/s`;

/** Rows of cells as aligned lines: the first column left-aligned, the others right-aligned. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** A host sample as the lines of a readable table. */
export function formatSampleTable(sample: DetailedHostSample): string[] {
  const when = new Date(sample.ts).toISOString().replace('T', ' ').slice(0, 19);
  const lines = [
    `${sample.host} (${sample.ip ?? 'no IPv4'})  ${when} UTC  over ${sample.intervalSec.toFixed(2)} s  load ${sample.load.load1.toFixed(2)} ${sample.load.load5.toFixed(2)} ${sample.load.load15.toFixed(2)}`,
    '',
  ];
  const cpu = sample.cpu;
  lines.push(
    ...table([
      ['CPU', 'busy', 'user', 'nice', 'system', 'iowait', 'irq', 'softirq', 'steal'],
      cpuRow('all', cpu),
      ...cpu.perCpu.map((c) => cpuRow(`cpu${c.cpu}`, c)),
    ]),
    '',
  );
  const mem = sample.memory;
  lines.push(
    `MEMORY  used ${pct(mem.usedPercent)}  ${formatBytes(mem.usedBytes)} of ${formatBytes(mem.totalBytes)}  available ${formatBytes(mem.availableBytes)}  free ${formatBytes(mem.freeBytes)}  buffers ${formatBytes(mem.buffersBytes)}  cached ${formatBytes(mem.cachedBytes)}`,
    '',
  );
  const disk = sample.disk;
  lines.push(
    ...table([
      ['DISK', 'read', 'write', 'r/s', 'w/s', 'util'],
      ...disk.devices.map((d) => diskRow(d.device, d)),
      diskRow('total', disk),
    ]),
    '',
  );
  const net = sample.net;
  lines.push(
    ...table([
      ['NETWORK', 'rx', 'tx', 'rx pkt/s', 'tx pkt/s', 'on wire', 'err/s', 'drop/s'],
      ...net.interfaces.map((i) =>
        netRow(i.physical ? i.interface : `${i.interface} (virtual)`, i),
      ),
      netRow('physical total', net),
    ]),
  );
  return lines;
}

function sum(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

// A row's figures have the same names for one CPU, disk or interface and for the total of all.
type CpuFigures = DetailedHostSample['cpu']['perCpu'][number];
type DiskFigures = Pick<
  DetailedHostSample['disk'],
  'readBytesPerSec' | 'writeBytesPerSec' | 'readIops' | 'writeIops' | 'utilPercent'
>;
type NetFigures = Omit<DetailedHostSample['net'], 'interfaces'>;

function cpuRow(label: string, c: Omit<CpuFigures, 'cpu'>): string[] {
  return [
    label,
    pct(c.percent),
    pct(c.user),
    pct(c.nice),
    pct(c.system),
    pct(c.iowait),
    pct(c.irq),
    pct(c.softirq),
    pct(c.steal),
  ];
}

function diskRow(label: string, d: DiskFigures): string[] {
  return [
    label,
    perSec(d.readBytesPerSec),
    perSec(d.writeBytesPerSec),
    rate(d.readIops),
    rate(d.writeIops),
    pct(d.utilPercent),
  ];
}

function netRow(label: string, n: NetFigures): string[] {
  return [
    label,
    perSec(n.rxBytesPerSec),
    perSec(n.txBytesPerSec),
    rate(n.rxPacketsPerSec),
    rate(n.txPacketsPerSec),
    formatBits(n.wireBitsPerSec),
    rate(sum(n.rxErrorsPerSec, n.txErrorsPerSec)),
    rate(sum(n.rxDropsPerSec, n.txDropsPerSec)),
  ];
}
