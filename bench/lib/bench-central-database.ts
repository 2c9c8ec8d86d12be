import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { MysqlSync } from '../../src/store/mysql/mysql-sync';
import type { MysqlLogin } from '../../src/store/mysql/mysql-session';

/** This machine's MariaDB, where the central benches make their database. */
export const BENCH_SERVER = { host: '127.0.0.1', port: 3306, user: 'root' };

export interface BenchCentralDatabase {
  /** A database of its own, the central schema made (MysqlSync.init). */
  database: string;
  /** A directory of its own for files. */
  scratch: string;
  /** root on the server, times in UTC. */
  admin: mysql.Connection;
  /** The server's process, to read its CPU time. */
  serverPid: number;
  /** How a console logs in to it. */
  login: MysqlLogin;
  /** Drops the database and the directory. */
  drop(): Promise<void>;
}

/** A fresh central database on this machine's MariaDB, named `setmov_bench_<name>_…`. */
export async function benchCentralDatabase(name: string): Promise<BenchCentralDatabase> {
  const database = `setmov_bench_${name}_${randomBytes(3).toString('hex')}`;
  const scratch = mkdtempSync(join(tmpdir(), `setmov-bench-${name}-`));
  const admin = await mysql.createConnection({ ...BENCH_SERVER, timezone: 'Z' });
  const [pidFile] = (await admin.query('SELECT @@pid_file AS f'))[0] as { f: string }[];
  const serverPid = Number(readFileSync(pidFile?.f ?? '', 'utf8').trim());
  const target = { ...BENCH_SERVER, database };
  const sync = new MysqlSync({ dbPath: join(scratch, 'init.db'), target, password: '' });
  try {
    await sync.init();
  } finally {
    await sync.close();
  }
  return {
    database,
    scratch,
    admin,
    serverPid,
    login: { target, password: '' },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
