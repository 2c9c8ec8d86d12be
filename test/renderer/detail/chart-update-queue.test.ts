import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cancelChartRedraw,
  queueChartRedraw,
} from '../../../src/renderer/detail/chart-update-queue';

describe('chart redraw queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('redraws one chart a task, in order, each once with its latest redraw', () => {
    const [a, b, c] = [{}, {}, {}];
    const done: string[] = [];
    queueChartRedraw(a, () => done.push('a1'));
    queueChartRedraw(b, () => done.push('b'));
    queueChartRedraw(a, () => done.push('a2'));
    queueChartRedraw(c, () => done.push('c'));
    expect(done).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(done).toEqual(['b']);
    vi.advanceTimersToNextTimer();
    expect(done).toEqual(['b', 'a2']);
    vi.advanceTimersToNextTimer();
    expect(done).toEqual(['b', 'a2', 'c']);
    vi.runAllTimers();
    expect(done).toHaveLength(3);
  });

  it('drops the redraw of a chart that is destroyed before its turn', () => {
    const [a, b] = [{}, {}];
    const done: string[] = [];
    queueChartRedraw(a, () => done.push('a'));
    queueChartRedraw(b, () => done.push('b'));
    cancelChartRedraw(a);
    vi.runAllTimers();
    expect(done).toEqual(['b']);
  });
});
