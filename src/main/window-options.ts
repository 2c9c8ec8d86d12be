import type { BrowserWindowConstructorOptions } from 'electron';
import type { Rect, WindowSizeLimits } from './window-state';

export const windowSizeLimits: WindowSizeLimits = {
  defaultWidth: 1280,
  defaultHeight: 800,
  minWidth: 800,
  minHeight: 500,
};

/**
 * The console window. The renderer gets no Node, runs in Chromium's sandbox, and sees
 * main only through the preload's contract bridge in its isolated world.
 */
export function createWindowOptions(
  preloadPath: string,
  bounds?: Rect,
): BrowserWindowConstructorOptions {
  return {
    width: windowSizeLimits.defaultWidth,
    height: windowSizeLimits.defaultHeight,
    ...bounds,
    minWidth: windowSizeLimits.minWidth,
    minHeight: windowSizeLimits.minHeight,
    title: 'SETMOV Console',
    backgroundColor: '#0f172a',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}
