import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAppVersion } from '../backend/app-info';
import { createHandlers } from '../backend/handlers';
import { registerContractHandler } from './ipc';
import { publishToWindows } from './publish-to-windows';
import { applySecurityRestrictions } from './security';
import { isAppUrl } from './trusted-url';
import { createWindowOptions } from './window-options';

const here = dirname(fileURLToPath(import.meta.url));
// Set by `electron-vite dev` only; a built app always loads its own files.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const indexHtml = join(here, '..', 'renderer', 'index.html');
const appUrl = devServerUrl ?? pathToFileURL(indexHtml).href;

function openWindow(): BrowserWindow {
  const window = new BrowserWindow(createWindowOptions(join(here, '..', 'preload', 'index.cjs')));
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(indexHtml);
  return window;
}

app.enableSandbox();

void app.whenReady().then(() => {
  applySecurityRestrictions(app, session.defaultSession, {
    appUrl,
    openExternal: (url) => void shell.openExternal(url),
    ...(devServerUrl ? { devServerOrigin: new URL(devServerUrl).origin } : {}),
  });
  registerContractHandler(
    ipcMain,
    createHandlers({ appVersion: readAppVersion() }),
    (frameUrl) => isAppUrl(frameUrl, appUrl),
    (name, error) => console.error(`setmov: ${name} failed:`, error),
  );
  const publish = publishToWindows(() => BrowserWindow.getAllWindows());
  app.on('before-quit', () => publish('app.stopping', { reason: 'quit' }));
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
