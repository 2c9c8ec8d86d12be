import { ProcParseError } from './proc-parse-error';
import { clip, fields, lines, parseSafeInteger } from './numbers';

/** One IPv4 route of /proc/net/route. */
export interface Ipv4Route {
  iface: string;
  /** Dotted quad. */
  destination: string;
  gateway: string;
  mask: string;
  /** RTF_* bits: 0x1 up, 0x2 gateway, 0x4 host. */
  flags: number;
  metric: number;
}

const file = 'net/route';
const hex32 = /^[0-9A-Fa-f]{8}$/;
const rtfUp = 0x1;

/**
 * Addresses in /proc/net/route are the 32-bit value in host byte order, printed in
 * hex; every architecture that runs KVM hosts in practice (x86-64, arm64) is
 * little-endian, so the first octet is the last byte printed.
 */
function dottedQuad(token: string | undefined, what: string, line: number): string {
  if (token === undefined || !hex32.test(token)) {
    throw new ProcParseError(file, line, `${what} is not 8 hex digits: '${clip(token ?? '')}'`);
  }
  const value = Number.parseInt(token, 16);
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24].join('.');
}

/** Parses /proc/net/route (header line, then 11 columns per route). */
export function parseNetRoute(text: string): Ipv4Route[] {
  const routes: Ipv4Route[] = [];
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const t = fields(all[i] as string);
    const line = i + 1;
    if (i === 0 && t[0] === 'Iface') continue;
    if (t.length !== 11) throw new ProcParseError(file, line, `${t.length} columns, expected 11`);
    const flags = Number.parseInt(t[3] as string, 16);
    if (!/^[0-9A-Fa-f]{1,8}$/.test(t[3] as string)) {
      throw new ProcParseError(file, line, `flags are not hex: '${clip(t[3] as string)}'`);
    }
    routes.push({
      iface: t[0] as string,
      destination: dottedQuad(t[1], 'destination', line),
      gateway: dottedQuad(t[2], 'gateway', line),
      flags,
      metric: parseSafeInteger(t[6], 'metric', { file, line }),
      mask: dottedQuad(t[7], 'mask', line),
    });
  }
  return routes;
}

/** The default route that is up with the lowest metric, as the kernel picks it; or null. */
export function defaultRoute(routes: readonly Ipv4Route[]): Ipv4Route | null {
  let best: Ipv4Route | null = null;
  for (const route of routes) {
    if (route.destination !== '0.0.0.0' || route.mask !== '0.0.0.0') continue;
    if ((route.flags & rtfUp) === 0) continue;
    if (!best || route.metric < best.metric) best = route;
  }
  return best;
}
