import type { SyncErrorCode } from '../../shared/model/sync-status';
import { Socket } from 'node:net';

/**
 * A sync failure: a code to branch on and a sentence saying what happened. What to do
 * about it is left to the caller, who words it for where it is shown (the console's
 * buttons, the CLI's options) from the code.
 */
export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  fatal?: boolean;
}

/** Turns a mysql2 / socket error into a SyncError naming the likely cause. */
export function classifyMysqlError(error: unknown, where: string): SyncError {
  if (error instanceof SyncError) return error;
  const e = (error ?? {}) as DriverError;
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new SyncError('auth-failed', `${where}: access denied: ${message}`);
    case 'ER_BAD_DB_ERROR':
      return new SyncError('unknown-database', `${where}: ${message}: the database does not exist`);
    case 'ECONNREFUSED':
      return new SyncError(
        'connection-refused',
        `${where}: nothing listens there (connection refused)`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SyncError('host-not-found', `${where}: host not found`);
    case 'ETIMEDOUT':
      return new SyncError('timeout', `${where}: no answer in time`);
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return new SyncError('tls', `${where}: the server does not offer TLS`);
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
    case 'ER_SPECIFIC_ACCESS_DENIED_ERROR':
      // Logged in, but the account lacks a right: a read-only user, or no DELETE to prune.
      return new SyncError('not-permitted', `${where}: not permitted: ${message}`);
    case 'ER_UNKNOWN_COM_ERROR':
      // 1047: what a Galera node answers while it is not part of the synced cluster.
      return new SyncError('node-not-ready', `${where}: the node is not ready: ${message}`);
    case 'ER_LOCK_DEADLOCK':
    case 'ER_LOCK_WAIT_TIMEOUT':
      // 1213 also stands for a Galera certification failure: another node's writeset won.
      return new SyncError('write-conflict', `${where}: the write was refused: ${message}`);
    case 'ER_NO_SUCH_TABLE':
      return new SyncError('schema-missing', `${where}: a SETMOV table is missing: ${message}`);
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ER_SERVER_SHUTDOWN':
    case 'ER_CONNECTION_KILLED':
    case 'ER_NORMAL_SHUTDOWN':
    case 'ER_SHUTDOWN_COMPLETE':
      return new SyncError('connection-lost', `${where}: connection lost (${e.code})`);
  }
  if (
    /certificate|self[- ]signed|SSL|TLS/i.test(message) ||
    e.code?.startsWith('ERR_TLS') ||
    e.code?.startsWith('CERT_')
  ) {
    return new SyncError('tls', `${where}: TLS failed: ${message}`);
  }
  if (e.code?.startsWith('PROTOCOL_') || e.code === 'HANDSHAKE_UNKNOWN_ERROR') {
    return new SyncError(
      'not-mysql',
      `${where}: the server does not speak the MySQL protocol (${message})`,
    );
  }
  // mysql2 marks errors that killed the connection as fatal: the server went away mid-way.
  if (e.fatal) return new SyncError('connection-lost', `${where}: connection lost (${message})`);
  return new SyncError('mysql-error', `${where}: ${message}`);
}

/**
 * Failures of the server rather than of the target: another node of the same cluster
 * may well take the writes (sync moves on to it).
 */
const NODE_GONE: ReadonlySet<SyncErrorCode> = new Set([
  'connection-refused',
  'host-not-found',
  'timeout',
  'not-mysql',
  'connection-lost',
  'node-not-ready',
]);

export function isNodeGone(error: SyncError): boolean {
  return NODE_GONE.has(error.code);
}

/**
 * Server errors caused by the values of the rows a statement carries, which the same
 * rows will raise on every retry: the sync splits such a batch to find the rows and
 * parks them. Everything else (lost connections, locks, permissions, a full disk, a
 * missing table) is about the server, not the rows, and is retried whole.
 */
const ROW_ERRNOS = new Set([
  1048, // ER_BAD_NULL_ERROR
  1064, // ER_PARSE_ERROR: a literal that is not one
  1216, // ER_NO_REFERENCED_ROW
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1265, // WARN_DATA_TRUNCATED
  1292, // ER_TRUNCATED_WRONG_VALUE
  1300, // ER_INVALID_CHARACTER_STRING
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: e.g. a string not valid in the column's charset
  1367, // ER_ILLEGAL_VALUE_FOR_TYPE
  1406, // ER_DATA_TOO_LONG
  1411, // ER_WRONG_VALUE_FOR_TYPE
  1452, // ER_NO_REFERENCED_ROW_2
  1690, // ER_DATA_OUT_OF_RANGE
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8)
  4025, // ER_CONSTRAINT_FAILED (MariaDB)
]);

export function isRowDataError(error: unknown): boolean {
  const e = (error ?? {}) as DriverError;
  return !e.fatal && typeof e.errno === 'number' && ROW_ERRNOS.has(e.errno);
}

/** The reason a row was refused, as the server put it, for sync_parked and the status. */
export function rowErrorReason(error: unknown): string {
  const e = (error ?? {}) as DriverError;
  return `${e.code ?? 'error'}: ${e.message ?? String(error)}`;
}

/**
 * After a connect timed out: reads what the server sends first. A MySQL or MariaDB
 * server greets with a packet whose 4th byte is sequence 0 and 5th the protocol version
 * 10 (or an error packet, 0xff); SSH says "SSH-", HTTP answers nothing or "HTTP/".
 * Only called after a failure, so a healthy server never sees a half-open connection
 * (those count towards max_connect_errors and can get the console's host blocked).
 */
export function probeGreeting(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const done = (verdict: string | null): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(verdict);
    };
    socket.setTimeout(timeoutMs, () => done('sends nothing on connect'));
    socket.once('error', () => done(null));
    socket.once('data', (data: Buffer) => {
      if (data.length >= 5 && data[3] === 0 && (data[4] === 10 || data[4] === 0xff))
        return done(null);
      const text = data
        .subarray(0, 40)
        .toString('latin1')
        .replace(/[^\x20-\x7e]+/g, ' ')
        .trim();
      done(`greets with "${text}"`);
    });
    socket.connect(port, host);
  });
}
