/**
 * Whether a URL belongs to the app itself: the built renderer's index.html (file:)
 * or, in `electron-vite dev`, the dev server's origin.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let candidate: URL;
  let app: URL;
  try {
    candidate = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') {
    return candidate.protocol === 'file:' && candidate.pathname === app.pathname;
  }
  return candidate.origin === app.origin;
}

/** Links the console may hand to the system browser; never file:, javascript: or custom schemes. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
