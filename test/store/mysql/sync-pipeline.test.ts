import { describe, expect, it } from 'vitest';
import { sendBatches } from '../../../src/store/mysql/sync-pipeline';
import type { PipelineSteps, QueuedBatch } from '../../../src/store/mysql/sync-pipeline';
import type { OutboxBatch } from '../../../src/store/mysql/outbox';

/** A batch of `rows` t4 tuples after `after`; full when it holds `limit`. */
function batchOf(rows: number, limit: number, after: number): OutboxBatch {
  const t4 = Array.from({ length: rows }, (_, i) => `(${after + i + 1})`);
  return {
    t2: [],
    t4,
    t2Samples: [],
    t4Samples: t4.map((_, i) => ({ sampleId: after + i + 1, entity: 'vm', ts: null })),
    rejected: [],
    hostIds: new Map(),
    vmIds: new Map(),
    lastHostSampleId: 0,
    lastVmSampleId: after + rows,
    hostBucketsUntil: 0,
    vmBucketsUntil: 0,
    full: rows === limit,
  };
}

/**
 * The pipeline's steps over a history that `pending` rows wait in and that grows by
 * `inflow` rows at every read: what a collector writing all the time looks like to the
 * sync. Batches land at once and whole.
 */
function stepsOver(pending: number, inflow: number, limit: number) {
  let waiting = pending;
  let watermark = 0;
  const reads: number[] = [];
  const steps: PipelineSteps = {
    read(after) {
      const from = after?.lastVmSampleId ?? watermark;
      const rows = Math.min(limit, waiting - (from - watermark));
      waiting += inflow;
      reads.push(rows);
      return batchOf(rows, limit, from);
    },
    queue(batch) {
      if (batch.t4.length === 0) return null;
      return { batch, hosts: [], vms: [], parked: [], done: Promise.resolve(null) } as QueuedBatch;
    },
    async land(queued) {
      // A turn of the event loop, as a real COMMIT takes: a round that never ends then
      // fails on the test's timeout instead of starving it.
      await new Promise((resolve) => setImmediate(resolve));
      const rows = queued.batch.t4.length;
      watermark = queued.batch.lastVmSampleId;
      waiting -= rows;
      return { rows, clean: true };
    },
  };
  return { steps, reads, watermark: () => watermark };
}

describe('sendBatches', () => {
  it('ends a round after its short batch lands, while samples keep coming in', async () => {
    // 12 rows wait and 3 more arrive at every read: there is always something to send,
    // and a round that read again after each short batch would never end.
    const { steps, reads, watermark } = stepsOver(12, 3, 5);
    expect(await sendBatches(steps)).toBe(24);
    expect(reads).toEqual([5, 5, 5, 5, 4]);
    expect(watermark()).toBe(24);
    // The next round starts from the watermark and takes what came in meanwhile.
    expect(await sendBatches(steps)).toBeGreaterThan(0);
  });

  it('sends nothing and reads once when nothing waits', async () => {
    const { steps, reads } = stepsOver(0, 0, 5);
    expect(await sendBatches(steps)).toBe(0);
    expect(reads).toEqual([0]);
  });

  it('keeps two batches in flight: batch n+1 is queued before batch n lands', async () => {
    const order: string[] = [];
    const { steps } = stepsOver(10, 0, 5);
    const traced: PipelineSteps = {
      read: (after) => steps.read(after),
      queue: (batch) => {
        if (batch.t4.length > 0) order.push(`queue ${batch.lastVmSampleId}`);
        return steps.queue(batch);
      },
      land: async (queued) => {
        order.push(`land ${queued.batch.lastVmSampleId}`);
        return steps.land(queued);
      },
    };
    expect(await sendBatches(traced)).toBe(10);
    expect(order).toEqual(['queue 5', 'queue 10', 'land 5', 'land 10']);
  });
});
