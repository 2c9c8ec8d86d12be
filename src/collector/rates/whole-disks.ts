/**
 * Devices that are not disks of their own: loop (files), ram/zram (memory),
 * dm-N (device-mapper: LVM, crypt) and mdN (software RAID). dm and md sit on top
 * of disks that are listed too, so counting them would count the same I/O twice.
 */
const notADisk = /^(?:loop\d+|ram\d+|zram\d+|dm-\d+|md\d+|md_d\d+)$/;

/**
 * The names of /proc/diskstats that are whole disks, decided from the names alone so
 * it works the same on fixtures and over SSH: a partition is a name that extends
 * another listed device by digits ("sda" → "sda1"), or by "p" + digits when the
 * parent's name ends in a digit ("nvme0n1" → "nvme0n1p2", "mmcblk0" → "mmcblk0p1").
 * So "nvme0n10" (namespace 10) is not taken for a partition of "nvme0n1".
 */
export function wholeDiskNames(names: readonly string[]): Set<string> {
  const listed = new Set(names);
  const disks = new Set<string>();
  for (const name of names) {
    if (notADisk.test(name) || isPartition(name, listed)) continue;
    disks.add(name);
  }
  return disks;
}

function isPartition(name: string, listed: ReadonlySet<string>): boolean {
  const digits = /\d+$/.exec(name);
  if (!digits) return false;
  const stem = name.slice(0, digits.index);
  if (listed.has(stem)) return true;
  if (!stem.endsWith('p')) return false;
  const parent = stem.slice(0, -1);
  return /\d$/.test(parent) && listed.has(parent);
}
