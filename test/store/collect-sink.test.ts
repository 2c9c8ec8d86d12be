import { describe, expect, it, vi } from 'vitest';
import { openCollectSink } from '../../src/store/collect-sink';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from './sample-factory';
import { tempDir } from './temp-db';

describe('openCollectSink (what setmov collect --db uses)', () => {
  it('queues collect --json samples, writes them per flush, and survives reopening', () => {
    const tmp = tempDir();
    try {
      const rand = makeRandom(4);
      const sink = openCollectSink({ dbPath: tmp.file('c.db'), maxQueued: 3 });
      const ts = Date.now();
      sink.write(makeHostSample(ts, rand));
      sink.write(makeVmSample(1, ts, rand));
      const count = (): number =>
        (
          sink.store.db
            .prepare(
              'SELECT (SELECT count(*) FROM vm_samples) + (SELECT count(*) FROM host_samples) AS n',
            )
            .get() as { n: number }
        ).n;
      expect(count()).toBe(0);
      sink.write(makeVmSample(2, ts, rand));
      expect(count()).toBe(3);
      sink.write({ type: 'vm-event', uuid: vmUuid(1), ts, kind: 'display-connect', detail: null });
      sink.flush();
      expect(sink.store.db.prepare('SELECT lct FROM vms WHERE uuid = ?').get(vmUuid(1))).toEqual({
        lct: ts,
      });
      sink.write(makeVmSample(1, ts + 2000, rand));
      sink.close();
      const again = openCollectSink({ dbPath: tmp.file('c.db') });
      expect(
        (again.store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as { n: number }).n,
      ).toBe(3);
      again.close();
    } finally {
      tmp.remove();
    }
  });

  it('maintains at most once per maintainEveryMs however often it flushes', () => {
    const tmp = tempDir();
    try {
      const rand = makeRandom(5);
      const sink = openCollectSink({ dbPath: tmp.file('m.db'), maintainEveryMs: 60_000 });
      const maintain = vi.spyOn(sink.store, 'maintain');
      for (let i = 0; i < 50; i++) {
        sink.write(makeVmSample(1, Date.now() + i * 1000, rand));
        sink.flush();
      }
      expect(maintain).toHaveBeenCalledTimes(1);
      // Every flush still commits its samples: only maintenance waits.
      expect(
        (sink.store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as { n: number }).n,
      ).toBe(50);
      sink.close();
      const often = openCollectSink({ dbPath: tmp.file('m.db'), maintainEveryMs: 0 });
      const each = vi.spyOn(often.store, 'maintain');
      often.flush();
      often.flush();
      expect(each).toHaveBeenCalledTimes(2);
      often.close();
    } finally {
      tmp.remove();
    }
  });
});
