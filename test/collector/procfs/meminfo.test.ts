import { describe, expect, it } from 'vitest';
import { parseMeminfo } from '../../../src/collector/procfs/meminfo';
import { ProcParseError } from '../../../src/collector/procfs/proc-parse-error';
import { catchError } from './catch-error';
import { fixtureText } from './fixtures';

describe('parseMeminfo', () => {
  it('turns kB into bytes and keeps unitless fields as counts', () => {
    const meminfo = parseMeminfo(fixtureText('edge-case/t0', 'meminfo'));
    expect(meminfo.memTotalBytes).toBe(65811424 * 1024);
    expect(meminfo.memAvailableBytes).toBe(48221344 * 1024);
    expect(meminfo.buffersBytes).toBe(871232 * 1024);
    expect(meminfo.cachedBytes).toBe(44137416 * 1024);
    expect(meminfo.bytes.get('Active(anon)')).toBe(10876584 * 1024);
    expect(meminfo.bytes.get('VmallocTotal')).toBe(34359738367 * 1024);
    expect(meminfo.counts.get('HugePages_Total')).toBe(16);
    expect(meminfo.bytes.has('HugePages_Total')).toBe(false);
  });

  it('leaves MemAvailable absent on a kernel that does not print it', () => {
    const meminfo = parseMeminfo(fixtureText('old-kernel', 'meminfo'));
    expect(meminfo.memAvailableBytes).toBeUndefined();
    expect('memAvailableBytes' in meminfo).toBe(false);
    expect(meminfo.bytes.has('MemAvailable')).toBe(false);
  });

  it.each([
    ['MemTotal: 10 kB\nMemFree 5 kB\n', 2, "no 'Name:' in 'MemFree 5 kB'"],
    ['MemTotal: 10 kB\nMemFree: 5 MB\n', 2, "MemFree: expected '<number> kB' or '<number>'"],
    ['MemTotal: 10 kB\nMemFree: -5 kB\n', 2, "MemFree is not an unsigned integer: '-5'"],
    ['MemTotal: 10 kB\nMemTotal: 10 kB\n', 2, 'second MemTotal line'],
    ['MemTotal: 9007199254740991 kB\n', 1, 'MemTotal is too large'],
    ['MemTotal: 99999999999999999999 kB\n', 1, 'MemTotal is too large: 99999999999999999999'],
    ['Mem Total: 1 kB\n', 1, "bad field name 'Mem Total'"],
    ['MemTotal:\n', 1, 'MemTotal missing'],
  ])('rejects %j at line %i', (text, line, reason) => {
    const error = catchError(() => parseMeminfo(text));
    expect(error).toBeInstanceOf(ProcParseError);
    expect(error).toMatchObject({ file: 'meminfo', line, reason });
  });

  it('requires MemTotal and MemFree', () => {
    expect(() => parseMeminfo('MemFree: 1 kB\n')).toThrow('meminfo: no MemTotal line');
    expect(() => parseMeminfo('MemTotal: 1 kB\n')).toThrow('meminfo: no MemFree line');
  });
});
