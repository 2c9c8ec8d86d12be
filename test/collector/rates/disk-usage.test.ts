import { describe, expect, it } from 'vitest';
import { diskUsage } from '../../../src/collector/rates/disk-usage';
import { wholeDiskNames } from '../../../src/collector/rates/whole-disks';
import { fixtureReading } from './fixture-readings';

describe('wholeDiskNames', () => {
  it('keeps whole disks and drops partitions, dm, md, loop, ram and zram', () => {
    const names = fixtureReading('edge-case/t0').diskstats.map((d) => d.name);
    expect([...wholeDiskNames(names)]).toEqual([
      'sda',
      'sdb',
      'nvme0n1',
      'nvme0n10',
      'mmcblk0',
      'sr0',
      'vda',
    ]);
    expect([...wholeDiskNames(fixtureReading('old-kernel').diskstats.map((d) => d.name))]).toEqual([
      'sda',
      'sr0',
    ]);
  });

  it('takes a name for a partition only when its parent is listed', () => {
    expect([...wholeDiskNames(['sda1', 'nvme0n1p1', 'xvda2'])]).toEqual([
      'sda1',
      'nvme0n1p1',
      'xvda2',
    ]);
    expect([...wholeDiskNames(['mmcblk1', 'mmcblk1p1', 'mmcblk1boot0', 'hdc', 'hdc3'])]).toEqual([
      'mmcblk1',
      'mmcblk1boot0',
      'hdc',
    ]);
  });
});

describe('diskUsage (paper eq. 4, per second, whole disks)', () => {
  const t0 = fixtureReading('edge-case/t0', 0);
  const t1 = fixtureReading('edge-case/t1', 5000);
  const usage = diskUsage(t0.diskstats, t1.diskstats, 5);
  const device = (name: string) => usage.devices.find((d) => d.name === name);

  it('computes bytes/s, IOPS and %util of each whole disk by hand', () => {
    // sda: Δreads 100, Δsectors read 800, Δwrites 200, Δsectors written 3200, Δio 250 ms over 5 s.
    expect(device('sda')).toEqual({
      name: 'sda',
      readBytesPerSec: (800 * 512) / 5,
      writeBytesPerSec: (3200 * 512) / 5,
      readIops: 20,
      writeIops: 40,
      utilPercent: 5,
    });
    expect(device('sda1')).toBeUndefined();
    expect(device('dm-0')).toBeUndefined();
  });

  it('keeps the delta of a sector counter near 2^64 exact', () => {
    // sdb sectors read: 18446744073709451000 → 18446744073709453048.
    expect(device('sdb')!.readBytesPerSec).toBe((2048 * 512) / 5);
  });

  it('gives no rate to a device whose counters went backwards, and sums the others', () => {
    expect(device('mmcblk0')).toMatchObject({
      readBytesPerSec: null,
      readIops: null,
      utilPercent: null,
    });
    // sda, nvme0n1, nvme0n10, vda: 81920 each; sdb 209715.2; sr0 idle.
    expect(usage.readBytesPerSec).toBeCloseTo(4 * 81920 + 209715.2, 6);
    expect(usage.writeBytesPerSec).toBeCloseTo(5 * 327680, 6);
    expect(usage.readIops).toBe(100);
    expect(usage.utilPercent).toBeCloseTo((5 * 5) / 6, 10);
  });

  it('measures the 64 MiB direct write between the two captures of this host', () => {
    const before = fixtureReading('this-host/t0');
    const after = fixtureReading('this-host/t1');
    const seconds = (after.monotonicMs - before.monotonicMs) / 1000;
    const vda = diskUsage(before.diskstats, after.diskstats, seconds).devices[0]!;
    expect(vda.name).toBe('vda');
    // Δ sectors written 3864768 − 3732976 = 131792 → 67 477 504 bytes ≥ the 64 MiB of dd.
    expect(vda.writeBytesPerSec! * seconds).toBeCloseTo(131792 * 512, 3);
    expect(vda.writeBytesPerSec! * seconds).toBeGreaterThanOrEqual(64 * 1024 * 1024);
  });

  it('gives no rate for a device that was not in the first reading, or for no interval', () => {
    expect(diskUsage([], t1.diskstats, 5).readBytesPerSec).toBeNull();
    expect(diskUsage(t0.diskstats, t1.diskstats, 0).devices[0]!.readBytesPerSec).toBeNull();
  });
});
