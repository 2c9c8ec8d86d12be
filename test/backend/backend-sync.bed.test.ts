import mysql from 'mysql2/promise';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SyncTestResult } from '../../src/shared/contract/requests';
import type { HostView } from '../../src/shared/model/host-view';
import type { SyncView } from '../../src/shared/model/sync-status';
import { latestMysqlVersion } from '../../src/store/mysql/mysql-migrations';
import { describeBed } from '../helpers/bed';
import { createTestDatabase } from '../store/helpers/test-database';
import { ok, startBackend, until, type BackendRun } from './backend-harness';

/** A MariaDB user of this test's own, with a password, on its own database. */
const user = `setmov_sync_${process.pid}`;
const password = `pw-${process.pid}-Zq9!`;

describeBed('the backend syncing to the bed MariaDB through the contract', (bed) => {
  let run: BackendRun;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let url = '';
  beforeAll(async () => {
    database = await createTestDatabase(bed.mysql);
    await database.query(
      `CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`,
    );
    await database.query(`GRANT ALL ON $db.* TO '${user}'@'127.0.0.1'`);
    url = `mysql://${user}@127.0.0.1:${bed.mysql.port}/${database.name}`;
    run = await startBackend(undefined, { syncIntervalMs: 500 });
  });
  afterAll(async () => {
    await run?.close();
    await database?.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
    await database?.drop();
  });

  it('tests a target step by step before it is saved: wrong password, then no schema', async () => {
    const wrong = ok<SyncTestResult>(
      await run.request('sync.test', { url, password: 'not-the-password' }),
    );
    expect(wrong.steps.map((s) => [s.step, s.result])).toEqual([
      ['config', 'ok'],
      ['connect', 'failed'],
      ['schema', 'skipped'],
    ]);
    expect(wrong.steps[1]?.error).toMatch(/^auth-failed:/);

    const right = ok<SyncTestResult>(await run.request('sync.test', { url, password }));
    expect(right.steps.map((s) => s.result)).toEqual(['ok', 'ok', 'failed']);
    expect(right.schemaVersion).toBe(0);
    expect(right.steps[2]?.error).toMatch(/initialise/);

    const bad = ok<SyncTestResult>(await run.request('sync.test', { url: 'http://x/y' }));
    expect(bad.steps[0]).toMatchObject({ step: 'config', result: 'failed' });
  });

  it('saves the target, keeps the password secret, initialises and syncs', async () => {
    const view = ok<SyncView>(await run.request('sync.set', { url, password }));
    expect(view.target).toEqual({ url, tlsCaFile: null, hasPassword: true, enabled: true });
    // Saved without the password; the password is in the secret store only.
    const saved = readFileSync(join(run.dir, 'config', 'sync.json'), 'utf8');
    expect(saved).not.toContain(password);
    expect([...run.secrets.values.values()]).toContain(password);

    expect(ok(await run.request('sync.init'))).toEqual({
      fromVersion: 0,
      toVersion: latestMysqlVersion,
    });
    const tested = ok<SyncTestResult>(await run.request('sync.test'));
    expect(tested.steps.every((s) => s.result === 'ok')).toBe(true);

    // This machine's host (added on first start) has samples; they reach t2 in MySQL.
    const local = ok<HostView[]>(await run.request('hosts.list'))[0];
    expect(local?.ssh).toBeNull();
    const conn = await mysql.createConnection({ ...bed.mysql, database: database.name });
    try {
      const rows = await until('host usage rows in MySQL', async () => {
        const [result] = await conn.query('SELECT count(*) AS n FROM t2_host_usage');
        const n = Number((result as { n: number }[])[0]?.n ?? 0);
        return n > 0 ? n : undefined;
      });
      expect(rows).toBeGreaterThan(0);
    } finally {
      await conn.end();
    }
    const now = ok<SyncView>(await run.request('sync.now'));
    expect(now.status).toMatchObject({ state: 'idle', lastError: null });
    expect(now.status?.lastSuccessAt).toEqual(expect.any(Number));
    // The status was pushed on the `sync` topic as it changed.
    expect(run.events.some((e) => e.name === 'sync.status')).toBe(true);
  });

  it('says why a round fails, then forgets the target and its password', async () => {
    // The user loses its grant, and its open connection: the next round must log in again.
    await database.query(`REVOKE ALL ON $db.* FROM '${user}'@'127.0.0.1'`);
    const sessions = (await database.query(
      `SELECT ID AS id FROM information_schema.processlist WHERE USER = '${user}'`,
    )) as { id: number }[];
    for (const { id } of sessions) await database.query(`KILL ${id}`);
    // A round with nothing to send does not touch MySQL: wait for the next poll's samples.
    // The first round to try finds its session killed (connection-lost) and drops it; the
    // next one logs in again and is refused.
    const failed = await until('a round refused for its login', async () => {
      const reply = await run.request('sync.now');
      return 'error' in reply && /^auth-failed:/.test(reply.error.message) ? reply : undefined;
    });
    expect(failed).toMatchObject({ error: { code: 'failed', message: /^auth-failed:/ } });
    const view = ok<SyncView>(await run.request('sync.get'));
    expect(view.status?.state).toBe('error');
    expect(view.status?.lastError?.code).toBe('auth-failed');

    const removed = ok<SyncView>(await run.request('sync.remove'));
    expect(removed).toEqual({ target: null, status: null });
    expect([...run.secrets.values.values()]).not.toContain(password);
    expect(await run.request('sync.now')).toMatchObject({
      error: { code: 'failed', message: 'no MySQL target is set' },
    });
  });

  it('never puts the password in a reply, an event or a log line', () => {
    const said = JSON.stringify([run.replies, run.events, run.logLines]);
    expect(said).not.toContain(password);
  });
});
