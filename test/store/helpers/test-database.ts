import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** The machine's shared MariaDB (the test bed's, README § Tests): root, empty password. */
export const sharedMysql = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A fresh database for one test file, dropped by `drop()`. */
export async function createTestDatabase(
  server: { host: string; port: number; user: string; password: string } = sharedMysql,
): Promise<{
  name: string;
  query: (sql: string) => Promise<unknown[]>;
  drop: () => Promise<void>;
}> {
  const name = `setmov_test_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection({ ...server });
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    name,
    query: async (sql) => {
      const [rows] = await admin.query({ sql: sql.replaceAll('$db', name) });
      return rows as unknown[];
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}
