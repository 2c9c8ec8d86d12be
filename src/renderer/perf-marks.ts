/**
 * User Timing marks of the page's first moments, once each: when the inventory came and
 * when the overview's and the desktops table's rows were first painted. The console
 * benches read them, and so can anyone in the browser's performance panel; they cost a
 * map lookup.
 */
export type PerfMark = 'setmov:inventory' | 'setmov:overview-rows' | 'setmov:desktops-rows';

const marked = new Set<PerfMark>();

export function markOnce(name: PerfMark): void {
  if (marked.has(name) || typeof performance === 'undefined') return;
  marked.add(name);
  performance.mark(name);
}

/** Marks after the next paint: a frame, then a task (the frame's paint is done by then). */
export function markAfterPaint(name: PerfMark): void {
  if (marked.has(name)) return;
  requestAnimationFrame(() => setTimeout(() => markOnce(name), 0));
}
