import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import type { BrowserWindow as Window } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAppVersion } from '../backend/app-info';
import { createHandlers } from '../backend/handlers';
import { installAppMenu } from './app-menu-install';
import { registerContractHandler } from './ipc';
import { createMainLog } from './log/main-log';
import { openMainWindow, showWindow } from './main-window';
import { publishToWindows } from './publish-to-windows';
import { applySecurityRestrictions } from './security';
import { claimSingleInstance } from './single-instance';
import { isAppUrl } from './trusted-url';

const here = dirname(fileURLToPath(import.meta.url));
// Set by `electron-vite dev` only; a built app always loads its own files.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const indexHtml = join(here, '..', 'renderer', 'index.html');
const appUrl = devServerUrl ?? pathToFileURL(indexHtml).href;
const log = createMainLog(app.getPath('logs'));
let mainWindow: Window | undefined;

function openWindow(): void {
  mainWindow = openMainWindow({
    preloadPath: join(here, '..', 'preload', 'index.cjs'),
    devServerUrl,
    indexHtml,
    statePath: join(app.getPath('userData'), 'window-state.json'),
    onError: (error) => log.warn('window state not saved:', error),
  });
}

app.enableSandbox();

if (!claimSingleInstance(app, () => showWindow(mainWindow))) {
  log.info('another instance is running; showing its window instead');
  app.quit();
} else {
  void app.whenReady().then(() => {
    log.info(`starting ${app.getName()} ${app.getVersion()}`);
    applySecurityRestrictions(app, session.defaultSession, {
      appUrl,
      openExternal: (url) => void shell.openExternal(url),
      ...(devServerUrl ? { devServerOrigin: new URL(devServerUrl).origin } : {}),
    });
    const appVersion = readAppVersion();
    installAppMenu(appVersion);
    registerContractHandler(
      ipcMain,
      createHandlers({ appVersion }),
      (frameUrl) => isAppUrl(frameUrl, appUrl),
      (name, error) => log.error(`${name} failed:`, error),
    );
    const publish = publishToWindows(
      () => BrowserWindow.getAllWindows(),
      (name, error) => log.warn(`event ${name} not delivered:`, error),
    );
    app.on('before-quit', () => publish('app.stopping', { reason: 'quit' }));
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
