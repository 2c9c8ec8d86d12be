import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  formatByteRate,
  formatBytes,
  formatClock,
  formatPercent,
  formatPerSecond,
  MISSING,
  textCollator,
  warmFormatters,
} from '../../src/renderer/format';

describe('the console formats', () => {
  it('shows what was not measured as a dash, never as zero', () => {
    for (const value of [null, undefined, Number.NaN, Infinity]) {
      expect(formatPercent('en', value)).toBe(MISSING);
      expect(formatByteRate('en', value)).toBe(MISSING);
      expect(formatBytes('en', value)).toBe(MISSING);
    }
    expect(formatPercent('en', 0)).toBe('0%');
  });

  it('keeps a decimal below 10 % only', () => {
    expect(formatPercent('en', 7.94)).toBe('7.9%');
    expect(formatPercent('en', 77.4)).toBe('77%');
    expect(formatPercent('ko', 77.4)).toBe('77%');
  });

  it('gives byte rates in decimal units and sizes in binary ones', () => {
    expect(formatByteRate('en', 0)).toBe('0 B/s');
    expect(formatByteRate('en', 999)).toBe('999 B/s');
    expect(formatByteRate('en', 12_500)).toBe('13 kB/s');
    expect(formatByteRate('en', 4_200_000)).toBe('4.2 MB/s');
    expect(formatByteRate('en', 1.5e9)).toBe('1.5 GB/s');
    expect(formatByteRate('en', 5e15)).toBe('5,000,000 GB/s');
    expect(formatByteRate('en', -3)).toBe('0 B/s');
    expect(formatBytes('en', 512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatBytes('en', 3.8 * 1024 ** 3)).toBe('3.8 GiB');
    expect(formatBytes('ko', 2048)).toBe('2 KiB');
  });

  it("writes a clock time in the locale's way", () => {
    const ms = Date.UTC(2026, 11, 2, 4, 15, 22);
    expect(formatClock('en', ms)).toMatch(/^\d{2}:\d{2}:\d{2}( [AP]M)?$/);
    expect(formatClock('ko', ms)).toMatch(/^(오전|오후|AM|PM) \d{2}:\d{2}:\d{2}$/);
  });
});

describe('textCollator', () => {
  it('sorts names as people read them: digits by value, case aside', () => {
    const names = ['vm-10', 'VM-3', 'vm-2', 'desk-1'];
    expect([...names].sort(textCollator('en').compare)).toEqual([
      'desk-1',
      'vm-2',
      'VM-3',
      'vm-10',
    ]);
    expect([...names].sort(textCollator('ko').compare)).toEqual([
      'desk-1',
      'vm-2',
      'VM-3',
      'vm-10',
    ]);
  });

  it('is made once per locale', () => {
    expect(textCollator('en')).toBe(textCollator('en'));
    expect(textCollator('en')).not.toBe(textCollator('ko'));
  });
});

describe('warmFormatters', () => {
  const Original = Intl.NumberFormat;
  let made = 0;
  beforeEach(() => {
    made = 0;
    vi.useFakeTimers();
    // Counts the formatters made, and makes them.
    Intl.NumberFormat = new Proxy(Original, {
      construct(target, args: ConstructorParameters<typeof Intl.NumberFormat>) {
        made++;
        return new target(...args);
      },
    });
  });
  afterEach(() => {
    Intl.NumberFormat = Original;
    vi.useRealTimers();
  });

  it('makes the number formats ahead, so a cell never makes one', () => {
    // A locale no other test formats in, so nothing is cached yet.
    warmFormatters('fr-CA');
    vi.advanceTimersByTime(10_000);
    const warmed = made;
    expect(warmed).toBeGreaterThanOrEqual(5);
    formatPercent('fr-CA', 7);
    formatBytes('fr-CA', 3 * 1024 ** 2);
    formatByteRate('fr-CA', 42);
    formatPerSecond('fr-CA', 3, 'IOPS');
    expect(made).toBe(warmed);
  });

  it('stops when asked, before the first one', () => {
    const stop = warmFormatters('de-CH');
    stop();
    vi.advanceTimersByTime(10_000);
    expect(made).toBe(0);
  });
});
