import { describe, expect, it } from 'vitest';
import {
  datetimeText,
  fitKey,
  fitText,
  sqlDouble,
  sqlHundredths,
  sqlInteger,
  sqlString,
  uuidProblem,
} from '../../../src/store/mysql/central-values';

/** The boundary's rules; what MariaDB makes of its output is in sync-bad-rows.bed.test.ts. */
describe('central values', () => {
  it('prints hundredths as plain decimals, never gluing an exponent onto a number', () => {
    expect([2315, 5, -5, -2315, 0, 100, 1e24, 2 ** 64 * 100, NaN].map(sqlHundredths)).toEqual([
      '23.15',
      '0.05',
      '-0.05',
      '-23.15',
      '0.00',
      '1.00',
      '1e+22',
      '18446744073709552000',
      'NULL',
    ]);
    expect(sqlHundredths('12')).toBe('NULL');
    expect(sqlHundredths(null)).toBe('NULL');
  });

  it('keeps doubles finite and integers inside INT / BIGINT, else NULL', () => {
    expect([1.5, 1e300, Infinity, -Infinity, NaN, 'x'].map(sqlDouble)).toEqual([
      '1.5',
      '1e+300',
      'NULL',
      'NULL',
      'NULL',
      'NULL',
    ]);
    expect(sqlInteger(2 ** 31 - 1, 32)).toBe('2147483647');
    expect(sqlInteger(2 ** 31, 32)).toBe('NULL');
    expect(sqlInteger(-(2 ** 31), 32)).toBe('-2147483648');
    expect(sqlInteger(2 ** 63, 64)).toBe('NULL');
    // the largest double below 2^63, in its shortest text: still under BIGINT's 2^63 − 1
    expect(sqlInteger(2 ** 63 - 1024, 64)).toBe('9223372036854775000');
    expect(sqlInteger(1e300, 64)).toBe('NULL');
    expect(sqlInteger(1024.4, 64)).toBe('1024');
  });

  it('fits text to a width in characters, as valid UTF-8', () => {
    expect(fitText('😀'.repeat(3), 2)).toBe('😀😀');
    expect(fitText('ab\uD800c', 10)).toBe('ab\uFFFDc');
    expect(fitText('\uDC00', 10)).toBe('\uFFFD');
    expect(fitText('short', 64)).toBe('short');
  });

  it('keeps two long keys that share their start apart, and the same key the same', () => {
    const a = `${'h'.repeat(80)}-a`;
    const b = `${'h'.repeat(80)}-b`;
    expect(Array.from(fitKey(a, 64))).toHaveLength(64);
    expect(fitKey(a, 64)).not.toBe(fitKey(b, 64));
    expect(fitKey(a, 64)).toBe(fitKey(a, 64));
    expect(fitKey('192.0.2.10', 64)).toBe('192.0.2.10');
  });

  it('quotes strings the same way under every sql_mode', () => {
    expect(sqlString('192.0.2.10')).toBe("'192.0.2.10'");
    expect(sqlString("a'b")).toBe("_utf8mb4 X'612762'");
    expect(sqlString('a\\b')).toBe("_utf8mb4 X'615c62'");
    expect(sqlString('é')).toBe("_utf8mb4 X'c3a9'");
    expect(sqlString('a\0')).toBe("_utf8mb4 X'6100'");
  });

  it('takes only times DATETIME can hold, and only ASCII UUIDs as keys', () => {
    expect(datetimeText(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006');
    expect(datetimeText(Date.UTC(9999, 11, 31, 23, 59, 59, 999))).toBe('9999-12-31 23:59:59.999');
    expect(datetimeText(Date.UTC(10000, 0, 1))).toBeNull();
    expect(datetimeText(Date.UTC(999, 11, 31))).toBeNull();
    expect(datetimeText(Date.UTC(33658, 0, 1))).toBeNull();
    expect(datetimeText(NaN)).toBeNull();
    expect(datetimeText('2026')).toBeNull();
    expect(uuidProblem('00000000-0000-4000-8000-000000000001')).toBeNull();
    expect(uuidProblem('0000000ü-0000-4000-8000-000000000000')).toMatch(/not ASCII/);
    expect(uuidProblem('x'.repeat(37))).toMatch(/longer than 36/);
    expect(uuidProblem(null)).toMatch(/no UUID/);
  });
});
