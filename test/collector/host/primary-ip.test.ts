import { describe, expect, it } from 'vitest';
import { primaryIpFromRoutes } from '../../../src/collector/host/primary-ip';
import type { Ipv4Route } from '../../../src/collector/procfs/net-route';

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

describe('primaryIpFromRoutes (getmyip from /proc)', () => {
  const routes = [
    route('eth0', '0.0.0.0', '0.0.0.0', '192.0.2.1'),
    route('eth0', '192.0.2.0', '255.255.255.0'),
    route('virbr0', '192.168.122.0', '255.255.255.0'),
  ];

  it("takes the host's address inside a connected subnet of the default route's interface", () => {
    expect(primaryIpFromRoutes(routes, ['127.0.0.1', '192.168.122.1', '192.0.2.2'])).toBe(
      '192.0.2.2',
    );
  });

  it('is null without a default route, or without an address on its subnets', () => {
    expect(primaryIpFromRoutes(routes.slice(1), ['192.0.2.2'])).toBeNull();
    expect(primaryIpFromRoutes(routes, ['192.168.122.1'])).toBeNull();
    // The network address itself is not a host address.
    expect(primaryIpFromRoutes(routes, ['192.0.2.0'])).toBeNull();
  });
});
