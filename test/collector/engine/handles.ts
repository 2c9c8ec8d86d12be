/** Handles that are the test runner's own, not the code under test's. */
const RUNNER_HANDLES = new Set(['PipeWrap', 'TTYWrap', 'FSReqPromise', 'FSReqCallback']);

/** The process's active handles and requests, by type, without the runner's own. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    if (RUNNER_HANDLES.has(type)) continue;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

/** Resources now open that were not at `before` (type → how many more). */
export function leakedSince(before: Map<string, number>): Record<string, number> {
  const leaked: Record<string, number> = {};
  for (const [type, n] of activeResources()) {
    const extra = n - (before.get(type) ?? 0);
    if (extra > 0) leaked[type] = extra;
  }
  return leaked;
}

/** Waits until nothing leaked since `before`, or gives up after timeoutMs and says what did. */
export async function settledLeaks(
  before: Map<string, number>,
  timeoutMs = 3_000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const leaked = leakedSince(before);
    if (Object.keys(leaked).length === 0 || Date.now() > deadline) return leaked;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
