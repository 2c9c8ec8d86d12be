import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { UsageError } from '../usage-error';
import { cliPassword, passwordEnv } from '../store/read-password';
import { defaultDbPath } from '../../store/default-db-path';
import { FileSecretStore } from '../../store/file-secret-store';
import { MysqlSync } from '../../store/mysql/mysql-sync';
import type { SyncStatus } from '../../shared/model/sync-status';
import { parseMysqlUrl, type MysqlTarget } from '../../store/mysql/mysql-target';
import { SyncError } from '../../store/mysql/sync-error';
import { SYNC_INTERVAL_MS } from '../../store/mysql/sync-rounds';
import { SECOND_MS } from '../../shared/time-ms';
import { SecretFileError } from '../../store/file-secret-store';
import { mysqlSecretKey } from '../../store/secret-store';
import { syncErrorLine } from './sync-advice';

const usage = `Usage: setmov sync --mysql mysql://USER@HOST[:PORT]/DATABASE [--db FILE]
                   [--init] [--once | --follow] [--tls-ca FILE] [--password-prompt]
                   [--json]

Sends the SQLite history to MySQL/MariaDB tables t1_host, t2_host_usage, t3_vm,
t4_vm_usage, resuming where the last run stopped.
  --mysql URL       the central database; no password in it
  --db FILE         SQLite history (default: ${defaultDbPath()})
  --init            create or upgrade the tables first, and the database if it is
                    missing (alone: only that)
  --once            send what is waiting, then exit (default)
  --follow          keep sending until interrupted; failures are retried
  --interval SEC    pause between rounds with --follow (default ${SYNC_INTERVAL_MS / SECOND_MS})
  --batch-rows N    rows per table per transaction (default 5000)
  --tls-ca FILE     use TLS, trusting this CA (PEM)
  --password-prompt ask for the password on the terminal
  --json            print status as JSON lines
The password, as the mysql client finds one: SETMOV_MYSQL_PASSWORD if set, else the
prompt with --password-prompt, else one saved for this target in
${new FileSecretStore().path} (0600, not encrypted); with none, it connects without.`;

function positiveInt(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a positive number`);
  return n;
}

function describe(s: SyncStatus, passwordGiven: boolean): string {
  const error = s.lastError ? ` error ${syncErrorLine(s.lastError, { passwordGiven })}` : '';
  return `sync ${s.state}: sent ${s.sentRows} rows, ${s.lagSamples} waiting${parked(s)}${error}`;
}

/** Rows the target refused are not sent: say so on every line, with the latest reason. */
function parked(s: SyncStatus): string {
  const last = s.lastParked;
  if (s.parkedRows === 0 || !last) return '';
  // A parked time may be one no Date can hold (that can be why it was parked).
  const when =
    last.ts === null
      ? ''
      : ` at ${Math.abs(last.ts) <= 8.64e15 ? new Date(last.ts).toISOString() : `${last.ts} ms`}`;
  return `, ${s.parkedRows} parked (not sent; last: ${last.table} ${JSON.stringify(last.entity)}${when}: ${last.reason})`;
}

export const syncCommand: Command = {
  summary: 'send stored samples to MySQL/MariaDB (t1-t4)',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        db: { type: 'string' },
        mysql: { type: 'string' },
        init: { type: 'boolean', default: false },
        once: { type: 'boolean', default: false },
        follow: { type: 'boolean', default: false },
        interval: { type: 'string' },
        'batch-rows': { type: 'string' },
        'tls-ca': { type: 'string' },
        'password-prompt': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (!values.mysql) throw new UsageError('--mysql mysql://user@host:port/database is required');
    if (values.once && values.follow) throw new UsageError('give --once or --follow, not both');
    let target: MysqlTarget;
    try {
      target = { ...parseMysqlUrl(values.mysql), tlsCaFile: values['tls-ca'] ?? null };
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const intervalMs =
      positiveInt(values.interval, '--interval', SYNC_INTERVAL_MS / SECOND_MS) * SECOND_MS;
    const batchRows = Math.floor(positiveInt(values['batch-rows'], '--batch-rows', 5000));
    const secrets = new FileSecretStore();
    const secretKey = mysqlSecretKey(target);
    let password: string | undefined;
    try {
      password = await cliPassword({
        envName: passwordEnv,
        env: process.env,
        prompt: values['password-prompt'],
        promptText: `MySQL password for ${target.user}@${target.host}: `,
        stored: () => secrets.get(secretKey),
      });
    } catch (error) {
      if (error instanceof SecretFileError) throw new Error(`${error.code}: ${error.message}`);
      throw error;
    }
    const sync = new MysqlSync({
      dbPath: values.db ?? defaultDbPath(),
      target,
      // mysql2 sends no password for ''; the server decides whether that is enough.
      password: password ?? '',
      intervalMs,
      batchRows,
    });
    const passwordGiven = password !== undefined;
    const report = (s: SyncStatus): void => {
      io.stdout.write(values.json ? `${JSON.stringify(s)}\n` : `${describe(s, passwordGiven)}\n`);
    };
    try {
      if (values.init) {
        const [from, to] = await sync.init();
        io.stdout.write(
          from === to
            ? `schema is at version ${to}\n`
            : `schema upgraded from version ${from} to ${to}\n`,
        );
        if (!values.once && !values.follow) return 0;
      }
      if (values.follow) {
        let last = '';
        await sync.follow(io.signal, (s) => {
          const line = describe(s, passwordGiven);
          if (line !== last) report(s);
          last = line;
        });
        return 0;
      }
      await sync.syncOnce();
      report(sync.status());
      return 0;
    } catch (error) {
      if (error instanceof SyncError) throw new Error(syncErrorLine(error, { passwordGiven }));
      throw error;
    } finally {
      await sync.close();
    }
  },
};
