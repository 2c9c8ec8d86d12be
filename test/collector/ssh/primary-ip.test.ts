import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  choosePrimaryIp,
  defaultRoute,
  parseFibTrieLocalAddresses,
  parseIpAddrShow,
  parseProcNetRoute,
} from '../../../src/collector/ssh/primary-ip';

const header =
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';
/** A row of /proc/net/route; addresses in the kernel's little-endian hex. */
function row(
  iface: string,
  dest: string,
  gw: string,
  flags: string,
  metric: number,
  mask: string,
): string {
  return `${iface}\t${dest}\t${gw}\t${flags}\t0\t0\t${metric}\t${mask}\t0\t0\t0`;
}

describe('parseProcNetRoute / defaultRoute', () => {
  it('decodes little-endian addresses and picks the up default route with the lowest metric', () => {
    const routes = parseProcNetRoute(
      [
        header,
        row('wlan0', '00000000', '0101A8C0', '0003', 600, '00000000'),
        row('eth0', '00000000', '010200C0', '0003', 100, '00000000'),
        row('eth9', '00000000', '010300C0', '0002', 0, '00000000'),
        row('eth0', '000200C0', '00000000', '0001', 0, '00FFFFFF'),
        'garbage line',
        row('bad', 'XYZ', '00000000', '0001', 0, '00000000'),
      ].join('\n'),
    );
    expect(routes).toHaveLength(4);
    expect(routes[1]).toEqual({
      iface: 'eth0',
      destination: '0.0.0.0',
      gateway: '192.0.2.1',
      mask: '0.0.0.0',
      flags: 3,
      metric: 100,
    });
    expect(defaultRoute(routes)?.iface).toBe('eth0');
    expect(defaultRoute(parseProcNetRoute(header))).toBeNull();
  });
});

describe('parseIpAddrShow', () => {
  it('reads names with @ suffixes and scopes', () => {
    const text = [
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '3: veth0@if2    inet 10.9.0.1/30 scope global veth0\\       valid_lft forever',
      '4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global dynamic eth0\\   valid_lft 3000sec',
      '4: eth0    inet 198.51.100.7/24 brd 198.51.100.255 scope global secondary eth0',
    ].join('\n');
    expect(parseIpAddrShow(text)).toEqual([
      { iface: 'lo', address: '127.0.0.1', prefixLength: 8, scope: 'host' },
      { iface: 'veth0', address: '10.9.0.1', prefixLength: 30, scope: 'global' },
      { iface: 'eth0', address: '192.0.2.2', prefixLength: 24, scope: 'global' },
      { iface: 'eth0', address: '198.51.100.7', prefixLength: 24, scope: 'global' },
    ]);
  });
});

describe('choosePrimaryIp', () => {
  const routes = parseProcNetRoute(
    [
      header,
      row('eth0', '00000000', '016433C6', '0003', 0, '00000000'),
      row('eth0', '000200C0', '00000000', '0001', 0, '00FFFFFF'),
    ].join('\n'),
  );
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
    expect(choosePrimaryIp([], addresses.slice(0, 1))).toBeNull();
    expect(choosePrimaryIp(routes, [])).toBeNull();
  });
});

describe('on this machine', () => {
  const routeText = readFileSync('/proc/net/route', 'utf8');
  const routes = parseProcNetRoute(routeText);

  it('finds the same primary IP from `ip` and from /proc/net/fib_trie, and it is the default interface address', () => {
    const viaIp = choosePrimaryIp(
      routes,
      parseIpAddrShow(execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' })),
    );
    const viaFib = choosePrimaryIp(
      routes,
      parseFibTrieLocalAddresses(readFileSync('/proc/net/fib_trie', 'utf8'), routes),
    );
    expect(viaFib).toBe(viaIp);
    const route = defaultRoute(routes);
    if (route) {
      const ifaceAddresses = execFileSync('ip', ['-o', '-4', 'addr', 'show', 'dev', route.iface], {
        encoding: 'utf8',
      });
      expect(ifaceAddresses).toContain(`inet ${viaIp}/`);
    } else {
      expect(viaIp === null || !viaIp.startsWith('127.')).toBe(true);
    }
  });
});
