import type { DetailedHostSample } from '../../collector/host/host-sample';

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

const pct = (value: number | null): string => (value === null ? '-' : `${value.toFixed(1)}%`);
const rate = (value: number | null): string => (value === null ? '-' : value.toFixed(1));
const perSec = (bytes: number | null): string => (bytes === null ? '-' : `${formatBytes(bytes)}/s`);

function table(rows: string[][]): string[] {
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
      [
        'all',
        pct(cpu.percent),
        pct(cpu.user),
        pct(cpu.nice),
        pct(cpu.system),
        pct(cpu.iowait),
        pct(cpu.irq),
        pct(cpu.softirq),
        pct(cpu.steal),
      ],
      ...cpu.perCpu.map((c) => [
        `cpu${c.cpu}`,
        pct(c.percent),
        pct(c.user),
        pct(c.nice),
        pct(c.system),
        pct(c.iowait),
        pct(c.irq),
        pct(c.softirq),
        pct(c.steal),
      ]),
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
      ...disk.devices.map((d) => [
        d.device,
        perSec(d.readBytesPerSec),
        perSec(d.writeBytesPerSec),
        rate(d.readIops),
        rate(d.writeIops),
        pct(d.utilPercent),
      ]),
      [
        'total',
        perSec(disk.readBytesPerSec),
        perSec(disk.writeBytesPerSec),
        rate(disk.readIops),
        rate(disk.writeIops),
        pct(disk.utilPercent),
      ],
    ]),
    '',
  );
  const net = sample.net;
  lines.push(
    ...table([
      ['NETWORK', 'rx', 'tx', 'rx pkt/s', 'tx pkt/s', 'on wire', 'err/s', 'drop/s'],
      ...net.interfaces.map((i) => [
        i.physical ? i.interface : `${i.interface} (virtual)`,
        perSec(i.rxBytesPerSec),
        perSec(i.txBytesPerSec),
        rate(i.rxPacketsPerSec),
        rate(i.txPacketsPerSec),
        formatBits(i.wireBitsPerSec),
        rate(sum(i.rxErrorsPerSec, i.txErrorsPerSec)),
        rate(sum(i.rxDropsPerSec, i.txDropsPerSec)),
      ]),
      [
        'physical total',
        perSec(net.rxBytesPerSec),
        perSec(net.txBytesPerSec),
        rate(net.rxPacketsPerSec),
        rate(net.txPacketsPerSec),
        formatBits(net.wireBitsPerSec),
        rate(sum(net.rxErrorsPerSec, net.txErrorsPerSec)),
        rate(sum(net.rxDropsPerSec, net.txDropsPerSec)),
      ],
    ]),
  );
  return lines;
}

function sum(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}
