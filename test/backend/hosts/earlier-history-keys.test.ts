import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedHost } from '../../../src/collector/hosts-config/saved-host';
import { rekeyEarlierHistory } from '../../../src/backend/hosts/earlier-history-keys';
import { Store } from '../../../src/store/store';
import { makeHostSample, makeRandom } from '../../store/sample-factory';
import { tempDir } from '../../store/temp-db';

const t0 = Date.UTC(2026, 11, 7, 1, 0, 0);

const saved = (id: string, name: string): SavedHost => ({
  id,
  name,
  ssh: null,
  libvirtUri: 'qemu:///system',
  pollIntervalSec: 2,
  memoryStatsPeriodSec: 2,
});

describe('the history an earlier version kept under hostnames', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = tempDir();
    store = Store.open({ path: tmp.file('h.db'), now: () => t0 + 600_000 });
    const rand = makeRandom(3);
    // As that version wrote it: every sample under the host's own hostname.
    store.ingest(
      ['kvm-7', 'web1'].flatMap((hostname) =>
        [0, 1, 2].map((i) => ({
          type: 'host-sample' as const,
          sample: makeHostSample(t0 + i * 1000, rand, hostname),
        })),
      ),
    );
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  const points = (key: string) =>
    store.query({
      entity: { kind: 'host', key },
      metrics: ['cpuPercent'],
      from: t0,
      to: t0 + 600_000,
      maxPoints: 1000,
    }).points.length;

  it('moves to each saved host by id, once, as history-names.json said, and the file goes', async () => {
    const names = tmp.file('history-names.json');
    writeFileSync(names, JSON.stringify({ 'my kvm': 'kvm-7' }));
    const lines: string[] = [];
    // 'web1' is not in the file: that version looked its history up by its saved name.
    const hosts = [saved('id-kvm', 'my kvm'), saved('id-web', 'web1'), saved('id-new', 'new')];
    await rekeyEarlierHistory(names, hosts, store, (line) => lines.push(line));
    expect(points('id-kvm')).toBe(3);
    expect(points('id-web')).toBe(3);
    expect(() => points('id-new')).toThrow(/no host 'id-new'/);
    expect(existsSync(names)).toBe(false);
    expect(lines).toHaveLength(2);
    // Without the file nothing moves again.
    store.ingest([
      { type: 'host-sample', sample: makeHostSample(t0 + 9000, makeRandom(1), 'new') },
    ]);
    await rekeyEarlierHistory(names, hosts, store, () => undefined);
    expect(points('new')).toBe(1);
  });
});
