/*
 * The paper's getmyip(): the IPv4 address of the interface that carries the default
 * route. Pure functions over /proc/net/route, `ip -o -4 addr show` and /proc/net/fib_trie
 * text, so the local source can use them too.
 */

export interface RouteEntry {
  iface: string;
  /** Dotted quad. */
  destination: string;
  gateway: string;
  mask: string;
  flags: number;
  metric: number;
}

export interface InterfaceAddress {
  iface: string;
  address: string;
  prefixLength: number;
  scope: string;
}

/** /proc/net/route stores addresses as host-order (little-endian on x86) hex words. */
function hexToIpv4(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function ipv4ToNumber(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    n = n * 256 + Number(part);
  }
  return n;
}

function inSubnet(address: string, network: string, prefixLength: number): boolean {
  const a = ipv4ToNumber(address);
  const n = ipv4ToNumber(network);
  if (a === null || n === null) return false;
  const size = 2 ** (32 - prefixLength);
  return Math.floor(a / size) === Math.floor(n / size);
}

function maskToPrefixLength(mask: string): number {
  const n = ipv4ToNumber(mask) ?? 0;
  let bits = 0;
  for (let bit = 31; bit >= 0 && Math.floor(n / 2 ** bit) % 2 === 1; bit--) bits++;
  return bits;
}

export function parseProcNetRoute(text: string): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const destination = hexToIpv4(f[1] ?? '');
    const gateway = hexToIpv4(f[2] ?? '');
    const mask = hexToIpv4(f[7] ?? '');
    const flags = parseInt(f[3] ?? '', 16);
    const metric = Number(f[6]);
    if (!destination || !gateway || !mask || !Number.isFinite(flags) || !Number.isFinite(metric))
      continue;
    routes.push({ iface: f[0] ?? '', destination, gateway, mask, flags, metric });
  }
  return routes;
}

const routeUp = 0x1;

/** The up default route with the lowest metric, as the kernel would pick it. */
export function defaultRoute(routes: readonly RouteEntry[]): RouteEntry | null {
  let best: RouteEntry | null = null;
  for (const r of routes) {
    if (r.destination !== '0.0.0.0' || r.mask !== '0.0.0.0' || (r.flags & routeUp) === 0) continue;
    if (!best || r.metric < best.metric) best = r;
  }
  return best;
}

/** Lines of `ip -o -4 addr show`: `2: eth0    inet 192.0.2.10/24 brd ... scope global eth0 ...`. */
export function parseIpAddrShow(text: string): InterfaceAddress[] {
  const addresses: InterfaceAddress[] = [];
  for (const line of text.split('\n')) {
    const match =
      /^\d+:\s+(\S+?)(?:@\S+)?\s+inet\s+(\d+\.\d+\.\d+\.\d+)\/(\d+)\b.*?\bscope\s+(\S+)/.exec(line);
    if (!match) continue;
    addresses.push({
      iface: match[1] ?? '',
      address: match[2] ?? '',
      prefixLength: Number(match[3]),
      scope: match[4] ?? '',
    });
  }
  return addresses;
}

/**
 * Local addresses from /proc/net/fib_trie (for hosts without iproute2): each `|-- a.b.c.d`
 * followed by a `/32 host LOCAL` line. The interface is inferred from the connected
 * routes of /proc/net/route.
 */
export function parseFibTrieLocalAddresses(
  fibTrie: string,
  routes: readonly RouteEntry[],
): InterfaceAddress[] {
  const found = new Set<string>();
  const lines = fibTrie.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const leaf = /\|--\s+(\d+\.\d+\.\d+\.\d+)\s*$/.exec(lines[i] ?? '');
    if (leaf?.[1] && /\/32 host LOCAL/.test(lines[i + 1] ?? '')) found.add(leaf[1]);
  }
  const addresses: InterfaceAddress[] = [];
  for (const address of found) {
    const loopback = address.startsWith('127.');
    const connected = routes.find(
      (r) =>
        r.gateway === '0.0.0.0' &&
        r.mask !== '0.0.0.0' &&
        inSubnet(address, r.destination, maskToPrefixLength(r.mask)),
    );
    addresses.push({
      iface: loopback ? 'lo' : (connected?.iface ?? ''),
      address,
      prefixLength: connected ? maskToPrefixLength(connected.mask) : 32,
      scope: loopback ? 'host' : 'global',
    });
  }
  return addresses;
}

/**
 * The address of the default route's interface (the one on the gateway's subnet when it
 * has several); without a default route, the first global address; else null.
 */
export function choosePrimaryIp(
  routes: readonly RouteEntry[],
  addresses: readonly InterfaceAddress[],
): string | null {
  const route = defaultRoute(routes);
  if (route) {
    const onIface = addresses.filter((a) => a.iface === route.iface);
    const onGatewaySubnet = onIface.find((a) => inSubnet(route.gateway, a.address, a.prefixLength));
    const chosen = onGatewaySubnet ?? onIface[0];
    if (chosen) return chosen.address;
  }
  const global = addresses.find((a) => a.scope === 'global' && !a.address.startsWith('127.'));
  return global?.address ?? null;
}
