import type { Ipv4Route } from '../procfs/net-route';
import { defaultRoute } from '../procfs/net-route';

/** An IPv4 address of an interface, as `ip -o -4 addr show` lists it. */
export interface InterfaceAddress {
  iface: string;
  /** Dotted quad. */
  address: string;
  prefixLength: number;
  /** 'host' for loopback, 'global' for the rest (also 'link' from `ip`). */
  scope: string;
}

/** Unsigned 32-bit value of a dotted quad. */
function toInt(quad: string): number {
  return quad.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

/** The mask of a prefix length, unsigned (a shift by 32 is a shift by 0 in JS). */
function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

function prefixLengthOf(mask: string): number {
  let value = toInt(mask);
  let bits = 0;
  while (value & 0x80000000) {
    bits++;
    value = (value << 1) >>> 0;
  }
  return bits;
}

/** >>> 0 everywhere: & yields a signed 32-bit number, toInt an unsigned one. */
function networkOf(address: string, prefixLength: number): number {
  return (toInt(address) & maskOf(prefixLength)) >>> 0;
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.');
}

/**
 * Gives the host's own addresses (LOCAL leaves of /proc/net/fib_trie, for hosts whose
 * interfaces we cannot list: fixtures, SSH hosts without iproute2) the interface and
 * prefix of the first directly connected route (no gateway) whose subnet holds them.
 * A subnet's own network address is not a host's address and is left out.
 */
export function addressesOnRoutes(
  localAddresses: readonly string[],
  routes: readonly Ipv4Route[],
): InterfaceAddress[] {
  const connected = routes
    .filter((r) => r.gateway === '0.0.0.0' && r.mask !== '0.0.0.0')
    .map((r) => {
      const prefixLength = prefixLengthOf(r.mask);
      return { iface: r.iface, prefixLength, network: networkOf(r.destination, prefixLength) };
    });
  const addresses: InterfaceAddress[] = [];
  for (const address of localAddresses) {
    const value = toInt(address);
    if (connected.some((r) => r.network === value)) continue;
    const route = connected.find((r) => networkOf(address, r.prefixLength) === r.network);
    const loopback = isLoopback(address);
    addresses.push({
      iface: loopback ? 'lo' : (route?.iface ?? ''),
      address,
      prefixLength: route?.prefixLength ?? 32,
      scope: loopback ? 'host' : 'global',
    });
  }
  return addresses;
}

/**
 * The paper's getmyip(): the address of the default route's interface (the one on the
 * gateway's subnet when it has several, else its first); when there is no default route
 * or it has no address, the first global address; else null.
 */
export function choosePrimaryIp(
  routes: readonly Ipv4Route[],
  addresses: readonly InterfaceAddress[],
): string | null {
  const route = defaultRoute(routes);
  if (route) {
    const onIface = addresses.filter((a) => a.iface === route.iface);
    const onGatewaySubnet = onIface.find(
      (a) => networkOf(route.gateway, a.prefixLength) === networkOf(a.address, a.prefixLength),
    );
    const chosen = onGatewaySubnet ?? onIface[0];
    if (chosen) return chosen.address;
  }
  const global = addresses.find((a) => a.scope === 'global' && !isLoopback(a.address));
  return global?.address ?? null;
}
