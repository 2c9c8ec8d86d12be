import type { Ipv4Route } from '../procfs/net-route';
import { defaultRouteInterface } from '../procfs/net-route';

function toInt(quad: string): number {
  return quad.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

/**
 * The paper's getmyip() from /proc alone, for hosts whose interfaces we cannot list
 * (fixtures, SSH): the interface of the default route has directly connected routes
 * (no gateway); the host's own address (a LOCAL leaf of net/fib_trie) inside one of
 * them is its primary address. Null when there is no default route or no such address.
 */
export function primaryIpFromRoutes(
  routes: readonly Ipv4Route[],
  localAddresses: readonly string[],
): string | null {
  const iface = defaultRouteInterface(routes);
  if (iface === null) return null;
  const connected = routes.filter(
    (r) => r.iface === iface && r.gateway === '0.0.0.0' && r.mask !== '0.0.0.0',
  );
  for (const route of connected) {
    const mask = toInt(route.mask);
    // >>> 0 everywhere: & yields a signed 32-bit number, toInt an unsigned one.
    const network = (toInt(route.destination) & mask) >>> 0;
    const inside = localAddresses.find((address) => {
      const value = toInt(address);
      return (value & mask) >>> 0 === network && value !== network;
    });
    if (inside !== undefined) return inside;
  }
  return null;
}
