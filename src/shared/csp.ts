/**
 * The console's Content-Security-Policy, one source for the Electron window, the
 * built index.html and `setmov serve`. Everything comes from the app's own origin;
 * no inline or eval'd script, no plugins, no framing, no form posts elsewhere.
 */
const directives: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
};

export interface CspOptions {
  /**
   * `meta` leaves out frame-ancestors, which browsers ignore (and warn about) in a
   * <meta> tag; the HTTP header carries it.
   */
  delivery: 'header' | 'meta';
  /**
   * Origin of `electron-vite dev`'s server. Only in development: its React refresh
   * preamble is an inline script and hot reload talks over a WebSocket.
   */
  devServerOrigin?: string;
}

export function contentSecurityPolicy(options: CspOptions): string {
  const all = { ...directives };
  if (options.delivery === 'header') all['frame-ancestors'] = "'none'";
  if (options.devServerOrigin !== undefined) {
    const ws = options.devServerOrigin.replace(/^http/, 'ws');
    all['script-src'] = "'self' 'unsafe-inline'";
    all['style-src'] = "'self' 'unsafe-inline'";
    all['connect-src'] = `'self' ${ws}`;
  }
  return Object.entries(all)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}
