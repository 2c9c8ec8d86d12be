import type { HostSample, VmSample } from '../../src/shared/model/samples';

/**
 * Realistic samples for store tests and benches (shaped like the bed's guests: 1 vCPU,
 * 256 MiB, one virtio disk and NIC), deterministic per seed so runs compare.
 */
export function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

export function vmUuid(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

export function makeVmSample(
  i: number,
  ts: number,
  rand: () => number,
  host = 'kvm-host-1',
): VmSample {
  const cpu = rand() * 100;
  return {
    kind: 'vm',
    ts,
    host,
    uuid: vmUuid(i),
    name: `desktop-${i}`,
    state: 'running',
    vcpus: 1,
    cpu: { hostPercent: cpu / 2, guestPercent: cpu },
    memory: {
      allocatedBytes: 268_435_456,
      guestTotalBytes: 222_969_856,
      guestUsedBytes: Math.round((40_000 + rand() * 60_000) * 1024),
      rssBytes: Math.round((180_000 + rand() * 40_000) * 1024),
    },
    disk: {
      readBytesPerSec: rand() * 2_000_000,
      writeBytesPerSec: rand() * 5_000_000,
      readIops: rand() * 300,
      writeIops: rand() * 800,
      devices: [
        {
          device: 'vda',
          readBytesPerSec: null,
          writeBytesPerSec: null,
          readIops: null,
          writeIops: null,
        },
      ],
    },
    net: {
      rxBytesPerSec: rand() * 120_000,
      txBytesPerSec: rand() * 120_000,
      rxPacketsPerSec: rand() * 200,
      txPacketsPerSec: rand() * 200,
      interfaces: [
        {
          interface: 'vnet0',
          rxBytesPerSec: null,
          txBytesPerSec: null,
          rxPacketsPerSec: null,
          txPacketsPerSec: null,
        },
      ],
    },
    lct: null,
    connectedNow: false,
    lastSeen: ts,
  };
}

export function makeHostSample(ts: number, rand: () => number, host = 'kvm-host-1'): HostSample {
  const user = rand() * 60;
  const system = rand() * 20;
  return {
    kind: 'host',
    ts,
    host,
    ip: '192.0.2.10',
    cpu: { percent: user + system + 1, user, system, iowait: rand() * 5, steal: 0 },
    memory: {
      totalBytes: 8_145_367_040,
      availableBytes: 5_000_000_000 + Math.round((rand() * 1e9) / 1024) * 1024,
      freeBytes: 2_000_000_000,
      buffersBytes: 200_000_000,
      cachedBytes: 2_500_000_000,
      usedPercent: 30 + rand() * 20,
    },
    disk: {
      readBytesPerSec: rand() * 1e7,
      writeBytesPerSec: rand() * 1e7,
      readIops: rand() * 500,
      writeIops: rand() * 500,
      devices: [
        {
          device: 'sda',
          readBytesPerSec: rand() * 1e7,
          writeBytesPerSec: rand() * 1e7,
          readIops: rand() * 500,
          writeIops: rand() * 500,
          utilPercent: rand() * 100,
        },
      ],
    },
    net: {
      rxBytesPerSec: rand() * 1e6,
      txBytesPerSec: rand() * 1e6,
      rxPacketsPerSec: rand() * 1000,
      txPacketsPerSec: rand() * 1000,
      wireBitsPerSec: rand() * 1e7,
      interfaces: [
        {
          interface: 'eth0',
          rxBytesPerSec: rand() * 1e6,
          txBytesPerSec: rand() * 1e6,
          rxPacketsPerSec: rand() * 1000,
          txPacketsPerSec: rand() * 1000,
          wireBitsPerSec: rand() * 1e7,
        },
      ],
    },
    vmCount: 4,
  };
}
