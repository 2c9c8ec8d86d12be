import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';
import type { HostUsage } from '../rates/host-usage';
import type { HostIdentity } from '../../shared/model/host-identity';

/** The sample of one interval, in the shared model's shape. */
export function toHostSample(identity: HostIdentity, usage: HostUsage): DetailedHostSample {
  const cpu = usage.cpu;
  return {
    kind: 'host',
    ts: usage.timestampMs,
    host: identity.hostname,
    ip: identity.primaryIp,
    intervalSec: usage.intervalSec,
    cpu: {
      percent: cpu?.percent ?? null,
      user: cpu?.user ?? null,
      system: cpu?.system ?? null,
      iowait: cpu?.iowait ?? null,
      steal: cpu?.steal ?? null,
      nice: cpu?.nice ?? null,
      idle: cpu?.idle ?? null,
      irq: cpu?.irq ?? null,
      softirq: cpu?.softirq ?? null,
      perCpu: (cpu?.perCpu ?? []).map((c) => ({
        cpu: c.index,
        percent: c.usage?.percent ?? null,
        user: c.usage?.user ?? null,
        nice: c.usage?.nice ?? null,
        system: c.usage?.system ?? null,
        idle: c.usage?.idle ?? null,
        iowait: c.usage?.iowait ?? null,
        irq: c.usage?.irq ?? null,
        softirq: c.usage?.softirq ?? null,
        steal: c.usage?.steal ?? null,
      })),
    },
    memory: {
      totalBytes: usage.memory.totalBytes,
      availableBytes: usage.memory.availableBytes,
      freeBytes: usage.memory.freeBytes,
      buffersBytes: usage.memory.buffersBytes,
      cachedBytes: usage.memory.cachedBytes,
      usedPercent: usage.memory.usedPercent,
      usedBytes: usage.memory.usedBytes,
      availableSource: usage.memory.availableSource,
    },
    disk: {
      readBytesPerSec: usage.disk.readBytesPerSec,
      writeBytesPerSec: usage.disk.writeBytesPerSec,
      readIops: usage.disk.readIops,
      writeIops: usage.disk.writeIops,
      utilPercent: usage.disk.utilPercent,
      devices: usage.disk.devices.map((d) => ({
        device: d.name,
        readBytesPerSec: d.readBytesPerSec,
        writeBytesPerSec: d.writeBytesPerSec,
        readIops: d.readIops,
        writeIops: d.writeIops,
        utilPercent: d.utilPercent,
      })),
    },
    net: {
      rxBytesPerSec: usage.net.rxBytesPerSec,
      txBytesPerSec: usage.net.txBytesPerSec,
      rxPacketsPerSec: usage.net.rxPacketsPerSec,
      txPacketsPerSec: usage.net.txPacketsPerSec,
      wireBitsPerSec: usage.net.wireBitsPerSec,
      rxErrorsPerSec: usage.net.rxErrorsPerSec,
      txErrorsPerSec: usage.net.txErrorsPerSec,
      rxDropsPerSec: usage.net.rxDropsPerSec,
      txDropsPerSec: usage.net.txDropsPerSec,
      interfaces: usage.net.interfaces.map((i) => ({
        interface: i.name,
        physical: i.physical,
        rxBytesPerSec: i.rxBytesPerSec,
        txBytesPerSec: i.txBytesPerSec,
        rxPacketsPerSec: i.rxPacketsPerSec,
        txPacketsPerSec: i.txPacketsPerSec,
        wireBitsPerSec: i.wireBitsPerSec,
        rxErrorsPerSec: i.rxErrorsPerSec,
        txErrorsPerSec: i.txErrorsPerSec,
        rxDropsPerSec: i.rxDropsPerSec,
        txDropsPerSec: i.txDropsPerSec,
      })),
    },
    load: { load1: usage.load.load1, load5: usage.load.load5, load15: usage.load.load15 },
  };
}
