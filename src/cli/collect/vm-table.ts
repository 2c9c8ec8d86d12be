import type { DetailedVmSample } from '../../shared/model/engine-events';
import { formatBytes, pct, perSec, rate, table } from './format-table';

function lct(ms: number | null, connectedNow: boolean): string {
  if (connectedNow) return 'connected';
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** The VMs of one poll as table lines (name, state, CPU of host and guest, memory, I/O, LCT). */
export function formatVmTable(samples: readonly DetailedVmSample[]): string[] {
  if (samples.length === 0) return ['VMS  none'];
  return table([
    [
      'VM',
      'state',
      'vCPU',
      'cpu host',
      'cpu guest',
      'allocated',
      'guest used',
      'guest total',
      'rss',
      'disk read',
      'disk write',
      'r/s',
      'w/s',
      'net rx',
      'net tx',
      'rx pkt/s',
      'tx pkt/s',
      'last connect',
    ],
    ...[...samples]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => [
        s.name,
        s.state,
        String(s.vcpus),
        pct(s.cpu.hostPercent),
        pct(s.cpu.guestPercent),
        formatBytes(s.memory.allocatedBytes),
        formatBytes(s.memory.guestUsedBytes),
        formatBytes(s.memory.guestTotalBytes),
        formatBytes(s.memory.rssBytes),
        perSec(s.disk.readBytesPerSec),
        perSec(s.disk.writeBytesPerSec),
        rate(s.disk.readIops),
        rate(s.disk.writeIops),
        perSec(s.net.rxBytesPerSec),
        perSec(s.net.txBytesPerSec),
        rate(s.net.rxPacketsPerSec),
        rate(s.net.txPacketsPerSec),
        lct(s.lct, s.connectedNow),
      ]),
  ]);
}
