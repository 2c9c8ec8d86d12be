import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carryOut } from '../../src/actions/apply-recommendation';
import type { PreparedApply } from '../../src/actions/apply-recommendation';
import { planResize } from '../../src/actions/resize-plan';
import type { LibvirtConnection } from '../../src/collector/libvirt/libvirt-connection';
import type { DomainRef } from '../../src/collector/libvirt/remote-types';
import { readAudit } from '../../src/store/audit-log';
import { Store } from '../../src/store/store';
import { tempDir } from '../store/temp-db';

const MiB = 1024 * 1024;
const uuid = '5e7a0b0d-0000-4000-8000-000000000001';
const domain = { name: 'desk', uuid, id: 3 } as DomainRef;

/** The calls a libvirt that takes every change was given (the error paths are the audit's). */
function libvirtTaking() {
  const calls: string[] = [];
  const lv = {
    domainSetMemoryFlags: (_d: DomainRef, kib: bigint, flags: number) => {
      calls.push(`memory ${kib} ${flags}`);
      return Promise.resolve();
    },
  } as unknown as LibvirtConnection;
  return { lv, calls };
}

const prepared = {
  vm: { uuid, name: 'desk', host: 'kvm-1' },
  recommendation: { id: `${uuid}:less-memory`, kind: 'less-memory', reason: 'r', to: 2048 * MiB },
  domain,
  plan: planResize(
    {
      running: true,
      persistent: true,
      memoryBytes: 4096 * MiB,
      maxMemoryBytes: 4096 * MiB,
      vcpus: 2,
      maxVcpusLive: 2,
      maxVcpusConfig: 2,
    },
    { change: 'memory', to: 2048 * MiB, scope: 'live' },
    { minMemoryBytes: 512 * MiB, minVcpus: 1 },
  ),
  scope: 'live',
} as unknown as PreparedApply;

/** A real SQLite failure on the audit log's inserts that match `when` (as a full disk gives). */
function failAuditInserts(store: Store, when: string): void {
  store.db.exec(
    `CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN ${when}
     BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`,
  );
}

describe('carryOut writes the audit log before it reports', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = tempDir();
    store = Store.open({ path: tmp.file('a.db') });
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it('records that the change started, then its outcome, after it in time', async () => {
    const { lv, calls } = libvirtTaking();
    const clock = 1_000;
    const entry = await carryOut(lv, store, prepared, 'admin@console', () => clock);
    expect(calls).toEqual([`memory ${2048 * 1024} 1`]);
    expect(entry.result).toBe('applied');
    const log = readAudit(store, { everyEntry: true }).reverse();
    expect(log.map((e) => [e.result, e.ts])).toEqual([
      ['started', 1_000],
      ['applied', 1_001],
    ]);
    // A list shows the change once, by its outcome.
    expect(readAudit(store).map((e) => e.result)).toEqual(['applied']);
  });

  it('changes nothing when the audit log cannot be written', async () => {
    failAuditInserts(store, '1');
    const { lv, calls } = libvirtTaking();
    await expect(carryOut(lv, store, prepared, 'admin@console')).rejects.toThrow(
      /nothing was changed: the audit log cannot be written/,
    );
    expect(calls).toEqual([]);
  });

  it('says what was done, and keeps the started entry, when the outcome cannot be written', async () => {
    failAuditInserts(store, "NEW.result != 'started'");
    const { lv, calls } = libvirtTaking();
    await expect(carryOut(lv, store, prepared, 'admin@console')).rejects.toThrow(
      expect.objectContaining({
        code: 'not-audited',
        message: expect.stringMatching(
          /memory applied \(live\), but the outcome could not be written/,
        ),
      }),
    );
    expect(calls).toHaveLength(1);
    expect(readAudit(store).map((e) => e.result)).toEqual(['started']);
  });
});
