/**
 * Child process for the crash-safety test: ingests VM samples in batches as fast as it
 * can and prints the running total after each committed batch, until it is killed.
 * argv: <db path> <batch size>
 */
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { makeRandom, makeVmSample } from '../sample-factory';

const [path, batchText] = process.argv.slice(2);
const batchSize = Number(batchText);
const store = Store.open({ path: path as string });
const rand = makeRandom(process.pid);
let total = (store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as { n: number }).n;
let ts = Date.now();
for (;;) {
  const events: StoreEvent[] = [];
  for (let i = 0; i < batchSize; i++) {
    events.push({ type: 'vm-sample', sample: makeVmSample(i % 50, ts, rand) });
    if (i % 50 === 49) ts += 2000;
  }
  store.ingest(events);
  total += batchSize;
  process.stdout.write(`${total}\n`);
  if (total % (batchSize * 20) === 0) store.maintain(5);
}
