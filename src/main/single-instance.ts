import type { App } from 'electron';

/**
 * Takes the single-instance lock. Returns false when another instance holds it: that
 * one is told (second-instance) and shows its window, and this one should quit
 * before opening anything, since two instances would poll every host twice and share
 * one SQLite history.
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'on'>,
  showExisting: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', showExisting);
  return true;
}
