import type {
  DiskDeviceUsage,
  HostSample,
  NetInterfaceUsage,
  VmDiskUsage,
  VmNicUsage,
  VmSample,
} from '../shared/model/samples';

/**
 * Per-device figures, kept as compact JSON arrays beside the totals. For a VM with one
 * disk and one NIC (the common desktop) the device rows equal the totals, so nothing is
 * stored and the device names live once in the vms row: that keeps a raw VM sample small.
 */
type Num = number | null;

const r0 = (v: Num | undefined): Num =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v);
const r2 = (v: Num | undefined): Num =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 100) / 100;

export function encodeVmDetail(sample: VmSample): string | null {
  const disks = sample.disk.devices ?? [];
  const nics = sample.net.interfaces ?? [];
  if (disks.length <= 1 && nics.length <= 1) return null;
  return JSON.stringify({
    d: disks.map((d) => [
      d.device,
      r0(d.readBytesPerSec),
      r0(d.writeBytesPerSec),
      r2(d.readIops),
      r2(d.writeIops),
    ]),
    n: nics.map((n) => [
      n.interface,
      r0(n.rxBytesPerSec),
      r0(n.txBytesPerSec),
      r2(n.rxPacketsPerSec),
      r2(n.txPacketsPerSec),
    ]),
  });
}

export function encodeHostDetail(sample: HostSample): string | null {
  const disks = sample.disk.devices ?? [];
  const nics = sample.net.interfaces ?? [];
  if (disks.length === 0 && nics.length === 0) return null;
  return JSON.stringify({
    d: disks.map((d) => [
      d.device,
      r0(d.readBytesPerSec),
      r0(d.writeBytesPerSec),
      r2(d.readIops),
      r2(d.writeIops),
      r2(d.utilPercent),
    ]),
    n: nics.map((n) => [
      n.interface,
      r0(n.rxBytesPerSec),
      r0(n.txBytesPerSec),
      r2(n.rxPacketsPerSec),
      r2(n.txPacketsPerSec),
      r0(n.wireBitsPerSec),
    ]),
  });
}

interface DetailJson {
  d?: unknown[][];
  n?: unknown[][];
}

const num = (v: unknown): Num => (typeof v === 'number' ? v : null);

function parse(detail: string | null): DetailJson {
  if (!detail) return {};
  try {
    return JSON.parse(detail) as DetailJson;
  } catch {
    return {};
  }
}

/** Devices of a stored VM sample; single-device VMs get their one device from the totals. */
export function decodeVmDetail(
  detail: string | null,
  totals: { disk: Omit<VmDiskUsage, 'device'>; net: Omit<VmNicUsage, 'interface'> },
  names: { disks: string[]; nics: string[] },
): { disks: VmDiskUsage[]; nics: VmNicUsage[] } {
  const json = parse(detail);
  const disks: VmDiskUsage[] = json.d
    ? json.d.map((d) => ({
        device: String(d[0]),
        readBytesPerSec: num(d[1]),
        writeBytesPerSec: num(d[2]),
        readIops: num(d[3]),
        writeIops: num(d[4]),
      }))
    : names.disks.slice(0, 1).map((device) => ({ device, ...totals.disk }));
  const nics: VmNicUsage[] = json.n
    ? json.n.map((n) => ({
        interface: String(n[0]),
        rxBytesPerSec: num(n[1]),
        txBytesPerSec: num(n[2]),
        rxPacketsPerSec: num(n[3]),
        txPacketsPerSec: num(n[4]),
      }))
    : names.nics.slice(0, 1).map((name) => ({ interface: name, ...totals.net }));
  return { disks, nics };
}

export function decodeHostDetail(detail: string | null): {
  disks: DiskDeviceUsage[];
  nics: NetInterfaceUsage[];
} {
  const json = parse(detail);
  return {
    disks: (json.d ?? []).map((d) => ({
      device: String(d[0]),
      readBytesPerSec: num(d[1]),
      writeBytesPerSec: num(d[2]),
      readIops: num(d[3]),
      writeIops: num(d[4]),
      utilPercent: num(d[5]),
    })),
    nics: (json.n ?? []).map((n) => ({
      interface: String(n[0]),
      rxBytesPerSec: num(n[1]),
      txBytesPerSec: num(n[2]),
      rxPacketsPerSec: num(n[3]),
      txPacketsPerSec: num(n[4]),
      wireBitsPerSec: num(n[5]),
    })),
  };
}
