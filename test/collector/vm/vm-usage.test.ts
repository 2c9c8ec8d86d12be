import { describe, expect, it } from 'vitest';
import type { VmCounters } from '../../../src/collector/vm/vm-counters';
import { vmCountersFromStats } from '../../../src/collector/vm/vm-counters';
import { vmUsage } from '../../../src/collector/vm/vm-usage';
import { fixtureText, recordOf, statsFixture, statsTiming } from './bed-fixtures';

function counters(over: Partial<VmCounters> = {}): VmCounters {
  return {
    uuid: '5e7a0b0d-0000-4000-8000-0000000000aa',
    name: 'g',
    domainId: 3,
    state: 1,
    stateReason: 1,
    monotonicMs: 0,
    cpuTimeNs: null,
    vcpuCurrent: null,
    vcpuMaximum: null,
    balloonCurrentKiB: null,
    balloonMaximumKiB: null,
    balloonAvailableKiB: null,
    balloonUsableKiB: null,
    balloonUnusedKiB: null,
    balloonRssKiB: null,
    balloonSwapInKiB: null,
    balloonMajorFaults: null,
    balloonLastUpdateSec: null,
    blocks: [],
    nets: [],
    ...over,
  };
}

const disk = (name: string, rd: number, wr: number, rdReqs: number, wrReqs: number) => ({
  name,
  readBytes: rd,
  writeBytes: wr,
  readReqs: rdReqs,
  writeReqs: wrReqs,
});

const nic = (name: string, rxB: number, txB: number, rxP: number, txP: number) => ({
  name,
  rxBytes: rxB,
  txBytes: txB,
  rxPackets: rxP,
  txPackets: txP,
  rxErrors: 0,
  txErrors: 0,
  rxDrops: 0,
  txDrops: 0,
});

describe('vmUsage: CPU', () => {
  it('host % = 100 × Δcpu.time / (t × 1e9 × host cores); guest % over vcpu.current', () => {
    // 3 s of CPU in 2 s: 150 % of one core = 37.5 % of 4 host cores = 75 % of 2 vCPUs.
    const prev = counters({ monotonicMs: 10_000, cpuTimeNs: 1_000_000_000, vcpuCurrent: 2 });
    const cur = counters({ monotonicMs: 12_000, cpuTimeNs: 4_000_000_000, vcpuCurrent: 2 });
    expect(vmUsage(prev, cur, 4).cpu).toEqual({ hostPercent: 37.5, guestPercent: 75 });
  });

  it('clamps guest % to 100 (QEMU’s own threads are in cpu.time) but not host %', () => {
    const prev = counters({ monotonicMs: 0, cpuTimeNs: 0, vcpuCurrent: 1 });
    const cur = counters({ monotonicMs: 2_000, cpuTimeNs: 2_500_000_000, vcpuCurrent: 1 });
    expect(vmUsage(prev, cur, 2).cpu).toEqual({ hostPercent: 62.5, guestPercent: 100 });
  });

  it('gives a host % but no guest % when vcpu.current is missing', () => {
    const prev = counters({ monotonicMs: 0, cpuTimeNs: 0 });
    const cur = counters({ monotonicMs: 1_000, cpuTimeNs: 500_000_000 });
    expect(vmUsage(prev, cur, 1).cpu).toEqual({ hostPercent: 50, guestPercent: null });
  });

  it('gives no host % for a nonsensical host CPU count', () => {
    const prev = counters({ monotonicMs: 0, cpuTimeNs: 0, vcpuCurrent: 1 });
    const cur = counters({ monotonicMs: 1_000, cpuTimeNs: 500_000_000, vcpuCurrent: 1 });
    expect(vmUsage(prev, cur, 0).cpu).toEqual({ hostPercent: null, guestPercent: 50 });
    expect(vmUsage(prev, cur, Number.NaN).cpu.hostPercent).toBeNull();
  });
});

describe('vmUsage: no rate rather than a wrong one', () => {
  const prev = counters({
    monotonicMs: 1_000,
    cpuTimeNs: 90_000_000_000,
    vcpuCurrent: 1,
    blocks: [disk('vda', 1000, 5000, 10, 50)],
    nets: [nic('vnet0', 900, 800, 9, 8)],
  });

  it('gives null rates without a previous reading', () => {
    const u = vmUsage(undefined, prev, 2);
    expect(u.cpu).toEqual({ hostPercent: null, guestPercent: null });
    expect(u.disk).toEqual({
      readBytesPerSec: null,
      writeBytesPerSec: null,
      readIops: null,
      writeIops: null,
      devices: [
        {
          device: 'vda',
          readBytesPerSec: null,
          writeBytesPerSec: null,
          readIops: null,
          writeIops: null,
        },
      ],
    });
    expect(u.net.interfaces[0]).toEqual({
      interface: 'vnet0',
      rxBytesPerSec: null,
      txBytesPerSec: null,
      rxPacketsPerSec: null,
      txPacketsPerSec: null,
    });
  });

  it('gives null, never negative, when the counters restarted from zero (VM restart)', () => {
    const cur = counters({
      monotonicMs: 3_000,
      cpuTimeNs: 2_000_000_000,
      vcpuCurrent: 1,
      blocks: [disk('vda', 10, 20, 1, 2)],
      nets: [nic('vnet0', 90, 80, 1, 1)],
    });
    const u = vmUsage(prev, cur, 2);
    expect(u.cpu).toEqual({ hostPercent: null, guestPercent: null });
    expect(u.disk.writeBytesPerSec).toBeNull();
    expect(u.disk.devices[0]?.readIops).toBeNull();
    expect(u.net.rxBytesPerSec).toBeNull();
    expect(u.net.interfaces[0]?.txPacketsPerSec).toBeNull();
  });

  it('gives null when the VM restarted (new domain id) even if its counters grew past the old ones', () => {
    const cur = counters({
      domainId: 4,
      monotonicMs: 3_000,
      cpuTimeNs: 95_000_000_000,
      vcpuCurrent: 1,
      blocks: [disk('vda', 2000, 6000, 20, 60)],
    });
    const u = vmUsage(prev, cur, 2);
    expect(u.cpu.hostPercent).toBeNull();
    expect(u.disk.writeBytesPerSec).toBeNull();
  });

  it('gives null when no time passed or the clock went backwards', () => {
    const cur = counters({ monotonicMs: 1_000, cpuTimeNs: 91_000_000_000, vcpuCurrent: 1 });
    expect(vmUsage(prev, cur, 2).cpu.hostPercent).toBeNull();
    expect(vmUsage(prev, { ...cur, monotonicMs: 500 }, 2).cpu.hostPercent).toBeNull();
  });

  it('does not compare two different domains', () => {
    const cur = counters({
      uuid: '5e7a0b0d-0000-4000-8000-0000000000bb',
      monotonicMs: 3_000,
      cpuTimeNs: 91_000_000_000,
      vcpuCurrent: 1,
    });
    expect(vmUsage(prev, cur, 2).cpu.hostPercent).toBeNull();
  });

  it('rates only the devices seen twice: a hot-plugged disk has none yet', () => {
    const cur = counters({
      monotonicMs: 3_000,
      blocks: [disk('vda', 3000, 9000, 30, 90), disk('vdb', 1, 1, 1, 1)],
    });
    const u = vmUsage(prev, cur, 2);
    // vda over 2 s: read 2000 B → 1000 B/s, write 4000 B → 2000 B/s, 20 and 40 requests.
    expect(u.disk.devices).toEqual([
      { device: 'vda', readBytesPerSec: 1000, writeBytesPerSec: 2000, readIops: 10, writeIops: 20 },
      {
        device: 'vdb',
        readBytesPerSec: null,
        writeBytesPerSec: null,
        readIops: null,
        writeIops: null,
      },
    ]);
    expect(u.disk.writeBytesPerSec).toBe(2000);
    expect(u.disk.readIops).toBe(10);
  });
});

describe('vmUsage: disk and network totals', () => {
  it('sums devices and interfaces; bytes/s and IOPS from Δbytes and Δreqs over t', () => {
    const prev = counters({
      monotonicMs: 0,
      blocks: [disk('vda', 0, 0, 0, 0), disk('vdb', 100, 100, 1, 1)],
      nets: [nic('vnet0', 0, 0, 0, 0), nic('vnet1', 1000, 1000, 10, 10)],
    });
    const cur = counters({
      monotonicMs: 4_000,
      blocks: [disk('vda', 4096, 8192, 4, 8), disk('vdb', 100, 40_100, 1, 41)],
      nets: [nic('vnet0', 4000, 400, 40, 4), nic('vnet1', 9000, 1000, 90, 10)],
    });
    const u = vmUsage(prev, cur, 2);
    expect(u.disk).toMatchObject({
      readBytesPerSec: 1024,
      writeBytesPerSec: 2048 + 10_000,
      readIops: 1,
      writeIops: 2 + 10,
    });
    expect(u.net).toMatchObject({
      rxBytesPerSec: 1000 + 2000,
      txBytesPerSec: 100,
      rxPacketsPerSec: 10 + 20,
      txPacketsPerSec: 1,
    });
    expect(u.net.interfaces.map((i) => i.interface)).toEqual(['vnet0', 'vnet1']);
  });

  it('gives null totals for a VM without disks or NICs', () => {
    const u = vmUsage(counters({ monotonicMs: 0 }), counters({ monotonicMs: 1_000 }), 2);
    expect(u.disk).toEqual({
      readBytesPerSec: null,
      writeBytesPerSec: null,
      readIops: null,
      writeIops: null,
      devices: [],
    });
    expect(u.net.interfaces).toEqual([]);
  });
});

describe('vmUsage: memory', () => {
  it('guest used = available − usable (MemTotal − MemAvailable), said so', () => {
    const m = vmUsage(
      undefined,
      counters({
        balloonCurrentKiB: 131072,
        balloonAvailableKiB: 94912,
        balloonUsableKiB: 72264,
        balloonUnusedKiB: 66640,
        balloonRssKiB: 225820,
      }),
      2,
    ).memory;
    expect(m).toEqual({
      allocatedBytes: 134_217_728,
      guestTotalBytes: 97_189_888,
      guestUsedBytes: 22_648 * 1024,
      rssBytes: 231_239_680,
      swapInBytesPerSec: null,
      majorFaultsPerSec: null,
      guestUsedSource: 'usable',
    });
  });

  it('falls back to available − unused (cache counted as used) where usable is missing', () => {
    const m = vmUsage(
      undefined,
      counters({ balloonAvailableKiB: 94912, balloonUnusedKiB: 66640 }),
      2,
    ).memory;
    expect(m.guestUsedBytes).toBe(28_272 * 1024);
    expect(m.guestUsedSource).toBe('unused');
  });

  it('falls back too when usable exceeds available, instead of a negative figure', () => {
    const m = vmUsage(
      undefined,
      counters({ balloonAvailableKiB: 1000, balloonUsableKiB: 1001, balloonUnusedKiB: 400 }),
      2,
    ).memory;
    expect(m.guestUsedBytes).toBe(600 * 1024);
    expect(m.guestUsedSource).toBe('unused');
  });

  it('says nothing about the guest when it reports nothing (no stats period or no balloon)', () => {
    // What libvirt sends for a guest whose balloon has no stats period: only the host's view.
    const m = vmUsage(
      undefined,
      counters({ balloonCurrentKiB: 131072, balloonMaximumKiB: 131072, balloonRssKiB: 200000 }),
      2,
    ).memory;
    expect(m).toEqual({
      allocatedBytes: 134_217_728,
      guestTotalBytes: null,
      guestUsedBytes: null,
      rssBytes: 204_800_000,
      swapInBytesPerSec: null,
      majorFaultsPerSec: null,
      guestUsedSource: null,
    });
    const none = vmUsage(undefined, counters(), 2).memory;
    expect(none).toEqual({
      allocatedBytes: null,
      guestTotalBytes: null,
      guestUsedBytes: null,
      rssBytes: null,
      swapInBytesPerSec: null,
      majorFaultsPerSec: null,
      guestUsedSource: null,
    });
  });

  it('rates swap-in (KiB counter to bytes/s) and major faults between two readings', () => {
    const before = counters({ balloonSwapInKiB: 1000, balloonMajorFaults: 50, monotonicMs: 0 });
    const after = counters({ balloonSwapInKiB: 1400, balloonMajorFaults: 250, monotonicMs: 2000 });
    const m = vmUsage(before, after, 2).memory;
    expect(m.swapInBytesPerSec).toBe(200 * 1024);
    expect(m.majorFaultsPerSec).toBe(100);
    // The guest rebooted inside the same run of QEMU: its counters started again, no rate.
    const reset = counters({ balloonSwapInKiB: 10, balloonMajorFaults: 3, monotonicMs: 4000 });
    expect(vmUsage(after, reset, 2).memory).toMatchObject({
      swapInBytesPerSec: null,
      majorFaultsPerSec: null,
    });
    expect(vmUsage(undefined, after, 2).memory.swapInBytesPerSec).toBeNull();
  });
});

describe('vmUsage on two readings recorded from the bed 3.307 s apart', () => {
  const [t1, t2] = statsTiming.readingsMs;
  const first = statsFixture('stats-1.json');
  const second = statsFixture('stats-2.json');
  const usage = (name: string) =>
    vmUsage(
      vmCountersFromStats(recordOf(first, name), t1),
      vmCountersFromStats(recordOf(second, name), t2),
      statsTiming.hostCpus,
    );

  it('bed-cpu: Δcpu.time 2 952 141 000 ns in 3.307009 s on 2 host cores, 1 vCPU', () => {
    expect(t2 - t1).toBeCloseTo(3307.009415, 6);
    const { cpu } = usage('bed-cpu');
    // 100 × 2.952141 / (3.307009415 × 2) and the same over 1 vCPU.
    expect(cpu.hostPercent).toBeCloseTo(44.6346, 3);
    expect(cpu.guestPercent).toBeCloseTo(89.2692, 3);
  });

  it('bed-idle: Δcpu.time 210 800 000 ns, a TCG guest idling', () => {
    expect(usage('bed-idle').cpu.guestPercent).toBeCloseTo(6.3743, 3);
  });

  it('bed-disk: 12 MiB written in 12 requests and 8 MiB read in 8', () => {
    const { disk } = usage('bed-disk');
    expect(disk.writeBytesPerSec).toBeCloseTo(12_582_912 / 3.307009415, 3);
    expect(disk.writeBytesPerSec).toBeCloseTo(3_804_921.73, 1);
    expect(disk.writeIops).toBeCloseTo(3.62866, 4);
    expect(disk.readBytesPerSec).toBeCloseTo(2_536_614.49, 1);
    expect(disk.readIops).toBeCloseTo(2.41911, 4);
    expect(disk.devices.map((d) => d.device)).toEqual(['vda']);
  });

  it('bed-net: 62 packets and 64 604 bytes each way', () => {
    const { net } = usage('bed-net');
    expect(net.rxPacketsPerSec).toBeCloseTo(18.74806, 4);
    expect(net.txPacketsPerSec).toBeCloseTo(18.74806, 4);
    expect(net.rxBytesPerSec).toBeCloseTo(19_535.475, 2);
    expect(net.interfaces.map((i) => i.interface)).toEqual(['bedtap-net']);
  });

  it('bed-idle: guest used memory equals what the guest printed on its console', () => {
    const { memory } = usage('bed-idle');
    const guest = /used=(\d+) total=(\d+)/.exec(fixtureText('bed-idle.serial-mem.txt'));
    expect(memory.guestUsedSource).toBe('usable');
    expect(memory.guestUsedBytes).toBe(Number(guest?.[1]) * 1024);
    expect(memory.guestTotalBytes).toBe(Number(guest?.[2]) * 1024);
    expect(memory.allocatedBytes).toBe(128 * 1024 * 1024);
  });

  it('gives null, not negative, for the same pair read backwards', () => {
    const back = vmUsage(
      vmCountersFromStats(recordOf(second, 'bed-disk'), t1),
      vmCountersFromStats(recordOf(first, 'bed-disk'), t2),
      2,
    );
    expect(back.cpu.hostPercent).toBeNull();
    expect(back.disk.writeBytesPerSec).toBeNull();
    expect(back.disk.readIops).toBeNull();
  });
});
