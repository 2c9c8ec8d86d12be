import type { CollectorEngine } from '../collector/engine/collector-engine';
import type { SyncService } from './sync-service';

const CLOSE_BUDGET_MS = 3_000;

/** Stops every session and the sync, then closes the history; gives up waiting after 3 s. */
export async function closeAll(
  engine: CollectorEngine,
  sync: SyncService,
  closeHistory: () => void,
  log: (line: string) => void,
): Promise<void> {
  const stopped = engine.stop();
  const late = new Promise<'late'>((resolve) =>
    setTimeout(() => resolve('late'), CLOSE_BUDGET_MS).unref(),
  );
  const syncClosed = sync.close(CLOSE_BUDGET_MS - 500);
  if ((await Promise.race([stopped, late])) === 'late') {
    log('setmov: some connections did not close within 3 s');
  }
  await syncClosed;
  closeHistory();
}
