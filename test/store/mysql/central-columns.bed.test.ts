import { afterAll, beforeAll, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { describeBed } from '../../helpers/bed';
import { centralTables } from '../../../src/store/mysql/central-columns';
import { initMysqlSchema } from '../../../src/store/mysql/mysql-schema';
import { createTestDatabase, sharedMysql } from '../helpers/test-database';

describeBed('the central tables on the real MariaDB', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    const conn = await mysql.createConnection({ ...sharedMysql, database: testDb.name });
    await initMysqlSchema(conn);
    await conn.end();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  /** The value boundary fits values from this table: it must say what the migrations create. */
  it('knows every t1-t4 and audit column with the type, width and nullability the migrations give it', async () => {
    const rows = (await testDb.query(
      `SELECT table_name AS t, column_name AS c, data_type AS type, character_maximum_length AS chars,
              character_set_name AS charset, is_nullable AS nullable
       FROM information_schema.columns
       WHERE table_schema = '$db' AND (table_name LIKE 't%' OR table_name = 'setmov_audit')
       ORDER BY table_name = 'setmov_audit', table_name, ordinal_position`,
    )) as {
      t: string;
      c: string;
      type: string;
      chars: number | null;
      charset: string | null;
      nullable: string;
    }[];
    const fromServer = rows.map((r) => {
      const sql = r.type === 'char' && r.charset === 'ascii' ? 'ascii' : r.type;
      const chars = sql === 'varchar' || sql === 'ascii' ? Number(r.chars) : undefined;
      return [r.t, r.c, sql, chars, r.nullable === 'YES'];
    });
    const known = Object.entries(centralTables).flatMap(([t, columns]) =>
      Object.entries(columns).map(([c, spec]) => [
        t,
        c,
        spec.type.sql,
        'chars' in spec.type ? spec.type.chars : undefined,
        spec.nullable,
      ]),
    );
    expect(known).toEqual(fromServer);
  });
});
