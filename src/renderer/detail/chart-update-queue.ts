/**
 * Chart redraws, one a task. A page's graphs get their new points in the same React
 * commit; redrawn there, six charts made one task of 100 ms or more, long enough to
 * stutter a scroll or a key press. Queued, each redraw is its own short task, and a
 * chart asked twice before its turn is redrawn once.
 */
const pending = new Map<object, () => void>();
let scheduled = false;

function runOne(): void {
  scheduled = false;
  const next = pending.entries().next();
  if (next.done) return;
  const [key, redraw] = next.value;
  pending.delete(key);
  redraw();
  if (pending.size > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // A macrotask, not a microtask: the browser may paint and handle input in between.
  setTimeout(runOne, 0);
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
