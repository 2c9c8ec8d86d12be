import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../src/collector/engine/backoff';

describe('Backoff', () => {
  it('starts at 1 s and doubles to 60 s without jitter at random() = 0', () => {
    const backoff = new Backoff({ random: () => 0 });
    const delays = Array.from({ length: 9 }, () => backoff.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(backoff.attempts).toBe(9);
  });

  it('shortens each delay by at most the jitter share', () => {
    const backoff = new Backoff({ random: () => 0.999999 });
    expect(backoff.next()).toBe(700);
    expect(backoff.next()).toBe(1400);
  });

  it('spreads hosts that fail together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => new Backoff().next()));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(700);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });

  it('goes back to the first delay after a reset', () => {
    const backoff = new Backoff({ random: () => 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(1000);
  });

  it('never overflows after very many attempts', () => {
    const backoff = new Backoff({ random: () => 0 });
    let last = 0;
    for (let i = 0; i < 2000; i++) last = backoff.next();
    expect(last).toBe(60000);
  });
});
