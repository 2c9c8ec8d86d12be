import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store';
import type { StoreEvent } from '../../src/store/store-events';
import { makeHostSample, makeRandom } from './sample-factory';
import { tempDir } from './temp-db';

const t0 = Date.UTC(2026, 11, 7, 1, 0, 0);

/** `count` samples a second apart of a host that calls itself `hostname`, under `hostKey`. */
function samples(hostKey: string | undefined, hostname: string, count: number): StoreEvent[] {
  const rand = makeRandom(7);
  return Array.from({ length: count }, (_, i) => ({
    type: 'host-sample' as const,
    ...(hostKey === undefined ? {} : { hostKey }),
    sample: makeHostSample(t0 + i * 1000, rand, hostname),
  }));
}

const rowsOf = (store: Store, key: string): number =>
  store.query({
    entity: { kind: 'host', key },
    metrics: ['cpuPercent'],
    from: t0,
    to: t0 + 600_000,
    maxPoints: 1000,
  }).points.length;

describe('hosts keyed by identity', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = tempDir();
    store = Store.open({ path: tmp.file('h.db'), now: () => t0 + 600_000 });
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it('keeps two histories for two keys whose hosts both call themselves localhost', () => {
    store.ingest([...samples('id-a', 'localhost', 3), ...samples('id-b', 'localhost', 5)]);
    expect(rowsOf(store, 'id-a')).toBe(3);
    expect(rowsOf(store, 'id-b')).toBe(5);
  });

  it('keys samples without a key by their hostname, as a one-off collection writes them', () => {
    store.ingest(samples(undefined, 'kvm-7', 2));
    expect(rowsOf(store, 'kvm-7')).toBe(2);
  });

  it('keeps a host whose hostname changes as one host, the new hostname a fact', () => {
    store.ingest([...samples('id-a', 'old-name', 2)]);
    store.ingest(
      samples('id-a', 'new-name', 4).slice(2), // two more seconds, under the new name
    );
    expect(rowsOf(store, 'id-a')).toBe(4);
    expect(store.db.prepare('SELECT name FROM hosts WHERE key = ?').get('id-a')).toEqual({
      name: 'new-name',
    });
  });

  it('labels a host with its saved name, found by it as by its key', () => {
    store.ingest(samples('id-a', 'localhost', 2));
    store.labelHost('id-a', '가상 서버 1');
    const exported = store.exportRange(
      { kind: 'host', name: '가상 서버 1' },
      t0,
      t0 + 600_000,
      'json',
      () => undefined,
    );
    expect(exported).toEqual({ rows: 2, name: '가상 서버 1' });
  });

  it('moves a history to a new key only when that key has none', () => {
    store.ingest(samples(undefined, 'kvm-7', 2));
    store.ingest(samples('taken', 'kvm-8', 1));
    expect(store.rekeyHost('kvm-7', 'taken')).toBe(false);
    expect(store.rekeyHost('kvm-7', 'id-7')).toBe(true);
    expect(rowsOf(store, 'id-7')).toBe(2);
    // The ingest after a re-key writes under the new key, into the same row.
    store.ingest(samples('id-7', 'kvm-7', 3).slice(2));
    expect(rowsOf(store, 'id-7')).toBe(3);
    expect(store.db.prepare('SELECT count(*) AS n FROM hosts').get()).toEqual({ n: 2 });
  });
});
