import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { describeBed } from '../helpers/bed';
import { runCli } from '../helpers/run-cli';

const scratch = mkdtempSync(join(tmpdir(), 'setmov-collect-db-bed-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeBed('setmov collect --db through the engine', (bed) => {
  it('stores the host and every bed VM: samples, inventory and identity', async () => {
    const db = join(scratch, 'history.db');
    const args = ['collect', '--uri', bed.libvirt.uri, '--count', '3', '--json', '--db', db];
    const { code, out, err } = await runCli(args);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; uuid?: string });
    const printedVmSamples = lines.filter((l) => l.kind === 'vm').length;

    const history = new Database(db, { readonly: true });
    try {
      const count = (sql: string): number => (history.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM host_samples')).toBe(3);
      expect(count('SELECT count(*) AS n FROM vm_samples')).toBe(printedVmSamples);
      const uuids = new Set(
        history
          .prepare('SELECT uuid FROM vms')
          .all()
          .map((r) => (r as { uuid: string }).uuid),
      );
      for (const domain of bed.domains) expect(uuids).toContain(domain.uuid);
      const host = history.prepare('SELECT count(*) AS n FROM hosts').get() as { n: number };
      expect(host.n).toBe(1);
    } finally {
      history.close();
    }
  });
});
