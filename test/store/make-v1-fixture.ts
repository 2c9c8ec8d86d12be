/**
 * Writes test/fixtures/store/v1.db: a schema-version-1 history with a little of
 * everything, checked in so every later schema version is tested upgrading it.
 * Run once with `npx tsx test/store/make-v1-fixture.ts`; never regenerate it with a
 * newer schema (that would defeat its purpose).
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/store';
import type { StoreEvent } from '../../src/store/store-events';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from './sample-factory';

export const v1FixtureStart = Date.UTC(2026, 10, 1, 0, 0, 0);

const path = fileURLToPath(new URL('../fixtures/store/v1.db', import.meta.url));
rmSync(path, { force: true });
const store = Store.open({ path, now: () => v1FixtureStart + 3600_000 });
const rand = makeRandom(42);
store.upsertHost({ name: 'kvm-host-1', ip: '192.0.2.10', cores: 8, memoryBytes: 8_145_367_040 });
const events: StoreEvent[] = [];
for (let k = 0; k < 900; k++) {
  const ts = v1FixtureStart + k * 2000;
  events.push({ type: 'host-sample', sample: makeHostSample(ts, rand) });
  events.push({ type: 'vm-sample', sample: makeVmSample(1, ts, rand) });
  events.push({ type: 'vm-sample', sample: makeVmSample(2, ts, rand) });
}
events.push({
  type: 'vm-event',
  uuid: vmUuid(1),
  ts: v1FixtureStart + 60_000,
  kind: 'display-connect',
  detail: null,
});
store.ingest(events);
while (!store.maintain(100).idle);
store.db.pragma('journal_mode = DELETE');
store.db.exec('VACUUM');
store.close();
