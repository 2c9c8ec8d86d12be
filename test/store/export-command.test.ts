import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store';
import type { StoreEvent } from '../../src/store/store-events';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from './sample-factory';
import { tempDir } from './temp-db';
import { runCli } from '../helpers/run-cli';

const run = runCli;

describe('setmov export', () => {
  const tmp = tempDir();
  const db = tmp.file('h.db');
  const t0 = Date.UTC(2026, 5, 1, 10, 0, 0);

  beforeAll(() => {
    const store = Store.open({ path: db });
    const rand = makeRandom(8);
    const events: StoreEvent[] = [];
    for (let k = 0; k < 100; k++) {
      events.push({ type: 'host-sample', sample: makeHostSample(t0 + k * 2000, rand) });
      events.push({ type: 'vm-sample', sample: makeVmSample(1, t0 + k * 2000, rand) });
    }
    store.ingest(events);
    store.close();
  });
  afterAll(() => tmp.remove());

  it('writes a VM range as CSV: header, one line per sample, [from, to)', async () => {
    const { code, out, err } = await run([
      'export',
      '--db',
      db,
      '--vm',
      'desktop-1',
      '--from',
      new Date(t0).toISOString(),
      '--to',
      String(t0 + 20_000),
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^time,ts,vm,uuid,host,cpuHostPercent,cpuGuestPercent,memAllocatedBytes,/,
    );
    expect(lines).toHaveLength(11);
    expect(lines[1]).toMatch(
      new RegExp(`^2026-06-01T10:00:00.000Z,1780308000000,desktop-1,${vmUuid(1)},kvm-host-1,`),
    );
    const header = lines[0]?.split(',') ?? [];
    expect(lines[1]?.split(',')).toHaveLength(header.length);
  });

  it('writes a host range as JSON, the VM by uuid too', async () => {
    const host = await run([
      'export',
      '--db',
      db,
      '--host',
      'kvm-host-1',
      '--from',
      String(t0),
      '--to',
      String(t0 + 10_000),
      '--format',
      'json',
    ]);
    expect(host.code).toBe(0);
    const rows = JSON.parse(host.out) as Record<string, unknown>[];
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ ts: t0, host: 'kvm-host-1', memTotalBytes: 8_145_367_040 });
    const vm = await run([
      'export',
      '--db',
      db,
      '--vm',
      vmUuid(1),
      '--from',
      String(t0),
      '--to',
      String(t0 + 4000),
      '--format',
      'json',
    ]);
    const vmRows = JSON.parse(vm.out) as Record<string, unknown>[];
    expect(vmRows.length).toBe(2);
    expect(vmRows[0]).toMatchObject({ vm: 'desktop-1', uuid: vmUuid(1), host: 'kvm-host-1' });
  });

  it('rejects bad arguments with one line and exit 2, unknown names with exit 1', async () => {
    const cases: [string[], number, RegExp][] = [
      [['export', '--db', db, '--from', '0'], 2, /exactly one of --host/],
      [['export', '--db', db, '--vm', 'x', '--host', 'y', '--from', '0'], 2, /exactly one/],
      [
        ['export', '--db', db, '--vm', 'desktop-1', '--from', 'yesterday'],
        2,
        /neither an ISO time/,
      ],
      [
        ['export', '--db', db, '--vm', 'desktop-1', '--from', '0', '--format', 'xml'],
        2,
        /csv or json/,
      ],
      [
        ['export', '--db', db, '--vm', 'desktop-1', '--from', '100', '--to', '50'],
        2,
        /after --from/,
      ],
      [['export', '--db', db, '--vm', 'nobody', '--from', '0'], 1, /no VM 'nobody'/],
      [['export', '--db', tmp.file('missing.db'), '--vm', 'x', '--from', '0'], 1, /cannot open/],
    ];
    for (const [args, code, message] of cases) {
      const r = await run(args);
      expect(r.code).toBe(code);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
