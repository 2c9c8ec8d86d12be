import { EventEmitter } from 'node:events';
import type { App, Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { applySecurityRestrictions } from '../../src/main/security';

const appUrl = 'file:///opt/setmov/out/renderer/index.html';

type Handler = (...args: never[]) => unknown;

/** Electron's app, session and web contents, reduced to what the restrictions hook into. */
function setUp(devServerOrigin?: string) {
  const app = new EventEmitter();
  const handlers: Record<string, Handler> = {};
  const session = {
    setPermissionRequestHandler: (h: Handler) => (handlers['permissionRequest'] = h),
    setPermissionCheckHandler: (h: Handler) => (handlers['permissionCheck'] = h),
    setDevicePermissionHandler: (h: Handler) => (handlers['devicePermission'] = h),
    webRequest: { onHeadersReceived: (h: Handler) => (handlers['headers'] = h) },
  };
  const opened: string[] = [];
  applySecurityRestrictions(app as unknown as App, session as unknown as Session, {
    appUrl,
    openExternal: (url) => opened.push(url),
    ...(devServerOrigin ? { devServerOrigin } : {}),
  });
  const contents = Object.assign(new EventEmitter(), {
    setWindowOpenHandler: (h: Handler) => (handlers['windowOpen'] = h),
  });
  app.emit('web-contents-created', {}, contents);
  return { contents, handlers, opened };
}

function emitPreventable(target: EventEmitter, name: string, url?: string): boolean {
  let prevented = false;
  target.emit(name, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('applySecurityRestrictions', () => {
  it('keeps every window on the console page', () => {
    const { contents } = setUp();
    expect(emitPreventable(contents, 'will-navigate', appUrl)).toBe(false);
    expect(emitPreventable(contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(emitPreventable(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(emitPreventable(contents, 'will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(emitPreventable(contents, 'will-attach-webview')).toBe(true);
  });

  it('denies new windows, sending only web links to the system browser', () => {
    const { handlers, opened } = setUp();
    const open = handlers['windowOpen'] as (d: { url: string }) => { action: string };
    expect(open({ url: 'https://libvirt.org/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://libvirt.org/']);
  });

  it('denies every permission', () => {
    const { handlers } = setUp();
    const answers: boolean[] = [];
    (handlers['permissionRequest'] as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(
      {},
      'media',
      (ok) => answers.push(ok),
    );
    expect(answers).toEqual([false]);
    expect((handlers['permissionCheck'] as () => boolean)()).toBe(false);
    expect((handlers['devicePermission'] as () => boolean)()).toBe(false);
  });

  it('adds the strict CSP to every response', () => {
    const { handlers } = setUp();
    let headers: Record<string, string[]> = {};
    (handlers['headers'] as (d: unknown, cb: (r: { responseHeaders: never }) => void) => void)(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers['Content-Type']).toEqual(['text/html']);
    const csp = headers['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });

  it('relaxes scripts only for the dev server, and names its socket', () => {
    const { handlers } = setUp('http://localhost:5173');
    let csp = '';
    (handlers['headers'] as (d: unknown, cb: (r: { responseHeaders: never }) => void) => void)(
      { responseHeaders: {} },
      (r) =>
        (csp = (r.responseHeaders as Record<string, string[]>)['Content-Security-Policy']![0]!),
    );
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).not.toContain('unsafe-eval');
  });
});
