import { isIP } from 'node:net';

/** Addresses that only this machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function hostWithPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The Host header values a request to this server may carry. Anything else means
 * the browser was pointed here by another name (DNS rebinding), and is refused.
 */
export function allowedHostHeaders(boundHost: string, port: number): Set<string> {
  const names = isLoopbackAddress(boundHost)
    ? [boundHost, 'localhost', '127.0.0.1', '::1']
    : [boundHost];
  return new Set(names.map((name) => hostWithPort(name, port)));
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Same-origin check for every request: Host must be one of ours, and Origin, when a
 * browser sends one (it does for POST, fetch and WebSocket), must be our own page.
 * A missing Origin is a non-browser client (curl), which DNS rebinding cannot drive.
 */
export function checkRequestOrigin(
  headers: { host?: string | undefined; origin?: string | undefined },
  allowedHosts: ReadonlySet<string>,
): GuardVerdict {
  const host = headers.host?.toLowerCase();
  if (host === undefined || !allowedHosts.has(host)) {
    return { ok: false, reason: `Host '${headers.host ?? ''}' is not this server` };
  }
  if (headers.origin === undefined) return { ok: true };
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return { ok: false, reason: `Origin '${headers.origin}' is not this server` };
  }
  if (origin.protocol !== 'http:' || !allowedHosts.has(origin.host.toLowerCase())) {
    return { ok: false, reason: `Origin '${headers.origin}' is not this server` };
  }
  return { ok: true };
}
