import mysql from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2/promise';
import { BoundedFileError, readBoundedFile } from '../../collector/files/read-bounded-file';
import { SyncError } from './sync-error';
import { mysqlDatabaseNameProblem } from './mysql-identifier';

/** One server of a target. */
export interface MysqlAddress {
  host: string;
  port: number;
}

/**
 * Where the central database is. The password is not part of it: it comes from a
 * SecretStore. `host`:`port` is the server to use first; `alsoAt` are more nodes of the
 * same cluster (a MariaDB Galera cluster takes writes on any node), tried in order when
 * the one before is gone.
 */
export interface MysqlTarget {
  host: string;
  port: number;
  alsoAt?: readonly MysqlAddress[];
  user: string;
  database: string;
  /** Use TLS, verifying the server against this CA file (PEM). */
  tlsCaFile?: string | null;
}

/**
 * A stable name of the target, and the URL it is saved as: sync watermarks are kept per
 * target. It parses back to the same target (parseMysqlUrl), whatever the user, host or
 * database name hold: an IPv6 address in brackets, the user and database escaped.
 */
export function targetKey(t: MysqlTarget): string {
  return `mysql://${encodeURIComponent(t.user)}@${addressList(t)}/${encodeURIComponent(t.database)}`;
}

/** Every server of the target, the first one first. */
export function targetAddresses(t: MysqlTarget): MysqlAddress[] {
  return [{ host: t.host, port: t.port }, ...(t.alsoAt ?? [])];
}

/** `host:port[,host:port...]`, an IPv6 address in brackets. */
export function addressList(t: MysqlTarget): string {
  return targetAddresses(t)
    .map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`)
    .join(',');
}

function decoded(part: string, what: string, url: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new SyncError('bad-config', `the ${what} in ${url} has a bad %-escape`);
  }
}

/**
 * Parses `mysql://user@host[:port][,host[:port]...]/database`: several addresses are
 * nodes of one cluster, tried in order. A password in the URL is refused: it would sit
 * in argv and shell history, visible to every user of the machine.
 */
export function parseMysqlUrl(url: string): MysqlTarget {
  // WHATWG URL takes one host only: the address list is cut out and each part parsed alone.
  const list = /^([a-z]+:\/\/[^@/]*@)([^/]*)(\/.*)?$/i.exec(url);
  const parts = list?.[2]?.includes(',') ? list[2].split(',') : null;
  const first = parts && list ? `${list[1]}${parts[0]}${list[3] ?? ''}` : url;
  const target = parseOneAddress(first, url);
  if (!parts) return target;
  const alsoAt = parts.slice(1).map((part) => {
    const { host, port } = parseOneAddress(`mysql://u@${part}/d`, url);
    return { host, port };
  });
  const seen = new Set<string>();
  for (const a of [{ host: target.host, port: target.port }, ...alsoAt]) {
    const key = `${a.host}:${a.port}`;
    if (seen.has(key)) throw new SyncError('bad-config', `${url} names ${key} twice`);
    seen.add(key);
  }
  return { ...target, alsoAt };
}

function parseOneAddress(text: string, url: string): MysqlTarget {
  let u: URL;
  try {
    u = new URL(text);
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
  const database = decoded(u.pathname.replace(/^\//, ''), 'database', url);
  if (!u.username || !u.hostname || !database || database.includes('/') || u.search || u.hash) {
    throw new SyncError('bad-config', `expected mysql://user@host:port/database, got ${url}`);
  }
  // Initialising may create the database by this name: refuse one the server cannot hold.
  const problem = mysqlDatabaseNameProblem(database);
  if (problem) throw new SyncError('bad-config', `the database name in ${url} ${problem}`);
  const port = u.port ? Number(u.port) : 3306;
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    user: decoded(u.username, 'user', url),
    database,
  };
}

/** A CA bundle of every public CA is ~200 KiB: a larger file is not one. */
const MAX_CA_FILE_BYTES = 1024 * 1024;

/**
 * The CA file is read anew for each connection; it is a path a request may name, so
 * it is read without blocking and bounded (a FIFO, /dev/zero or a huge file refused).
 */
export async function connectionOptions(
  t: MysqlTarget,
  password: string,
  connectTimeoutMs: number,
): Promise<ConnectionOptions> {
  let ssl: ConnectionOptions['ssl'];
  if (t.tlsCaFile) {
    let ca: Buffer;
    try {
      ca = await readBoundedFile(t.tlsCaFile, MAX_CA_FILE_BYTES);
    } catch (error) {
      const reason = error instanceof BoundedFileError ? error.reason : (error as Error).message;
      throw new SyncError('tls', `cannot read the CA file ${t.tlsCaFile}: ${reason}`);
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
