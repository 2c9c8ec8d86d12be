import { parseArgs } from 'node:util';
import { UsageError } from '../usage-error';
import { DAY_MS, SECOND_MS } from '../../shared/time-ms';

export interface CollectOptions {
  /** user@host[:port], or null for this machine. */
  ssh: string | null;
  identityFile: string | null;
  knownHostsFile: string | null;
  /** Root of the /proc tree read locally. */
  procRoot: string;
  intervalMs: number;
  /** Samples to print; null: until interrupted. */
  count: number | null;
  json: boolean;
  /** SQLite file the samples are also stored in; null: print only. */
  db: string | null;
}

export const collectUsage = `Usage: setmov collect [options]

Reads a host's /proc every interval and prints its CPU, memory, disk and network usage.

Options:
  --ssh USER@HOST[:PORT]  read a remote host over SSH instead of this machine
  --identity FILE         private key for --ssh (its passphrase, if any, in the
                          environment variable SETMOV_SSH_PASSPHRASE); without it the
                          password in SETMOV_SSH_PASSWORD, else the agent at SSH_AUTH_SOCK
  --known-hosts FILE      known_hosts file the host key is checked against
                          (default ~/.ssh/known_hosts)
  --proc-root DIR         read /proc files from DIR instead of /proc (local only)
  --interval SECONDS      time between readings (default 1)
  --count N               print N samples (N+1 readings), then exit; default: until Ctrl-C
  --json                  one JSON object per line instead of a table
  --db FILE               also store every sample in this SQLite history file
                          (the one \`setmov sync\` and \`setmov export\` read)
`;

/** Parses and checks the arguments of `setmov collect`; UsageError on a bad one. */
export function parseCollectOptions(args: string[]): CollectOptions {
  const { values } = parseArgs({
    args,
    options: {
      ssh: { type: 'string' },
      identity: { type: 'string' },
      'known-hosts': { type: 'string' },
      'proc-root': { type: 'string' },
      interval: { type: 'string' },
      count: { type: 'string' },
      json: { type: 'boolean' },
      db: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const ssh = values.ssh ?? null;
  if (ssh !== null && values['proc-root'] !== undefined) {
    throw new UsageError('--proc-root reads this machine; it cannot be combined with --ssh');
  }
  for (const flag of ['identity', 'known-hosts'] as const) {
    if (ssh === null && values[flag] !== undefined) throw new UsageError(`--${flag} needs --ssh`);
  }
  return {
    ssh,
    identityFile: values.identity ?? null,
    knownHostsFile: values['known-hosts'] ?? null,
    procRoot: values['proc-root'] ?? '/proc',
    intervalMs: parseInterval(values.interval),
    count: parseCount(values.count),
    json: values.json ?? false,
    db: values.db ?? null,
  };
}

const MIN_INTERVAL_S = 0.1;
const MAX_INTERVAL_S = DAY_MS / SECOND_MS;

/** --interval in seconds, returned in ms (default one second). */
function parseInterval(text: string | undefined): number {
  if (text === undefined) return SECOND_MS;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= MIN_INTERVAL_S && seconds <= MAX_INTERVAL_S)) {
    throw new UsageError(
      `--interval must be a number of seconds from ${MIN_INTERVAL_S} to ${MAX_INTERVAL_S}, not '${text}'`,
    );
  }
  return Math.round(seconds * SECOND_MS);
}

function parseCount(text: string | undefined): number | null {
  if (text === undefined) return null;
  const count = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1))
    throw new UsageError(`--count must be a whole number of at least 1, not '${text}'`);
  return count;
}
