import { BrowserWindow, screen } from 'electron';
import { rememberWindowState } from './remember-window-state';
import { createWindowOptions, windowSizeLimits } from './window-options';
import { loadWindowState, placeWindow } from './window-state';

export interface MainWindowOptions {
  preloadPath: string;
  /** The dev server's URL under `electron-vite dev`; otherwise indexHtml is loaded. */
  devServerUrl: string | undefined;
  indexHtml: string;
  /** Where the window's size and position are kept between runs. */
  statePath: string;
  onError: (error: unknown) => void;
}

/** Opens the console window where the user left it, on a screen that is there now. */
export function openMainWindow(options: MainWindowOptions): BrowserWindow {
  const placed = placeWindow(
    loadWindowState(options.statePath),
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
    windowSizeLimits,
  );
  const window = new BrowserWindow(createWindowOptions(options.preloadPath, placed.bounds));
  if (placed.maximized) window.maximize();
  rememberWindowState(window, options.statePath, options.onError);
  window.once('ready-to-show', () => window.show());
  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadFile(options.indexHtml);
  return window;
}

/** Brings the window forward when a second start of the app asks for it. */
export function showWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
