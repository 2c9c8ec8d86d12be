import { isIP } from 'node:net';

/** The scheme the server speaks: plain HTTP, or HTTPS when it was given a certificate. */
export type ServeScheme = 'http:' | 'https:';

/** The port a Host header or an origin means when it names none (RFC 9110 §4.2.1, §4.2.2). */
const DEFAULT_PORTS: Record<ServeScheme, number> = { 'http:': 80, 'https:': 443 };

/** Addresses that only this machine can reach, IPv4-mapped IPv6 included. */
export function isLoopbackAddress(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.toLowerCase().startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** 0.0.0.0, :: and ::ffff:0.0.0.0 (the only spellings server.address() reports). */
export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address.toLowerCase() === '::ffff:0.0.0.0';
}

function hostWithPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The Host header values a request to this server may carry: the name it was started
 * with and the address it bound, and every loopback name when that address is loopback.
 * Anything else means the browser was pointed here by another name (DNS rebinding).
 */
export function allowedHostHeaders(
  givenHost: string,
  boundAddress: string,
  port: number,
): Set<string> {
  const names = isLoopbackAddress(boundAddress)
    ? [givenHost, boundAddress, 'localhost', '127.0.0.1', '::1']
    : [givenHost, boundAddress];
  return new Set(names.map((name) => hostWithPort(name.toLowerCase(), port)));
}

/**
 * A Host header as `name:port`, the form allowedHostHeaders holds: lower case, the port
 * made explicit (a browser leaves out :80, or :443 over TLS), IPv6 in brackets. Undefined
 * for anything that is not a bare host and port (user info, paths, spaces).
 */
export function hostHeaderKey(value: string, scheme: ServeScheme = 'http:'): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.toLowerCase());
  if (!match) return undefined;
  const port = match[2] === undefined ? DEFAULT_PORTS[scheme] : Number(match[2]);
  return `${match[1] as string}:${port}`;
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Same-origin check for every request: Host must be one of ours, and Origin, when a
 * browser sends one (it does for POST, fetch and WebSocket), must be our own page under
 * the scheme we speak. A missing Origin is a non-browser client (curl), which DNS
 * rebinding cannot drive; it still needs the token.
 */
export function checkRequestOrigin(
  headers: { host?: string | undefined; origin?: string | undefined },
  allowedHosts: ReadonlySet<string>,
  scheme: ServeScheme = 'http:',
): GuardVerdict {
  const host = hostHeaderKey(headers.host ?? '', scheme);
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
  if (origin.protocol !== scheme || !allowedHosts.has(hostHeaderKey(origin.host, scheme) ?? '')) {
    return { ok: false, reason: `Origin '${headers.origin}' is not this server` };
  }
  return { ok: true };
}
