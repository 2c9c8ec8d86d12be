import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cancelChartRedraw,
  queueChartRedraw,
} from '../../../src/renderer/detail/chart-update-queue';

describe('chart redraw queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('redraws the queued charts in one task, in order, each once with its latest redraw', () => {
    const [a, b, c] = [{}, {}, {}];
    const done: string[] = [];
    queueChartRedraw(a, () => done.push('a1'));
    queueChartRedraw(b, () => done.push('b'));
    queueChartRedraw(a, () => done.push('a2'));
    queueChartRedraw(c, () => done.push('c'));
    expect(done).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(done).toEqual(['b', 'a2', 'c']);
    vi.runAllTimers();
    expect(done).toHaveLength(3);
  });

  it('leaves the rest to the next task once a task has spent its budget', () => {
    // Each redraw takes 5 ms of the clock the queue reads.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const charts = [{}, {}, {}, {}];
    const done: number[] = [];
    charts.forEach((chart, i) =>
      queueChartRedraw(chart, () => {
        clock += 5;
        done.push(i);
      }),
    );
    vi.advanceTimersToNextTimer();
    expect(done).toEqual([0, 1]);
    vi.advanceTimersToNextTimer();
    expect(done).toEqual([0, 1, 2, 3]);
    vi.restoreAllMocks();
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
