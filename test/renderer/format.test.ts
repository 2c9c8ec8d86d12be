import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  formatByteRate,
  formatBytes,
  formatClock,
  formatDay,
  formatPercent,
  formatPerSecond,
  formatTime,
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
    expect(formatClock('en', ms)).toMatch(/^\d{1,2}:\d{2}:\d{2}( [AP]M)?$/);
    expect(formatClock('ko', ms)).toMatch(/^(오전|오후|AM|PM) \d{1,2}:\d{2}:\d{2}$/);
  });

  it('writes every time of a page in one style: the hour as the locale has it, never 08', () => {
    const evening = new Date(2026, 11, 6, 20, 50, 3).getTime();
    expect(formatTime('en', evening)).toBe('8:50 PM');
    expect(formatClock('en', evening)).toBe('8:50:03 PM');
    // Korean puts the half of the day first: "오후 8:50", never "8:50 오후".
    expect(formatTime('ko', evening)).toMatch(/^(오후|PM) 8:50$/);
    expect(formatClock('ko', evening)).toMatch(/^(오후|PM) 8:50:03$/);
    expect(formatDay('en', evening)).toBe('Dec 6');
    expect(formatDay('ko', evening)).toBe('12월 6일');
  });

  it('labels axis ticks a step apart with the digits that keep them apart', () => {
    const iops = [2000, 1500, 1000, 500, 0].map((v) => formatPerSecond('en', v, 'IOPS', 500));
    expect(iops).toEqual(['2K IOPS', '1.5K IOPS', '1K IOPS', '500 IOPS', '0 IOPS']);
    expect(formatPerSecond('ko', 1500, 'IOPS', 500)).toBe('1.5천 IOPS');
    expect(formatPerSecond('en', 12_500, 'pkt/s', 2500)).toBe('12.5K pkt/s');
    const rates = [1_500_000, 1_000_000, 500_000].map((v) => formatByteRate('en', v, 500_000));
    expect(rates).toEqual(['1.5 MB/s', '1 MB/s', '500 kB/s']);
    const mib = 1024 ** 2;
    const sizes = [128, 96, 64, 32].map((v) => formatBytes('en', v * mib, 32 * mib));
    expect(sizes).toEqual(['128 MiB', '96 MiB', '64 MiB', '32 MiB']);
    const quarters = [1024, 1280, 1536].map((v) => formatBytes('en', v * mib, 256 * mib));
    expect(quarters).toEqual(['1 GiB', '1.25 GiB', '1.5 GiB']);
    // Without a step (a tooltip, a caption), as before.
    expect(formatPerSecond('en', 1500, 'IOPS')).toBe('2K IOPS');
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
