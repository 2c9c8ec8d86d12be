import { describe, expect, it } from 'vitest';
import { newVmDiff } from '../../../src/store/mysql/central-fleet-reader';
import type { RejectedCentralRow } from '../../../src/store/mysql/central-fleet-reader';

const UUID = 'c0c0c0c0-0000-4000-8000-000000000001';

/** A t3_vm row as mysql2 hands it over (DATETIMEs as text). */
function vmRow(cpu: number, others: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: UUID,
    host_key: 'kvm-1',
    name: 'desk-1',
    state: 'running',
    connected_now: 0,
    vcpus: 2,
    lct: null,
    last_seen: '2026-12-08 02:00:00.000',
    updated_at: `2026-12-08 02:00:0${cpu % 10}.000`,
    latest_ts: `2026-12-08 02:00:0${cpu % 10}.000`,
    latest_cpu: cpu,
    latest_memory: 40,
    latest_disk: 1e5,
    latest_network: 1e4,
    ...others,
  };
}

/** One refresh of the diff over `reads` (each a read of the table whole, as a retry makes). */
function refresh(diff: ReturnType<typeof newVmDiff>, ...reads: Record<string, unknown>[][]) {
  diff.begin();
  for (const rows of reads) {
    diff.beginRead();
    for (const row of rows) diff.takeRow(row);
  }
  const rejected: RejectedCentralRow[] = [];
  return { ...diff.finish(true, rejected), rejected };
}

describe("the central reader's diff of t3_vm", () => {
  it('sets new figures on the VM first taken, and takes a VM anew when another column differs', () => {
    const diff = newVmDiff();
    const [first] = refresh(diff, [vmRow(1)]).changed;
    expect(first?.latest?.cpuPercent).toBe(1);
    expect(refresh(diff, [vmRow(1)]).changed).toEqual([]);
    const figures = refresh(diff, [vmRow(2)]).changed;
    expect(figures).toHaveLength(1);
    expect(figures[0]).toBe(first);
    expect(first?.latest?.cpuPercent).toBe(2);
    const renamed = refresh(diff, [vmRow(3, { name: 'desk-one' })]).changed;
    expect(renamed[0]).not.toBe(first);
    expect(renamed[0]?.name).toBe('desk-one');
    expect(first?.name).toBe('desk-1');
  });

  it('keeps what a failed read changed when its retry finds the same rows', () => {
    const diff = newVmDiff();
    refresh(diff, [vmRow(1)]);
    // The first read set the new figures, then its node went away; the retry on another
    // node reads the same row, already holding them: still this refresh's change.
    const { changed, gone } = refresh(diff, [vmRow(2)], [vmRow(2)]);
    expect(changed.map((vm) => vm.latest?.cpuPercent)).toEqual([2]);
    expect(gone).toEqual([]);
  });

  it("finds a VM gone when the last read of the table whole does not hold it, the retry's", () => {
    const diff = newVmDiff();
    refresh(diff, [vmRow(1)]);
    expect(refresh(diff, [vmRow(2)], []).gone).toEqual([UUID]);
  });

  it('leaves out a row that lies, says why, and takes it once it is right again', () => {
    const diff = newVmDiff();
    const first = refresh(diff, [vmRow(1)]);
    expect(first.changed).toHaveLength(1);
    const lying = refresh(diff, [vmRow(2, { latest_cpu: -5 })]);
    expect(lying.gone).toEqual([UUID]);
    expect(lying.rejected).toEqual([
      { table: 't3_vm', key: UUID, reason: expect.stringContaining('latest_cpu') },
    ]);
    const right = refresh(diff, [vmRow(3)]);
    expect(right.changed.map((vm) => vm.latest?.cpuPercent)).toEqual([3]);
    expect(right.rejected).toEqual([]);
  });
});
