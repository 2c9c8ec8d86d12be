import type { DomainStatsRecord } from '../libvirt/domain-stats';
import type { DomainRef } from '../libvirt/remote-types';
import type { DisplayTracker } from '../vm/display-tracker';
import { vmCountersFromStats, type VmCounters } from '../vm/vm-counters';
import { vmUsage } from '../vm/vm-usage';
import type { DetailedVmSample } from '../../shared/model/engine-events';
import type { VmInventory } from './vm-inventory';
import { vmStateName } from './vm-state';

/** What one poll's samples are made with besides the stats reply. */
export interface VmSampleContext {
  hostName: string;
  hostCpus: number;
  inventory: VmInventory;
  display: DisplayTracker;
  /** A domain the inventory has wrong (missing, gone, another state, or not in the reply). */
  refresh: (domain: DomainRef) => void;
  /** A record whose counters cannot be read (the domain is skipped this poll). */
  warn: (message: string) => void;
}

/**
 * VM samples from all-domain stats replies, beside HostSampler for /proc: each domain's
 * previous counters are kept, so a rate comes from two readings of the same domain. It also
 * keeps the inventory honest: what the reply and the inventory disagree on is read again (a
 * missed event, a domain that went between the list and the stats).
 */
export class VmSampler {
  private readonly previous = new Map<string, VmCounters>();

  /** Samples of the domains read twice by now; `monotonicMs` and `ts` are the reading's. */
  sample(
    records: readonly DomainStatsRecord[],
    monotonicMs: number,
    ts: number,
    context: VmSampleContext,
  ): DetailedVmSample[] {
    const { inventory, display } = context;
    const seen = new Set<string>();
    const samples: DetailedVmSample[] = [];
    for (const record of records) {
      const uuid = record.domain.uuid;
      seen.add(uuid);
      let counters: VmCounters;
      try {
        counters = vmCountersFromStats(record, monotonicMs);
      } catch (error) {
        context.warn(`${record.domain.name}: ${(error as Error).message}`);
        continue;
      }
      const entry = inventory.get(uuid);
      if (!entry || entry.gone || entry.stateCode !== counters.state) {
        context.refresh(record.domain);
      }
      inventory.touch(uuid, ts);
      const previous = this.previous.get(uuid);
      this.previous.set(uuid, counters);
      if (!previous) continue;
      const usage = vmUsage(previous, counters, context.hostCpus);
      const shown = display.state(uuid);
      samples.push({
        kind: 'vm',
        ts,
        host: context.hostName,
        uuid,
        name: record.domain.name,
        state: vmStateName(counters.state),
        stateReason: counters.stateReason,
        vcpus: counters.vcpuCurrent ?? entry?.vcpus ?? 0,
        cpu: usage.cpu,
        memory: usage.memory,
        disk: usage.disk,
        net: usage.net,
        lct: shown.lct,
        connectedNow: shown.connectedNow,
        lastSeen: ts,
      });
    }
    for (const uuid of this.previous.keys()) if (!seen.has(uuid)) this.previous.delete(uuid);
    for (const entry of inventory.present()) {
      if (!seen.has(entry.uuid)) {
        context.refresh({ name: entry.name, uuid: entry.uuid, id: entry.id ?? -1 });
      }
    }
    return samples;
  }

  /** The domain went: its counters are no base for a rate any more. */
  forget(uuid: string): void {
    this.previous.delete(uuid);
  }

  /** A new connection to the host: every rate starts from a new reading. */
  clear(): void {
    this.previous.clear();
  }
}
