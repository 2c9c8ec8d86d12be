import type { DiskStats } from '../procfs/diskstats';
import { counterDelta, perSecond, sumRates } from './counter-delta';
import { wholeDiskNames } from './whole-disks';

/** Sectors of /proc/diskstats are 512 bytes on every device (iostats.rst). */
const sectorBytes = 512;

/** One whole disk's rates over the interval; a sample keeps them as DiskDeviceUsage. */
export interface DiskDeviceRates {
  name: string;
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
  /** Completed reads per second. */
  readIops: number | null;
  writeIops: number | null;
  /** Share of the interval the device had I/O in flight, percent (0–100). */
  utilPercent: number | null;
}

export interface DiskUsage {
  /** Sums over the whole disks that have a rate this interval. */
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
  readIops: number | null;
  writeIops: number | null;
  /** Mean %util of the whole disks that have one. */
  utilPercent: number | null;
  /** Whole disks only (see wholeDiskNames), in /proc/diskstats order. */
  devices: DiskDeviceRates[];
}

/**
 * Disk usage between two /proc/diskstats readings `seconds` apart: paper eq. 4,
 * extended. The paper gives Δsectors × 512 as bytes with no time base and mixes
 * reads and writes; this divides by the interval, keeps read and write apart, adds
 * IOPS (Δ completed requests / t) and %util (Δ ms doing I/O / interval in ms, as
 * iostat), and counts whole disks only so partitions, loop, ram, dm and md devices
 * do not count the same I/O twice. A device absent from the first reading, or with a
 * counter that went backwards, has null rates for that interval.
 */
export function diskUsage(
  previous: readonly DiskStats[],
  current: readonly DiskStats[],
  seconds: number,
): DiskUsage {
  const before = new Map(previous.map((disk) => [disk.name, disk]));
  const disks = wholeDiskNames(current.map((disk) => disk.name));
  const devices: DiskDeviceRates[] = [];
  for (const now of current) {
    if (!disks.has(now.name)) continue;
    const then = before.get(now.name);
    const rate = (pick: (disk: DiskStats) => bigint, scale = 1): number | null => {
      if (!then) return null;
      const delta = counterDelta(pick(then), pick(now));
      return perSecond(delta === null ? null : delta * scale, seconds);
    };
    const busyMsPerSec = rate((disk) => disk.ioTimeMs);
    devices.push({
      name: now.name,
      readBytesPerSec: rate((disk) => disk.sectorsRead, sectorBytes),
      writeBytesPerSec: rate((disk) => disk.sectorsWritten, sectorBytes),
      readIops: rate((disk) => disk.readsCompleted),
      writeIops: rate((disk) => disk.writesCompleted),
      // Rounding of the kernel's ms against our interval can exceed 100 by a hair.
      utilPercent: busyMsPerSec === null ? null : Math.min(100, busyMsPerSec / 10),
    });
  }
  const utils = devices.map((d) => d.utilPercent).filter((u): u is number => u !== null);
  return {
    readBytesPerSec: sumRates(devices.map((d) => d.readBytesPerSec)),
    writeBytesPerSec: sumRates(devices.map((d) => d.writeBytesPerSec)),
    readIops: sumRates(devices.map((d) => d.readIops)),
    writeIops: sumRates(devices.map((d) => d.writeIops)),
    utilPercent: utils.length === 0 ? null : utils.reduce((a, b) => a + b, 0) / utils.length,
    devices,
  };
}
