import { describe, expect, it } from 'vitest';
import { formatAudit, readAudit, recordAudit } from '../../src/store/audit-log';
import { Store } from '../../src/store/store';
import { tempDir } from './temp-db';

const entry = {
  ts: Date.UTC(2026, 11, 3, 8, 0, 0),
  actor: 'admin@console',
  host: 'kvm-a',
  vmUuid: '5e7a0b0d-0000-4000-8000-000000000001',
  vmName: 'desk-1',
  change: 'memory' as const,
  recommendation: '5e7a0b0d-0000-4000-8000-000000000001:less-memory',
  before: 8 * 1024 ** 3,
  after: 4 * 1024 ** 3,
  scope: 'live+config' as const,
  result: 'applied' as const,
  detail: null,
};

describe('audit log', () => {
  it('keeps every entry across a reopen, newest first, per VM on request', () => {
    const tmp = tempDir();
    try {
      const path = tmp.file('a.db');
      let store = Store.open({ path });
      const first = recordAudit(store, entry);
      recordAudit(store, {
        ...entry,
        vmUuid: '5e7a0b0d-0000-4000-8000-000000000002',
        ts: entry.ts + 1,
      });
      store.close();
      store = Store.open({ path });
      const all = readAudit(store);
      expect(all.map((e) => e.vmUuid.slice(-1))).toEqual(['2', '1']);
      expect(readAudit(store, { uuid: entry.vmUuid })).toEqual([{ ...entry, id: first.id }]);
      store.close();
    } finally {
      tmp.remove();
    }
  });

  it('exports CSV a spreadsheet cannot be tricked by, and JSON that reads back', () => {
    const hostile = {
      ...entry,
      id: 3,
      vmName: '=HYPERLINK("http://x","desk, "one"")',
      detail: 'live: refused\nline two',
    };
    const csv = formatAudit([hostile], 'csv').trimEnd().split('\n');
    expect(csv[0]).toBe(
      'id,time,actor,host,vmUuid,vmName,change,recommendation,before,after,scope,result,detail',
    );
    expect(csv[1]).toContain(`"'=HYPERLINK(""http://x"",""desk, ""one"""")"`);
    expect(csv[1]).toContain('2026-12-03T08:00:00.000Z');
    expect(csv.slice(1).join('\n')).toMatch(/"live: refused\nline two"$/);
    const json = JSON.parse(formatAudit([hostile], 'json')) as Record<string, unknown>[];
    expect(json[0]).toMatchObject({
      vmName: hostile.vmName,
      after: 4 * 1024 ** 3,
      time: '2026-12-03T08:00:00.000Z',
    });
  });
});
