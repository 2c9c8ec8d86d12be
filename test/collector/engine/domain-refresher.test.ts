import { describe, expect, it } from 'vitest';
import { DomainRefresher } from '../../../src/collector/engine/domain-refresher';
import type { DomainRef } from '../../../src/collector/libvirt/remote-types';

const vm: DomainRef = { name: 'vm', uuid: '5e7a0b0d-0000-4000-8000-00000000b001', id: 1 };
const other: DomainRef = { name: 'other', uuid: '5e7a0b0d-0000-4000-8000-00000000b002', id: 2 };

/** A read that waits until the test lets it finish. */
function gatedReads(): {
  reads: string[];
  finish: () => void;
  read: (d: DomainRef) => Promise<void>;
} {
  const reads: string[] = [];
  const gates: (() => void)[] = [];
  return {
    reads,
    finish: () => gates.shift()?.(),
    read: (d) => {
      reads.push(d.name);
      return new Promise<void>((resolve) => gates.push(resolve));
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DomainRefresher', () => {
  it('runs one read per domain at a time and one more for all requests made during it', async () => {
    const gate = gatedReads();
    const refresher = new DomainRefresher(gate.read, () => undefined);
    const run = refresher.request(vm);
    expect(run).not.toBeNull();
    expect(refresher.request(vm)).toBeNull();
    expect(refresher.request(vm)).toBeNull();
    // Another domain is read beside it.
    const otherRun = refresher.request(other);
    expect(gate.reads).toEqual(['vm', 'other']);
    gate.finish();
    await tick();
    expect(gate.reads).toEqual(['vm', 'other', 'vm']);
    gate.finish();
    gate.finish();
    await Promise.all([run, otherRun]);
    expect(gate.reads).toEqual(['vm', 'other', 'vm']);
    // Done: the next request starts a new run.
    expect(refresher.request(vm)).not.toBeNull();
  });

  it('reports a failed read, and after close neither reads again nor reports', async () => {
    const errors: string[] = [];
    const refresher = new DomainRefresher(
      () => Promise.reject(new Error('gone away')),
      (d, e) => errors.push(`${d.name}: ${(e as Error).message}`),
    );
    await refresher.request(vm);
    expect(errors).toEqual(['vm: gone away']);

    const gate = gatedReads();
    const closing = new DomainRefresher(gate.read, (d) => errors.push(`late ${d.name}`));
    const run = closing.request(vm);
    closing.request(vm);
    closing.close();
    gate.finish();
    await run;
    expect(gate.reads).toEqual(['vm']);
    expect(closing.request(vm)).toBeNull();
    expect(errors).toEqual(['vm: gone away']);
  });
});
