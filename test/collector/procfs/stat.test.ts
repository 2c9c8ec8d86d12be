import { describe, expect, it } from 'vitest';
import { ProcParseError } from '../../../src/collector/procfs/proc-parse-error';
import { parseStat } from '../../../src/collector/procfs/stat';
import { catchError } from './catch-error';
import { fixtureText } from './fixtures';

describe('parseStat', () => {
  it('reads the cpu line, every cpuN line, ctxt and procs_* of this host', () => {
    const stat = parseStat(fixtureText('this-host/t0', 'stat'));
    const first = fixtureText('this-host/t0', 'stat').split('\n')[0]!.split(/\s+/).slice(1, 11);
    expect(stat.cpu.userTicks).toBe(BigInt(first[0]!));
    expect(stat.cpu.idleTicks).toBe(BigInt(first[3]!));
    expect(stat.cpu.stealTicks).toBe(BigInt(first[7]!));
    expect(stat.cpus.map((c) => c.index)).toEqual([0, 1]);
    expect(stat.procsRunning).toBeGreaterThanOrEqual(1);
    expect(stat.bootTimeSec).toBeGreaterThan(1_700_000_000);
  });

  it('keeps counters near 2^64 exact and skips an offline CPU', () => {
    const stat = parseStat(fixtureText('edge-case/t0', 'stat'));
    expect(stat.cpus.map((c) => c.index)).toEqual([0, 1, 3]);
    expect(stat.cpus[2]!.times.idleTicks).toBe(18446744073679551000n);
    expect(stat.contextSwitches).toBe(18446744073709451000n);
    expect(stat.procsBlocked).toBe(1);
  });

  it('reads the bed guest, whose cpu0 line is one tick ahead of the aggregate', () => {
    const stat = parseStat(fixtureText('bed-guest', 'stat'));
    expect(stat.cpus).toHaveLength(1);
    expect(stat.cpu.systemTicks).toBe(525n);
    expect(stat.cpus[0]!.times.systemTicks).toBe(526n);
  });

  it('reads the 9-column cpu line of Linux 2.6.32 with guest_nice as 0', () => {
    const stat = parseStat(fixtureText('old-kernel', 'stat'));
    expect(stat.cpu.guestTicks).toBe(0n);
    expect(stat.cpu.guestNiceTicks).toBe(0n);
    expect(stat.cpu.softirqTicks).toBe(456n);
  });

  it('reads the 4-column cpu line of 2.4 kernels', () => {
    const stat = parseStat('cpu 1 2 3 4\ncpu0 1 2 3 4\nctxt 5\nprocs_running 1\nprocs_blocked 0\n');
    expect(stat.cpu).toMatchObject({ userTicks: 1n, idleTicks: 4n, iowaitTicks: 0n });
    expect(stat.bootTimeSec).toBeNull();
  });

  it.each([
    [
      'cpu 1 2 3\nctxt 1\nprocs_running 1\nprocs_blocked 0\n',
      1,
      'cpu has 3 columns, expected at least 4',
    ],
    [
      'cpu 1 2 3 x\nctxt 1\nprocs_running 1\nprocs_blocked 0\n',
      1,
      "cpu idleTicks is not an unsigned integer: 'x'",
    ],
    ['cpu 1 2 3 4\ncpu0 1 2 3 -4\n', 2, "cpu0 idleTicks is not an unsigned integer: '-4'"],
    ['cpu 1 2 3 4\nctxt 18446744073709551616\n', 2, 'ctxt exceeds 2^64-1: 18446744073709551616'],
    ['cpu 1 2 3 4\ncpu 1 2 3 4\n', 2, 'second cpu line'],
    ['cpu 1 2 3 4\ncpu0 1 2 3 4\ncpu0 1 2 3 4\n', 3, 'second cpu0 line'],
    ['cpu 1 2 3 4\ncpuX 1 2 3 4\n', 2, "cpu number is not an unsigned integer: 'X'"],
    ['cpu 1 2 3 4\n\nctxt 1\n', 2, 'empty line'],
    ['cpu 1 2 3 4\nctxt\n', 2, 'ctxt missing'],
  ])('rejects %j at line %i', (text, line, reason) => {
    const error = catchError(() => parseStat(text));
    expect(error).toBeInstanceOf(ProcParseError);
    expect(error).toMatchObject({ file: 'stat', line, reason });
    expect((error as Error).message).toBe(`stat line ${line}: ${reason}`);
  });

  it('names a missing line with no line number', () => {
    expect(() => parseStat('ctxt 1\nprocs_running 1\nprocs_blocked 0\n')).toThrow(
      'stat: no cpu line',
    );
    expect(() => parseStat('cpu 1 2 3 4\nctxt 1\nprocs_running 1\n')).toThrow(
      'stat: no procs_blocked line',
    );
  });
});
