import { describe, expect, it } from 'vitest';
import { ReadingClock, uptimeMsOf } from '../../../src/collector/ssh/reading-clock';

describe('uptimeMsOf', () => {
  it('reads the first field of /proc/uptime in ms', () => {
    expect(uptimeMsOf('803.99 844.80\n')).toBe(803_990);
    expect(uptimeMsOf('12 3\n')).toBe(12_000);
    expect(uptimeMsOf('1.5 3\n')).toBe(1_500);
    expect(uptimeMsOf('1.123456 3\n')).toBe(1_123);
  });

  it('gives null for text that is not an uptime', () => {
    for (const bad of ['', 'abc 1\n', '-1.00 2\n', '1.00', '1e5 2\n'])
      expect(uptimeMsOf(bad)).toBeNull();
  });
});

describe('ReadingClock', () => {
  it('uses the local interval when it agrees with the remote uptime', () => {
    const clock = new ReadingClock();
    expect(clock.place(1_000, 50_000)).toBe(1_000);
    expect(clock.place(2_003.4, 51_000)).toBeCloseTo(2_003.4, 6);
  });

  it('clamps a local interval stretched or squeezed by latency into Δuptime ± 10 ms', () => {
    const clock = new ReadingClock();
    clock.place(1_000, 50_000);
    // The reply was delayed 300 ms on the way: the interval is at most Δuptime + 10.
    expect(clock.place(2_300, 51_000)).toBe(2_010);
    // The next one came back on time: interval at least Δuptime - 10 from the last placed time.
    expect(clock.place(3_000, 52_000)).toBe(3_000);
    expect(clock.place(3_500, 53_000)).toBe(3_990);
  });

  it('never steps back, and starts a new time line after a reboot or a missing uptime', () => {
    const clock = new ReadingClock();
    clock.place(1_000, 50_000);
    expect(clock.place(2_000, 51_000)).toBe(2_000);
    expect(clock.place(2_500, 10)).toBe(2_500);
    expect(clock.place(3_500, 1_010)).toBe(3_500);
    expect(clock.place(4_000, null)).toBe(4_000);
    expect(clock.place(4_100, 2_000)).toBe(4_100);
    const late = new ReadingClock();
    late.place(1_000, 50_000);
    late.place(2_300, 51_000);
    expect(late.place(2_001, 0)).toBe(2_010);
  });

  it('keeps interval errors within 20 ms whatever the jitter', () => {
    const clock = new ReadingClock();
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let trueMs = 0;
    let last: { placed: number; true: number } | null = null;
    for (let i = 0; i < 1000; i++) {
      trueMs += 1000 + random() * 50;
      const uptime = Math.floor((123_456 + trueMs) / 10) * 10;
      const arrival = trueMs + 5 + random() * 400;
      const placed = clock.place(arrival, uptime);
      if (last) expect(Math.abs(placed - last.placed - (trueMs - last.true))).toBeLessThan(20);
      last = { placed, true: trueMs };
    }
  });
});
