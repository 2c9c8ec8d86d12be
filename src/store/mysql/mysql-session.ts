import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { SECOND_MS } from '../../shared/time-ms';
import { assertMysqlSchema } from './mysql-schema';
import { connectionOptions } from './mysql-target';
import type { MysqlTarget } from './mysql-target';
import { SyncError, classifyMysqlError, probeGreeting } from './sync-error';

/**
 * The session's sql_mode, whatever the server's default: strict, so a value that does not
 * fit is an error and never silently cut, and without NO_BACKSLASH_ESCAPES or ANSI_QUOTES
 * (the string literals do not depend on either, see sqlString, but the server's
 * setting must not change what other SQL means). Every mode named is valid on MySQL 8
 * and MariaDB.
 */
const SESSION_SQL_MODE =
  'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10 * SECOND_MS;
/** How long a server that broke off the handshake is given to greet a plain socket. */
const GREETING_PROBE_MS = 2 * SECOND_MS;

/** Where and how to log in. */
export interface MysqlLogin {
  target: MysqlTarget;
  password: string;
  /** Default DEFAULT_CONNECT_TIMEOUT_MS. */
  connectTimeoutMs?: number;
}

/** The server as errors name it. */
export function serverName(target: MysqlTarget): string {
  return `MySQL ${target.host}:${target.port}`;
}

/**
 * A connection to the target's database as the sync needs it: UTC, the strict sql_mode,
 * and with `checkSchema` the central schema this code writes. A failed login is a
 * SyncError; a failed set-up is thrown as the server gave it (the caller classifies it).
 */
export async function openSyncSession(
  login: MysqlLogin,
  checkSchema: boolean,
): Promise<Connection> {
  let conn: Connection;
  try {
    conn = await connect(login);
  } catch (error) {
    const typed = classifyMysqlError(error, serverName(login.target));
    // A handshake that times out or breaks off: is there a MySQL server at all?
    if (['timeout', 'connection-lost', 'not-mysql'].includes(typed.code)) {
      const { host, port } = login.target;
      const verdict = await probeGreeting(host, port, GREETING_PROBE_MS);
      if (verdict)
        throw new SyncError(
          'not-mysql',
          `${serverName(login.target)} is not a MySQL server: it ${verdict}`,
        );
    }
    throw typed;
  }
  try {
    await conn.query(`SET time_zone = '+00:00', sql_mode = '${SESSION_SQL_MODE}'`);
    await assertNodeReady(conn, serverName(login.target));
    if (checkSchema) await assertMysqlSchema(conn);
  } catch (error) {
    conn.destroy();
    throw error;
  }
  return conn;
}

/**
 * A Galera node that is not synced with its cluster (joining, donating, cut off) refuses
 * work or serves stale rows: it is refused here with its state. A server without Galera
 * has no wsrep_ready and is always ready.
 */
async function assertNodeReady(conn: Connection, where: string): Promise<void> {
  const [on] = await conn.query("SHOW VARIABLES LIKE 'wsrep_on'");
  // MariaDB reports wsrep_ready OFF when Galera is not loaded at all: only a node counts.
  if ((on as { Value: string }[])[0]?.Value !== 'ON') return;
  const [rows] = await conn.query(
    "SHOW STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment')",
  );
  const status = new Map(
    (rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]),
  );
  const ready = status.get('wsrep_ready');
  if (ready === 'ON') return;
  throw new SyncError(
    'node-not-ready',
    `${where}: the cluster node is not synced (wsrep_ready=${ready ?? 'unknown'}, state ${status.get('wsrep_local_state_comment') ?? 'unknown'})`,
  );
}

/** A connection to the server with no database chosen, to create the target's. Throws a SyncError. */
export async function openServerSession(login: MysqlLogin): Promise<Connection> {
  try {
    return await connect(login, { database: undefined });
  } catch (error) {
    throw classifyMysqlError(error, serverName(login.target));
  }
}

async function connect(
  { target, password, connectTimeoutMs }: MysqlLogin,
  overrides: { database?: undefined } = {},
): Promise<Connection> {
  const options = await connectionOptions(
    target,
    password,
    connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const conn = await mysql.createConnection({ ...options, ...overrides });
  // A dead connection surfaces on the next query; this only keeps the error off the process.
  conn.on('error', () => undefined);
  return conn;
}
