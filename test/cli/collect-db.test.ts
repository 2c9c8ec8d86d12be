import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';
import { fixturesRoot } from '../collector/procfs/fixtures';

const scratch = mkdtempSync(join(tmpdir(), 'setmov-collect-db-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('setmov collect --db', () => {
  it('stores every printed host sample, with the host identity, in the history file', async () => {
    const db = join(scratch, 'history.db');
    const procRoot = join(fixturesRoot, 'this-host', 't0');
    const args = ['collect', '--proc-root', procRoot, '--interval', '0.1', '--count', '3'];
    const { code, out } = await runCli([...args, '--json', '--db', db]);
    expect(code).toBe(0);
    const printed = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { ts: number });
    expect(printed).toHaveLength(3);

    const history = new Database(db, { readonly: true });
    try {
      const stamps = history
        .prepare('SELECT ts FROM host_samples ORDER BY ts')
        .all()
        .map((row) => (row as { ts: number }).ts);
      expect(stamps).toEqual(printed.map((sample) => sample.ts));
      const hosts = history.prepare('SELECT count(*) AS n FROM hosts').get() as { n: number };
      expect(hosts.n).toBe(1);
    } finally {
      history.close();
    }

    const exported = await runCli(['export', '--db', db, '--host', hostOf(out), '--from', '0']);
    expect(exported.code).toBe(0);
    expect(exported.out.trim().split('\n')).toHaveLength(1 + 3);
  });
});

function hostOf(jsonLines: string): string {
  return (JSON.parse(jsonLines.split('\n')[0] ?? '{}') as { host: string }).host;
}
