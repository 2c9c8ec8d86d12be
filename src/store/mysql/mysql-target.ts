import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2/promise';
import { SyncError } from './sync-error';

/** Where the central database is. The password is not part of it: it comes from a SecretStore. */
export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Use TLS, verifying the server against this CA file (PEM). */
  tlsCaFile?: string | null;
}

/** A stable name of the target: sync watermarks are kept per target. */
export function targetKey(t: MysqlTarget): string {
  return `mysql://${t.user}@${t.host}:${t.port}/${t.database}`;
}

/**
 * Parses `mysql://user@host[:port]/database`. A password in the URL is refused: it would
 * sit in argv and shell history, visible to every user of the machine.
 */
export function parseMysqlUrl(url: string): MysqlTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SyncError(
      'bad-config',
      `not a URL: ${url} (expected mysql://user@host:port/database)`,
    );
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new SyncError('bad-config', `expected a mysql:// URL, got ${u.protocol}//`);
  }
  if (u.password) {
    throw new SyncError(
      'bad-config',
      'do not put the password in the URL: set SETMOV_MYSQL_PASSWORD or type it at the prompt',
    );
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.username || !u.hostname || !database || database.includes('/')) {
    throw new SyncError('bad-config', `expected mysql://user@host:port/database, got ${url}`);
  }
  const port = u.port ? Number(u.port) : 3306;
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    user: decodeURIComponent(u.username),
    database,
  };
}

export function connectionOptions(
  t: MysqlTarget,
  password: string,
  connectTimeoutMs: number,
): ConnectionOptions {
  let ssl: ConnectionOptions['ssl'];
  if (t.tlsCaFile) {
    let ca: Buffer;
    try {
      ca = readFileSync(t.tlsCaFile);
    } catch (error) {
      throw new SyncError(
        'tls',
        `cannot read the CA file ${t.tlsCaFile}: ${(error as Error).message}`,
      );
    }
    ssl = { ca, rejectUnauthorized: true };
  }
  return {
    host: t.host,
    port: t.port,
    user: t.user,
    password,
    database: t.database,
    ssl,
    connectTimeout: connectTimeoutMs,
    timezone: 'Z',
    dateStrings: true,
    multipleStatements: false,
    charset: 'utf8mb4',
    // A query without parameters goes out as is: mysql2's formatter would otherwise scan
    // each ~1 MB batch INSERT for placeholders and quotes, a tenth of the sync's CPU.
    queryFormat: (sql: string, values: unknown) =>
      Array.isArray(values) && values.length === 0
        ? sql
        : mysql.format(sql, values as Parameters<typeof mysql.format>[1], false, 'Z'),
  };
}
