import type { BrowserWindow } from 'electron';
import { saveWindowState } from './window-state';
import type { WindowState } from './window-state';

type TrackedWindow = Pick<BrowserWindow, 'once' | 'getNormalBounds' | 'isMaximized'>;

/**
 * Saves the window's normal bounds and maximised flag when it closes (quitting closes
 * it too), so the next start opens it where the user left it. A failed save is
 * reported, never thrown: it must not stop the app from quitting.
 */
export function rememberWindowState(
  window: TrackedWindow,
  path: string,
  onError: (error: unknown) => void,
): void {
  window.once('close', () => {
    const state: WindowState = {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    };
    try {
      saveWindowState(path, state);
    } catch (error) {
      onError(error);
    }
  });
}
