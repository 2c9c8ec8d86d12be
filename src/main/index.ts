import { app, BrowserWindow, ipcMain, safeStorage, session, shell } from 'electron';
import type { BrowserWindow as Window } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAppVersion } from '../backend/app-info';
import { createBackend } from '../backend/backend';
import { unavailableHandlers } from '../backend/unavailable-backend';
import { EventHub } from '../shared/contract/event-hub';
import { ContractError } from '../shared/contract/reply';
import { FileSecretStore } from '../store/file-secret-store';
import { installAppMenu } from './app-menu-install';
import { registerContractHandler } from './ipc';
import { createMainLog, secretRedactor } from './log/main-log';
import { RedactingSecretStore } from './log/redacting-secret-store';
import { openMainWindow, showWindow } from './main-window';
import { WindowEvents } from './window-events';
import { SafeStorageSecretStore } from './safe-storage-secret-store';
import { handleExportDownloads } from './export-downloads';
import { applySecurityRestrictions } from './security';
import { claimSingleInstance } from './single-instance';
import { isAppUrl } from './trusted-url';

const here = dirname(fileURLToPath(import.meta.url));
// Set by `electron-vite dev` only; a built app always loads its own files.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const indexHtml = join(here, '..', 'renderer', 'index.html');
const appUrl = devServerUrl ?? pathToFileURL(indexHtml).href;
const log = createMainLog(app.getPath('logs'));
const hub = new EventHub((name, error) => log.warn(`event ${name} not delivered:`, error));
const windowEvents = new WindowEvents(hub, (name, error) =>
  log.warn(`event ${name} not delivered:`, error),
);
let mainWindow: Window | undefined;

function openWindow(): void {
  mainWindow = openMainWindow({
    preloadPath: join(here, '..', 'preload', 'index.cjs'),
    devServerUrl,
    indexHtml,
    statePath: join(app.getPath('userData'), 'window-state.json'),
    onError: (error) => log.warn('window state not saved:', error),
  });
  windowEvents.attach(mainWindow.webContents);
}

app.enableSandbox();

if (!claimSingleInstance(app, () => showWindow(mainWindow))) {
  log.info('another instance is running; showing its window instead');
  app.quit();
} else {
  void app.whenReady().then(async () => {
    log.info(`starting ${app.getName()} ${app.getVersion()}`);
    applySecurityRestrictions(app, session.defaultSession, {
      appUrl,
      openExternal: (url) => void shell.openExternal(url),
      ...(devServerUrl ? { devServerOrigin: new URL(devServerUrl).origin } : {}),
    });
    handleExportDownloads(session.defaultSession, {
      downloadsDir: app.getPath('downloads'),
      log: (line) => log.info(line),
    });
    const appVersion = readAppVersion();
    installAppMenu(appVersion);
    const userData = app.getPath('userData');
    const started = createBackend({
      appVersion,
      dbPath: join(userData, 'setmov.db'),
      configDir: userData,
      secrets: new RedactingSecretStore(
        new SafeStorageSecretStore(
          safeStorage,
          new FileSecretStore(join(userData, 'secrets.json')),
        ),
        secretRedactor,
      ),
      events: hub,
      log: (line) => log.info(line),
    });
    // A backend that cannot start still gets a window: it says why, not a blank page.
    const backend = await started.catch((error: unknown) => {
      log.error('the backend did not start:', error);
      const reason = error instanceof Error ? error.message : String(error);
      return { handlers: unavailableHandlers(appVersion, reason), close: () => Promise.resolve() };
    });
    registerContractHandler(
      ipcMain,
      // The window is the admin's own: only `setmov serve` hands out a viewer's link.
      { ...backend.handlers, 'app.session': () => ({ role: 'admin' }) },
      (frameUrl) => isAppUrl(frameUrl, appUrl),
      (name, error) => log.error(`${name} failed:`, error),
      (pageId) => ({
        'events.subscribe': ({ topics }) => {
          const page = pageId === undefined ? undefined : windowEvents.of(pageId);
          if (!page) throw new ContractError('failed', 'this page is not a console window');
          return { topics: page.setTopics(topics) };
        },
      }),
    );
    let quitting = false;
    app.on('before-quit', (event) => {
      if (quitting) return;
      // The history is flushed and every connection closed (within 3 s) before the exit.
      quitting = true;
      event.preventDefault();
      hub.publish('app.stopping', { reason: 'quit' });
      void backend.close().finally(() => app.quit());
    });
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
