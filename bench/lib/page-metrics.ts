// What a console page in Chromium costs, as the console benches measure it. Main-thread
// busy is Chromium's own TaskDuration (CDP Performance.getMetrics) over a window; long
// tasks come from a PerformanceObserver('longtask') in the page. Both are wall time: on
// two shared cores a task also holds the time its thread waited for a core, so the main
// thread's CPU time (ThreadTime) is reported beside them.
import type { Page } from 'playwright-core';
import type { BenchResult } from './types';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PageWindow {
  busyPercent: number;
  /** The main thread's own CPU time over the window: busy less the time it waited. */
  cpuPercent: number;
  longestTaskMs: number;
  longTasks: number;
}

/** Main-thread busy and long tasks of a page over the next `ms`. */
export async function mainThreadOver(page: Page, ms: number): Promise<PageWindow> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // TaskDuration is the wall time of the main thread's tasks; ThreadTime its CPU time.
  const seconds = async (): Promise<{ task: number; thread: number }> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { task: value('TaskDuration'), thread: value('ThreadTime') };
  };
  await page.evaluate(`(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  })()`);
  const before = await seconds();
  const started = performance.now();
  await sleep(ms);
  const after = await seconds();
  const elapsed = (performance.now() - started) / 1000;
  const tasks = (await page.evaluate('window.__longTasks')) as number[];
  await cdp.detach();
  return {
    busyPercent: ((after.task - before.task) / elapsed) * 100,
    cpuPercent: ((after.thread - before.thread) / elapsed) * 100,
    longestTaskMs: Math.max(0, ...tasks),
    longTasks: tasks.length,
  };
}

// A locator, not waitForFunction: the page's CSP refuses the eval that one needs. The
// tables draw only the rows in view; their aria-rowcount (header included) tells them all.
export const rowsAtLeast = (page: Page, n: number, timeoutMs = 60_000) =>
  page
    .locator(`table[aria-rowcount="${n + 1}"] tbody tr[data-index]`)
    .first()
    .waitFor({ timeout: timeoutMs });

/** The page's marks of a table's first rows (src/renderer/perf-marks.ts names them). */
export type RowsMark = 'setmov:overview-rows' | 'setmov:desktops-rows';

/**
 * The page's own marks (src/renderer/perf-marks.ts): from the inventory's arrival to the
 * first paint of a table's rows, and from navigation to that paint, ms.
 */
export async function firstRender(
  page: Page,
  rowsMark: RowsMark,
): Promise<{ renderMs: number; navigationMs: number }> {
  const markOf = (name: string) =>
    page.evaluate((mark) => performance.getEntriesByName(mark)[0]?.startTime ?? NaN, name);
  // The rows mark lands a frame after the rows do.
  await sleep(500);
  const inventory = await markOf('setmov:inventory');
  const rows = await markOf(rowsMark);
  return { renderMs: rows - inventory, navigationMs: rows };
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);

/**
 * A page's main-thread busy and longest task while updates come (ours) against the
 * same page with nothing pushed (the baseline), against the console's page targets.
 */
export function pageResults(
  benchmark: string,
  run: { ours: PageWindow; baseline: PageWindow },
  windows: { oursMs: number; baselineMs: number },
): BenchResult[] {
  const note = `${windows.oursMs / 1000} s updating, ${windows.baselineMs / 1000} s silent; main-thread CPU ${fixed(run.ours.cpuPercent)} % updating, ${fixed(run.baseline.cpuPercent)} % silent; long tasks: ${run.ours.longTasks} updating (longest ${fixed(run.ours.longestTaskMs, 0)} ms), ${run.baseline.longTasks} silent`;
  const baselineName = 'the same page, nothing pushed';
  return [
    {
      benchmark,
      metric: 'main-thread busy',
      unit: '%',
      ours: run.ours.busyPercent,
      baseline: run.baseline.busyPercent,
      baselineName,
      better: 'lower',
      target: 10,
      note,
    },
    {
      benchmark,
      metric: 'longest task',
      unit: 'ms',
      ours: run.ours.longestTaskMs,
      baseline: run.baseline.longestTaskMs,
      baselineName,
      better: 'lower',
      target: 50,
    },
  ];
}

/** The first render's two figures, against the same page loaded with nothing pushed. */
export function firstRenderResults(
  benchmark: string,
  rows: string,
  ours: { renderMs: number; navigationMs: number },
  baseline: { renderMs: number; navigationMs: number },
): BenchResult[] {
  const baselineName = 'the same page, loaded with nothing pushed';
  return [
    {
      benchmark,
      metric: `first render (inventory received to ${rows} painted)`,
      unit: 'ms',
      ours: ours.renderMs,
      baseline: baseline.renderMs,
      baselineName,
      better: 'lower',
      target: 500,
      note: `navigation to rows painted: ${fixed(ours.navigationMs, 0)} ms updating, ${fixed(baseline.navigationMs, 0)} ms silent (the backend's answers, on these cores)`,
    },
    {
      benchmark,
      metric: `navigation to ${rows} painted`,
      unit: 'ms',
      ours: ours.navigationMs,
      baseline: baseline.navigationMs,
      baselineName,
      better: 'lower',
    },
  ];
}
