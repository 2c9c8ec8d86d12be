import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  childrenCpuMs,
  clockTicksPerSecond,
  ownCpuMs,
  parseProcStatCpu,
  processCpuMs,
  ProcStatError,
} from '../../../bench/lib/cpu-time';

// A real /proc/<pid>/stat line, with a comm that holds a space and a parenthesis.
const statLine =
  '4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 25 30 5 20 0 1 0 100 1000 100';

describe('parseProcStatCpu', () => {
  it('reads utime+stime and cutime+cstime after the last parenthesis', () => {
    expect(parseProcStatCpu(statLine, 100)).toEqual({ selfMs: 1750, childrenMs: 350 });
    expect(parseProcStatCpu(statLine, 1000)).toEqual({ selfMs: 175, childrenMs: 35 });
  });

  it('throws a typed error for a truncated or garbled line', () => {
    expect(() => parseProcStatCpu('4242 (x) S 1 2', 100)).toThrow(ProcStatError);
    expect(() => parseProcStatCpu('no comm here', 100)).toThrow(ProcStatError);
  });
});

describe('CPU time of real processes', () => {
  it('knows USER_HZ', () => {
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
  });

  it("counts a busy child's CPU in this process's children time once it is waited for", () => {
    const before = childrenCpuMs();
    const busy = spawnSync('bash', ['-c', 'i=0; while ((i < 100000)); do ((i++)); done']);
    expect(busy.status).toBe(0);
    expect(childrenCpuMs() - before).toBeGreaterThan(0);
  });

  it("reads this process's own CPU time from /proc and from process.cpuUsage", () => {
    expect(processCpuMs(process.pid)).toBeGreaterThan(0);
    expect(ownCpuMs()).toBeGreaterThan(0);
  });

  it('throws a typed error for a process that does not exist', () => {
    expect(() => processCpuMs(2 ** 30)).toThrow(ProcStatError);
  });
});
