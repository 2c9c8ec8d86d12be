import { describe, expect, it } from 'vitest';
import { percentile } from '../../../src/analysis/percentiles';
import { readVmHistories } from '../../../src/store/usage-history/vm-histories';
import { Store } from '../../../src/store/store';
import { makeHostSample, makeVmSample, vmUuid } from '../sample-factory';
import { tempDir } from '../temp-db';

const MIN = 60_000;

describe('readVmHistories (a real SQLite history)', () => {
  it("keeps the whole history of a VM that moved hosts, under its new host, with the old host's steal not mixed in", () => {
    const tmp = tempDir();
    const now = Date.UTC(2026, 11, 3, 12, 0, 0);
    const store = Store.open({ path: tmp.file('h.db'), now: () => now });
    try {
      let seed = 7;
      const rand = () => ((seed = (seed * 16807) % 2147483647) % 1000) / 1000;
      const events = [];
      for (let m = 120; m > 0; m--) {
        const ts = now - m * MIN;
        const host = m > 60 ? 'kvm-a' : 'kvm-b';
        const sample = makeVmSample(1, ts, rand, host);
        sample.memory.swapInBytesPerSec = m === 30 ? 4096 : 0;
        sample.memory.majorFaultsPerSec = 2;
        events.push({ type: 'vm-sample' as const, sample });
        const a = makeHostSample(ts, rand, 'kvm-a');
        a.cpu.steal = 40;
        const b = makeHostSample(ts, rand, 'kvm-b');
        b.cpu.steal = 2;
        events.push(
          { type: 'host-sample' as const, sample: a },
          { type: 'host-sample' as const, sample: b },
        );
      }
      store.ingest(events);
      while (!store.maintain(500).idle);

      const [vm, ...others] = readVmHistories(store, now - 3 * 3_600_000, now, (minutes) =>
        minutes.length === 0 ? null : percentile(minutes, 0.95),
      );
      expect(others).toEqual([]);
      expect(vm?.uuid).toBe(vmUuid(1));
      expect(vm?.host).toBe('kvm-b');
      expect(vm?.points).toHaveLength(120);
      expect(vm?.hostStealPercentP95).toBe(2);
      expect(vm?.points.filter((p) => p.swapInBytesPerSec === 4096)).toHaveLength(1);
      expect(vm?.points.every((p) => p.majorFaultsPerSec === 2)).toBe(true);
      expect(vm?.points.every((p) => p.memGuestTotalBytes === 222_969_856)).toBe(true);
      expect(vm?.memAllocatedBytes).toBe(268_435_456);
    } finally {
      store.close();
      tmp.remove();
    }
  });
});
