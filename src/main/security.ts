import type { App, Session } from 'electron';
import { contentSecurityPolicy } from '../shared/csp';
import { isAppUrl, isExternalWebUrl } from './trusted-url';

export interface SecurityOptions {
  /** URL of the renderer's page; the only place a window may show. */
  appUrl: string;
  /** Set under `electron-vite dev`; relaxes the CSP just enough for hot reload. */
  devServerOrigin?: string;
  /** Hands a web link to the system browser (shell.openExternal). */
  openExternal: (url: string) => void;
}

/**
 * Locks every web contents to the app: no navigation away, no new windows (web links
 * go to the system browser), no webviews, no permissions (camera, notifications, ...),
 * and the CSP on every response, whichever page asks.
 */
export function applySecurityRestrictions(
  app: App,
  session: Session,
  options: SecurityOptions,
): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, options.appUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, options.appUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalWebUrl(url)) options.openExternal(url);
      return { action: 'deny' };
    });
  });

  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);

  const csp = contentSecurityPolicy(
    options.devServerOrigin === undefined
      ? { delivery: 'header' }
      : { delivery: 'header', devServerOrigin: options.devServerOrigin },
  );
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
}
