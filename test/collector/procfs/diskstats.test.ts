import { describe, expect, it } from 'vitest';
import { parseDiskstats } from '../../../src/collector/procfs/diskstats';
import { ProcParseError } from '../../../src/collector/procfs/proc-parse-error';
import { catchError } from './catch-error';
import { fixtureText } from './fixtures';

describe('parseDiskstats', () => {
  it('reads the 20-field lines of Linux 5.5+ with discards and flushes', () => {
    const disks = parseDiskstats(fixtureText('edge-case/t0', 'diskstats'));
    const sda = disks.find((d) => d.name === 'sda')!;
    expect(sda).toMatchObject({
      major: 8,
      minor: 0,
      readsCompleted: 1000n,
      readsMerged: 100n,
      sectorsRead: 8000n,
      readTimeMs: 2000n,
      writesCompleted: 2000n,
      sectorsWritten: 32000n,
      ioInProgress: 1,
      ioTimeMs: 5000n,
      weightedIoTimeMs: 10000n,
      discards: { completed: 7n, merged: 0n, sectors: 56n, timeMs: 3n },
      flushes: { completed: 40n, timeMs: 9n },
    });
    expect(disks.find((d) => d.name === 'sdb')!.sectorsRead).toBe(18446744073709451000n);
  });

  it('reads the 14-field lines of an old kernel without discards or flushes', () => {
    const disks = parseDiskstats(fixtureText('old-kernel', 'diskstats'));
    const sda = disks.find((d) => d.name === 'sda')!;
    expect(sda.sectorsWritten).toBe(1574442n);
    expect(sda.ioTimeMs).toBe(287862n);
    expect(sda.discards).toBeNull();
    expect(sda.flushes).toBeNull();
  });

  it('reads the 17 stats of this host (18 fields) with flushes null', () => {
    const disks = parseDiskstats(' 254 0 vda 1 2 3 4 5 6 7 8 0 10 11 12 13 14 15\n');
    expect(disks[0]!.discards).toEqual({ completed: 12n, merged: 13n, sectors: 14n, timeMs: 15n });
    expect(disks[0]!.flushes).toBeNull();
  });

  it.each([
    [' 8 0 sda 1 2 3\n', 1, '6 fields, expected 14, 18 or 20'],
    [
      ' 8 0 sda 1 2 3 4 5 6 7 8 0 10 11\n 8 1 sda 1 2 3 4 5 6 7 8 0 10 11\n',
      2,
      "second line for 'sda'",
    ],
    [
      ' 8 0 sda 1 2 3 4 5 6 7 8 0 10 1.5\n',
      1,
      "sda weighted I/O time is not an unsigned integer: '1.5'",
    ],
    [' x 0 sda 1 2 3 4 5 6 7 8 0 10 11\n', 1, "major is not an unsigned integer: 'x'"],
  ])('rejects %j at line %i', (text, line, reason) => {
    const error = catchError(() => parseDiskstats(text));
    expect(error).toBeInstanceOf(ProcParseError);
    expect(error).toMatchObject({ file: 'diskstats', line, reason });
  });
});
