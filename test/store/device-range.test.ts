import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VmSample } from '../../src/shared/model/samples';
import { Store } from '../../src/store/store';
import { StoreError } from '../../src/store/store-error';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from './sample-factory';
import { tempDir } from './temp-db';

const SEC = 1000;
const HOUR = 3_600_000;

/** A VM sample with two disks and two NICs, each device's figures given. */
function twoDeviceSample(ts: number, disk: [number, number], nic: [number, number]): VmSample {
  const base = makeVmSample(1, ts, makeRandom(ts));
  const diskOf = (device: string, bytes: number) => ({
    device,
    readBytesPerSec: bytes / 2,
    writeBytesPerSec: bytes / 2,
    readIops: 1,
    writeIops: 1,
  });
  const nicOf = (name: string, bytes: number) => ({
    interface: name,
    rxBytesPerSec: bytes,
    txBytesPerSec: 0,
    rxPacketsPerSec: 1,
    txPacketsPerSec: 1,
  });
  return {
    ...base,
    disk: { ...base.disk, devices: [diskOf('vda', disk[0]), diskOf('vdb', disk[1])] },
    net: { ...base.net, interfaces: [nicOf('vnet0', nic[0]), nicOf('vnet1', nic[1])] },
  };
}

describe('per-device history (real SQLite)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let now: number;
  let store: Store;

  beforeEach(() => {
    tmp = tempDir();
    now = Date.UTC(2026, 0, 10, 12, 0, 0);
    store = Store.open({ path: tmp.file('h.db'), now: () => now });
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it("averages each disk's and NIC's traffic per bucket, in the samples' device order", () => {
    const t0 = now - 60 * SEC;
    store.ingest(
      [0, 1, 2, 3].map((i) => ({
        type: 'vm-sample' as const,
        sample: twoDeviceSample(t0 + i * SEC, [100 * (i + 1), 1000], [10 * i, 7]),
      })),
    );
    const result = store.devices({
      entity: { kind: 'vm', uuid: vmUuid(1) },
      from: t0,
      to: t0 + 4 * SEC,
      maxPoints: 2,
    });
    expect(result.bucketMs).toBe(2 * SEC);
    expect(result.disks.map((d) => d.name)).toEqual(['vda', 'vdb']);
    expect(result.disks[0]?.points).toEqual([
      { ts: t0, bytesPerSec: 150 },
      { ts: t0 + 2 * SEC, bytesPerSec: 350 },
    ]);
    expect(result.disks[1]?.points.map((p) => p.bytesPerSec)).toEqual([1000, 1000]);
    expect(result.nics.map((n) => n.name)).toEqual(['vnet0', 'vnet1']);
    expect(result.nics[0]?.points.map((p) => p.bytesPerSec)).toEqual([5, 25]);
  });

  it("reads a one-disk, one-NIC VM's device from its totals, under the name its row keeps", () => {
    const sample = makeVmSample(2, now - 5 * SEC, makeRandom(3));
    store.ingest([{ type: 'vm-sample', sample }]);
    const result = store.devices({
      entity: { kind: 'vm', uuid: vmUuid(2) },
      from: now - 10 * SEC,
      to: now,
      maxPoints: 10,
    });
    const disk = (sample.disk.readBytesPerSec ?? 0) + (sample.disk.writeBytesPerSec ?? 0);
    expect(result.disks).toHaveLength(1);
    expect(result.disks[0]?.name).toBe('vda');
    expect(result.disks[0]?.points[0]?.bytesPerSec).toBeCloseTo(disk, 0);
    expect(result.nics[0]?.name).toBe('vnet0');
  });

  it("keeps a host's devices, and a bucket whose figures were unmeasured as a gap", () => {
    const rand = makeRandom(5);
    const first = makeHostSample(now - 4 * SEC, rand);
    const unmeasured = makeHostSample(now - 2 * SEC, rand);
    const sda = unmeasured.disk.devices?.[0];
    if (sda) sda.readBytesPerSec = null;
    store.ingest([
      { type: 'host-sample', sample: first },
      { type: 'host-sample', sample: unmeasured },
    ]);
    const result = store.devices({
      entity: { kind: 'host', name: 'kvm-host-1' },
      from: now - 4 * SEC,
      to: now,
      maxPoints: 2,
    });
    const d0 = first.disk.devices?.[0];
    expect(result.disks[0]?.name).toBe('sda');
    expect(result.disks[0]?.points[0]?.bytesPerSec).toBeCloseTo(
      (d0?.readBytesPerSec ?? 0) + (d0?.writeBytesPerSec ?? 0),
      -1, // stored to the byte, read and write each
    );
    expect(result.disks[0]?.points[1]).toEqual({ ts: now - 2 * SEC, bytesPerSec: null });
    expect(result.nics[0]?.points).toHaveLength(2);
  });

  it('says where the raw retention begins and answers nothing before it', () => {
    store.ingest([{ type: 'vm-sample', sample: twoDeviceSample(now - 1000, [1, 1], [1, 1]) }]);
    const result = store.devices({
      entity: { kind: 'vm', uuid: vmUuid(1) },
      from: now - 30 * 24 * HOUR,
      to: now - 3 * 24 * HOUR,
      maxPoints: 600,
    });
    expect(result.keptFromMs).toBe(now - 48 * HOUR);
    expect(result.disks).toEqual([]);
    expect(result.nics).toEqual([]);
  });

  it('refuses a bad range and an unknown VM with typed errors', () => {
    const entity = { kind: 'vm' as const, uuid: vmUuid(1) };
    expect(() => store.devices({ entity, from: now, to: now, maxPoints: 10 })).toThrow(StoreError);
    expect(() => store.devices({ entity, from: 0, to: now, maxPoints: 0 })).toThrow(
      /maxPoints must be a positive integer/,
    );
    expect(() =>
      store.devices({ entity: { kind: 'vm', uuid: vmUuid(99) }, from: 0, to: now, maxPoints: 1 }),
    ).toThrow(/no VM/);
  });
});
