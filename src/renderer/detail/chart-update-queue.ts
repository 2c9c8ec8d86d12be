/**
 * Chart redraws, a few a task. A page's graphs get their new points in the same React
 * commit; redrawn there, six charts once made one task of 100 ms or more, long enough to
 * stutter a scroll or a key press. Queued, they are redrawn in tasks of at most about
 * TASK_BUDGET_MS, and a chart asked twice before its turn is redrawn once. A redraw
 * costs 1-6 ms since the time axis was made cheap: one redraw a task made six tasks,
 * and as many frames to lay out, paint and hand to the compositor, every second.
 */
const TASK_BUDGET_MS = 8;
const pending = new Map<object, () => void>();
let scheduled = false;

function runSome(): void {
  scheduled = false;
  const started = performance.now();
  for (const [key, redraw] of pending) {
    pending.delete(key);
    redraw();
    if (performance.now() - started >= TASK_BUDGET_MS) break;
  }
  if (pending.size > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // A macrotask, not a microtask: the browser may paint and handle input in between.
  setTimeout(runSome, 0);
}

/** Redraws `key`'s chart soon, after any redraw already queued; the latest call wins. */
export function queueChartRedraw(key: object, redraw: () => void): void {
  pending.delete(key);
  pending.set(key, redraw);
  schedule();
}

/** Forgets a chart's queued redraw: it is being destroyed. */
export function cancelChartRedraw(key: object): void {
  pending.delete(key);
}
