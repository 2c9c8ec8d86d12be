import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latestMysqlVersion } from '../../src/store/mysql/mysql-migrations';
import { describeBed } from '../helpers/bed';
import { spawnCli, type SpawnedRun } from '../helpers/spawn-cli';
import { createTestDatabase } from '../store/helpers/test-database';
import { tempDir } from '../store/temp-db';

/** `setmov sync` with its own environment (SETMOV_MYSQL_PASSWORD only where given). */
const sync = (args: string[], env: NodeJS.ProcessEnv, typed?: string): Promise<SpawnedRun> =>
  spawnCli(
    ['sync', ...args],
    env,
    typed === undefined ? undefined : { after: 'MySQL password for', text: typed },
  );

describeBed('setmov sync finds a password the way the mysql client does', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  const tmp = tempDir();
  const user = `setmov_pw_${randomBytes(4).toString('hex')}`;
  const password = `pw '${randomBytes(4).toString('hex')}" x`;
  let cleanEnv: NodeJS.ProcessEnv;
  let n = 0;
  /** A fresh config folder (no saved secrets) and history per run. */
  const fresh = (): { env: NodeJS.ProcessEnv; config: string; db: string } => {
    n += 1;
    const config = tmp.file(`config-${n}`);
    mkdirSync(config);
    return { env: { ...cleanEnv, XDG_CONFIG_HOME: config }, config, db: tmp.file(`h-${n}.db`) };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await testDb.query(
      `CREATE USER '${user}'@'%' IDENTIFIED BY '${password.replaceAll("'", "''")}'`,
    );
    await testDb.query(`GRANT ALL ON $db.* TO '${user}'@'%'`);
    cleanEnv = { ...process.env };
    delete cleanEnv.SETMOV_MYSQL_PASSWORD;
  });
  afterAll(async () => {
    await testDb.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await testDb.drop();
    tmp.remove();
  });

  it('connects without a password when none is configured, with no prompt (root, empty password)', async () => {
    const { env, db } = fresh();
    const url = `mysql://root@127.0.0.1:3306/${testDb.name}`;
    const result = await sync(['--mysql', url, '--db', db, '--init', '--once'], env);
    expect(result.err).toBe('');
    expect(result.out).toMatch(
      new RegExp(`^schema upgraded from version 0 to ${latestMysqlVersion}$`, 'm'),
    );
    expect(result.out).toMatch(/^sync idle: sent 0 rows, 0 waiting$/m);
    expect(result.code).toBe(0);
  });

  it('says a password is missing, and how to give one, when the server wants one', async () => {
    const { env, db } = fresh();
    const url = `mysql://${user}@127.0.0.1:3306/${testDb.name}`;
    const result = await sync(['--mysql', url, '--db', db, '--init', '--once'], env);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^setmov: auth-failed: .*access denied.*\(no password was given: set SETMOV_MYSQL_PASSWORD or use --password-prompt\)$/im,
    );
  });

  it('takes SETMOV_MYSQL_PASSWORD', async () => {
    const { env, db } = fresh();
    const url = `mysql://${user}@127.0.0.1:3306/${testDb.name}`;
    const result = await sync(['--mysql', url, '--db', db, '--init', '--once'], {
      ...env,
      SETMOV_MYSQL_PASSWORD: password,
    });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
  });

  it('takes the password saved for the target in the 0600 secrets file', async () => {
    const { env, config, db } = fresh();
    mkdirSync(join(config, 'setmov'), { mode: 0o700 });
    const secrets = { [`mysql:${user}@127.0.0.1:3306/${testDb.name}`]: password };
    writeFileSync(join(config, 'setmov', 'secrets.json'), JSON.stringify({ version: 1, secrets }), {
      mode: 0o600,
    });
    const url = `mysql://${user}@127.0.0.1:3306/${testDb.name}`;
    const result = await sync(['--mysql', url, '--db', db, '--init', '--once'], env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
  });

  it('asks on the terminal with --password-prompt, without echoing what is typed', async () => {
    const { env, db } = fresh();
    const url = `mysql://${user}@127.0.0.1:3306/${testDb.name}`;
    const result = await sync(
      ['--mysql', url, '--db', db, '--init', '--once', '--password-prompt'],
      env,
      password,
    );
    // script puts the terminal's output, prompt included, on its stdout.
    expect(result.out).toContain(`MySQL password for ${user}@127.0.0.1: `);
    expect(result.out).toMatch(/sync idle: sent 0 rows, 0 waiting/);
    expect(result.out).not.toContain(password);
    expect(result.code).toBe(0);
  });

  it('refuses --password-prompt where there is no terminal, rather than waiting', async () => {
    const { env, db } = fresh();
    const url = `mysql://${user}@127.0.0.1:3306/${testDb.name}`;
    const result = await sync(
      ['--mysql', url, '--db', db, '--init', '--once', '--password-prompt'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--password-prompt needs a terminal/);
  });
});
