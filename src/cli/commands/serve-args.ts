import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TlsFiles } from '../../server/server';
import { defaultDbPath } from '../../store/default-db-path';
import {
  DEFAULT_CENTRAL_REFRESH_MS,
  DEFAULT_CENTRAL_STALE_AFTER_MS,
} from '../../backend/central/central-fleet-source';
import { parseMysqlUrl } from '../../store/mysql/mysql-target';
import type { MysqlTarget } from '../../store/mysql/mysql-target';
import { UsageError } from '../usage-error';

export interface ServeArgs {
  host: string;
  port: number;
  /** Absolute path of the history file. */
  dbPath: string;
  tls?: TlsFiles;
  /** Make new tokens instead of keeping the saved ones (revokes every link and cookie). */
  newTokens: boolean;
  /** A central database to read the fleet from (--central URL), and the reading's pace. */
  central?: { target: MysqlTarget; refreshMs: number; staleAfterMs: number };
  /** A configuration file naming the central database instead (serve-config.ts). */
  configPath?: string;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not '${text}'`);
  }
  return port;
}

/** `[::1]` as a URL writes it is `::1` to listen(). */
function parseHost(text: string): string {
  return /^\[.*\]$/.test(text) ? text.slice(1, -1) : text;
}

/** A file the history can be: a path that is not a folder (SQLite makes a missing file). */
function parseDbPath(text: string): string {
  if (text === '' || text.includes('\0')) throw new UsageError(`--db needs a file path`);
  const path = resolve(text);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--db '${text}' is a folder; give the history's file, e.g. setmov.db`);
  }
  return path;
}

function readPem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`cannot read ${flag} '${path}' (${reason})`);
  }
}

function parseTls(cert: string | undefined, key: string | undefined): TlsFiles | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new UsageError('--tls-cert and --tls-key go together: give both files or neither');
  }
  return { cert: readPem('--tls-cert', cert), key: readPem('--tls-key', key) };
}

/** A whole number of seconds within [min, max], as ms. */
function parseSeconds(
  flag: string,
  text: string | undefined,
  fallbackMs: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallbackMs;
  const sec = Number(text);
  if (!/^\d+$/.test(text) || sec < min || sec > max) {
    throw new UsageError(
      `${flag} must be a whole number of seconds from ${min} to ${max}, not '${text}'`,
    );
  }
  return sec * 1000;
}

function parseCentral(
  url: string | undefined,
  refresh: string | undefined,
  staleAfter: string | undefined,
  tlsCa: string | undefined,
): ServeArgs['central'] {
  if (url === undefined) {
    if (refresh !== undefined || staleAfter !== undefined || tlsCa !== undefined) {
      throw new UsageError(
        '--central-refresh, --stale-after and --central-tls-ca go with --central URL',
      );
    }
    return undefined;
  }
  let target: MysqlTarget;
  try {
    target = parseMysqlUrl(url);
  } catch (error) {
    throw new UsageError(`--central: ${(error as Error).message}`);
  }
  const refreshMs = parseSeconds('--central-refresh', refresh, DEFAULT_CENTRAL_REFRESH_MS, 1, 3600);
  const staleAfterMs = parseSeconds(
    '--stale-after',
    staleAfter,
    DEFAULT_CENTRAL_STALE_AFTER_MS,
    5,
    86_400,
  );
  if (staleAfterMs <= refreshMs) {
    throw new UsageError('--stale-after must be longer than --central-refresh');
  }
  return {
    target: tlsCa === undefined ? target : { ...target, tlsCaFile: resolve(tlsCa) },
    refreshMs,
    staleAfterMs,
  };
}

/** `setmov serve`'s options, made valid here so the server gets only sound values. */
export function parseServeArgs(args: string[]): ServeArgs {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'new-tokens': { type: 'boolean' },
      central: { type: 'string' },
      'central-refresh': { type: 'string' },
      'stale-after': { type: 'string' },
      'central-tls-ca': { type: 'string' },
      config: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const tls = parseTls(values['tls-cert'], values['tls-key']);
  const central = parseCentral(
    values.central,
    values['central-refresh'],
    values['stale-after'],
    values['central-tls-ca'],
  );
  if (values.config !== undefined && central !== undefined) {
    throw new UsageError('--config names the central database too: give it one way, not both');
  }
  return {
    host: parseHost(values.host ?? '127.0.0.1'),
    port: parsePort(values.port ?? '7420'),
    dbPath: parseDbPath(values.db ?? defaultDbPath()),
    ...(tls === undefined ? {} : { tls }),
    newTokens: values['new-tokens'] ?? false,
    ...(central === undefined ? {} : { central }),
    ...(values.config === undefined ? {} : { configPath: resolve(values.config) }),
  };
}
