import { spawnSync } from 'node:child_process';

/** A command under measurement that failed or whose timing could not be read. */
export class CommandTimingError extends Error {
  override readonly name = 'CommandTimingError';
}

export interface CommandTiming {
  wallMs: number;
  /** user + system CPU of the command and its children, from their rusage */
  cpuMs: number;
  userMs: number;
  systemMs: number;
  stdout: string;
}

const marker = 'SETMOV-TIME';

// bash's `time` keyword reads the child's rusage (microseconds), finer than the
// 10 ms ticks of /proc/self/stat's cutime/cstime, and times nothing but the command.
const script = `TIMEFORMAT='${marker} %3R %3U %3S'; time "$@"`;

/** Parses the timing line bash printed; returns null when there is none. */
export function parseTimingLine(
  stderr: string,
): { wallMs: number; userMs: number; systemMs: number } | null {
  const line = stderr
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(`${marker} `));
  if (!line) return null;
  const parts = line.split(' ').slice(1).map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  const [real, user, sys] = parts as [number, number, number];
  return { wallMs: real * 1000, userMs: user * 1000, systemMs: sys * 1000 };
}

/** Runs a command once and measures its wall and CPU time; throws if it fails. */
export function timeCommand(command: string, args: readonly string[]): CommandTiming {
  const result = spawnSync('bash', ['-c', script, 'bash', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (result.error) throw new CommandTimingError(`${command}: ${result.error.message}`);
  const timing = parseTimingLine(result.stderr);
  const stderr = result.stderr
    .split('\n')
    .filter((l) => !l.startsWith(`${marker} `))
    .join('\n')
    .trim();
  if (result.status !== 0) {
    throw new CommandTimingError(
      `${command} ${args.join(' ')} exited ${result.status ?? result.signal}: ${stderr.split('\n')[0] ?? ''}`,
    );
  }
  if (!timing) throw new CommandTimingError(`no timing line from bash for ${command}`);
  return { ...timing, cpuMs: timing.userMs + timing.systemMs, stdout: result.stdout };
}
