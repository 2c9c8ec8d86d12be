import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpAddrShow } from '../../../src/collector/host/ip-addr-show';
import { addressesOnRoutes, choosePrimaryIp } from '../../../src/collector/host/primary-ip';
import { parseLocalAddresses } from '../../../src/collector/procfs/fib-trie';
import type { Ipv4Route } from '../../../src/collector/procfs/net-route';
import { defaultRoute, parseNetRoute } from '../../../src/collector/procfs/net-route';

const route = (
  iface: string,
  destination: string,
  mask: string,
  gateway = '0.0.0.0',
  metric = 0,
): Ipv4Route => ({
  iface,
  destination,
  gateway,
  mask,
  flags: gateway === '0.0.0.0' ? 1 : 3,
  metric,
});

describe('choosePrimaryIp over listed addresses (getmyip from `ip -o -4 addr`)', () => {
  const routes = [
    route('eth0', '0.0.0.0', '0.0.0.0', '198.51.100.1'),
    route('eth0', '192.0.2.0', '255.255.255.0'),
  ];
  const addresses = [
    { iface: 'lo', address: '127.0.0.1', prefixLength: 8, scope: 'host' },
    { iface: 'br0', address: '10.0.0.1', prefixLength: 24, scope: 'global' },
    { iface: 'eth0', address: '192.0.2.2', prefixLength: 24, scope: 'global' },
    { iface: 'eth0', address: '198.51.100.7', prefixLength: 24, scope: 'global' },
  ];

  it("prefers the default interface's address on the gateway's subnet", () => {
    expect(choosePrimaryIp(routes, addresses)).toBe('198.51.100.7');
  });

  it("takes the default interface's first address otherwise", () => {
    expect(choosePrimaryIp(routes, addresses.slice(0, 3))).toBe('192.0.2.2');
  });

  it('falls back to the first global address without a default route, else null', () => {
    expect(choosePrimaryIp([], addresses)).toBe('10.0.0.1');
    expect(choosePrimaryIp(routes.slice(1), addresses)).toBe('10.0.0.1');
    expect(choosePrimaryIp([], addresses.slice(0, 1))).toBeNull();
    expect(choosePrimaryIp(routes, [])).toBeNull();
  });
});

describe('addressesOnRoutes + choosePrimaryIp (getmyip from route + fib_trie)', () => {
  const routes = [
    route('eth0', '0.0.0.0', '0.0.0.0', '192.0.2.1'),
    route('eth0', '192.0.2.0', '255.255.255.0'),
    route('virbr0', '192.168.122.0', '255.255.255.0'),
  ];
  const fromFib = (local: string[]): string | null =>
    choosePrimaryIp(routes, addressesOnRoutes(local, routes));

  it('puts each local address on the interface of the connected subnet that holds it', () => {
    expect(
      addressesOnRoutes(['127.0.0.1', '192.168.122.1', '192.0.2.2', '203.0.113.9'], routes),
    ).toEqual([
      { iface: 'lo', address: '127.0.0.1', prefixLength: 32, scope: 'host' },
      { iface: 'virbr0', address: '192.168.122.1', prefixLength: 24, scope: 'global' },
      { iface: 'eth0', address: '192.0.2.2', prefixLength: 24, scope: 'global' },
      { iface: '', address: '203.0.113.9', prefixLength: 32, scope: 'global' },
    ]);
  });

  it("takes the host's address inside a connected subnet of the default route's interface", () => {
    expect(fromFib(['127.0.0.1', '192.168.122.1', '192.0.2.2'])).toBe('192.0.2.2');
  });

  it('without a default route or an address on its interface, the first global address', () => {
    expect(choosePrimaryIp(routes.slice(1), addressesOnRoutes(['192.0.2.2'], routes))).toBe(
      '192.0.2.2',
    );
    expect(fromFib(['127.0.0.1', '192.168.122.1'])).toBe('192.168.122.1');
    expect(fromFib(['127.0.0.1'])).toBeNull();
  });

  it("never takes a subnet's own network address for the host's (unsigned compare)", () => {
    expect(addressesOnRoutes(['192.0.2.0', '192.168.122.0'], routes)).toEqual([]);
    expect(fromFib(['192.0.2.0'])).toBeNull();
    expect(fromFib(['192.0.2.0', '192.0.2.2'])).toBe('192.0.2.2');
  });
});

describe('on this machine', () => {
  const routes = parseNetRoute(readFileSync('/proc/net/route', 'utf8'));

  it('finds the same primary IP from `ip` and from /proc/net/fib_trie, and it is the default interface address', () => {
    const viaIp = choosePrimaryIp(
      routes,
      parseIpAddrShow(execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' })),
    );
    const viaFib = choosePrimaryIp(
      routes,
      addressesOnRoutes(parseLocalAddresses(readFileSync('/proc/net/fib_trie', 'utf8')), routes),
    );
    expect(viaFib).toBe(viaIp);
    const def = defaultRoute(routes);
    if (def) {
      const ifaceAddresses = execFileSync('ip', ['-o', '-4', 'addr', 'show', 'dev', def.iface], {
        encoding: 'utf8',
      });
      expect(ifaceAddresses).toContain(`inet ${viaIp}/`);
    } else {
      expect(viaIp === null || !viaIp.startsWith('127.')).toBe(true);
    }
  });
});
