import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** /proc/<pid>/stat that cannot be read or does not have the expected fields. */
export class ProcStatError extends Error {
  override readonly name = 'ProcStatError';
}

let clockTicks: number | undefined;

/** Kernel clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat times. */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    let ticks = 100;
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      // getconf missing: 100 is USER_HZ on every Linux architecture Node runs on.
    }
    clockTicks = Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  }
  return clockTicks;
}

export interface ProcCpuTimes {
  /** utime + stime of the process itself */
  selfMs: number;
  /** cutime + cstime: children it has waited for */
  childrenMs: number;
}

/** Parses the text of /proc/<pid>/stat into CPU times in ms. */
export function parseProcStatCpu(text: string, ticksPerSecond: number): ProcCpuTimes {
  // comm (field 2) may hold spaces and parentheses: fields restart after the last ')'.
  const end = text.lastIndexOf(')');
  if (end < 0) throw new ProcStatError('stat line has no (comm)');
  const fields = text
    .slice(end + 1)
    .trim()
    .split(/\s+/);
  // After comm: state(3) ppid ... utime(14) stime(15) cutime(16) cstime(17)
  const tick = (field: number): number => {
    const raw = fields[field - 3];
    if (raw === undefined || !/^-?\d+$/.test(raw)) {
      throw new ProcStatError(`stat field ${field} is missing or not a number`);
    }
    return Number(raw);
  };
  const msPerTick = 1000 / ticksPerSecond;
  return {
    selfMs: (tick(14) + tick(15)) * msPerTick,
    childrenMs: (tick(16) + tick(17)) * msPerTick,
  };
}

/** CPU time (user + system, ms) used so far by another process, from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  return readProcCpu(pid).selfMs;
}

/** CPU time (ms) of this process's children that have exited and been waited for. */
export function childrenCpuMs(): number {
  return readProcCpu('self').childrenMs;
}

/** CPU time (user + system, ms) of this Node process, microsecond resolution. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function readProcCpu(pid: number | 'self'): ProcCpuTimes {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    throw new ProcStatError(`cannot read /proc/${pid}/stat: ${(error as Error).message}`);
  }
  return parseProcStatCpu(text, clockTicksPerSecond());
}
