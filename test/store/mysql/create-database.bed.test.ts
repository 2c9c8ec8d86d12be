import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeBed } from '../../helpers/bed';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import { latestMysqlVersion } from '../../../src/store/mysql/mysql-migrations';
import type { SyncError } from '../../../src/store/mysql/sync-error';
import { sharedMysql } from '../helpers/test-database';
import { tempDir } from '../temp-db';

describeBed('initialising creates a missing database (real local MariaDB)', () => {
  const suffix = randomBytes(5).toString('hex');
  // A hyphen and a backtick: the name is only a database name quoted, the backtick doubled.
  const created = `setmov-test-${suffix}\`x`;
  const forbidden = `setmov-test-${suffix}-denied`;
  const user = `setmov_nc_${suffix}`;
  const quoted = (name: string): string => `\`${name.replaceAll('`', '``')}\``;
  let admin: Connection;
  const tmp = tempDir();
  const syncs: MysqlSync[] = [];
  const newSync = (database: string, as = { user: 'root', password: '' }): MysqlSync => {
    const sync = new MysqlSync({
      dbPath: tmp.file(`h-${syncs.length}.db`),
      target: { host: sharedMysql.host, port: sharedMysql.port, user: as.user, database },
      password: as.password,
      connectTimeoutMs: 3000,
    });
    syncs.push(sync);
    return sync;
  };
  const exists = async (name: string): Promise<boolean> => {
    const [rows] = await admin.query(
      'SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?',
      [name],
    );
    return (rows as unknown[]).length === 1;
  };

  beforeAll(async () => {
    admin = await mysql.createConnection({ ...sharedMysql });
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
    // Rights on the database, but not the right to create it.
    await admin.query(`GRANT SELECT, INSERT ON ${quoted(forbidden)}.* TO '${user}'@'%'`);
  });
  afterEach(async () => {
    for (const sync of syncs.splice(0)) await sync.close();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted(created)}`);
    await admin.query(`DROP DATABASE IF EXISTS ${quoted(forbidden)}`);
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.end();
    tmp.remove();
  });

  it('says a missing database does not exist, with no CLI instruction in the status', async () => {
    const sync = newSync(created);
    await expect(sync.syncOnce()).rejects.toMatchObject({ code: 'unknown-database' });
    const error = sync.status().lastError;
    expect(error?.code).toBe('unknown-database');
    expect(error?.message).toMatch(/the database does not exist/);
    expect(error?.message).not.toMatch(/setmov sync|--init/);
  });

  it('creates it in utf8mb4 with a name that needs quoting, then the schema', async () => {
    expect(await exists(created)).toBe(false);
    const sync = newSync(created);
    expect(await sync.init()).toEqual([0, latestMysqlVersion]);
    const [rows] = await admin.query(
      'SELECT default_character_set_name AS charset FROM information_schema.schemata WHERE schema_name = ?',
      [created],
    );
    expect(rows).toEqual([{ charset: 'utf8mb4' }]);
    const [tables] = await admin.query(
      'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = ?',
      [created],
    );
    expect(Number((tables as { n: number }[])[0]?.n)).toBe(6);
    expect(await sync.syncOnce()).toBe(0);
    expect(sync.status().lastError).toBeNull();
    // Already there: initialising again changes nothing.
    expect(await newSync(created).init()).toEqual([latestMysqlVersion, latestMysqlVersion]);
  });

  it('tells a user who may not create it the two statements to have run', async () => {
    const sync = newSync(forbidden, { user, password: 'pw' });
    const failure = await sync.init().then(
      () => null,
      (error: unknown) => error as SyncError,
    );
    expect(failure?.code).toBe('create-database-denied');
    const message = failure?.message;
    expect(message).toContain(
      `CREATE DATABASE IF NOT EXISTS ${quoted(forbidden)} DEFAULT CHARACTER SET utf8mb4;`,
    );
    expect(message).toContain(
      `GRANT ALL PRIVILEGES ON ${quoted(forbidden)}.* TO \`${user}\`@\`%\`;`,
    );
    expect(message).not.toMatch(/setmov sync|--init/);
    expect(sync.status().lastError?.code).toBe('create-database-denied');
    expect(await exists(forbidden)).toBe(false);
  });
});
