import { describe, expect, it } from 'vitest';
import { parseIpAddrShow } from '../../../src/collector/host/ip-addr-show';

describe('parseIpAddrShow', () => {
  it('reads names with @ suffixes and scopes, skipping other lines', () => {
    const text = [
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '3: veth0@if2    inet 10.9.0.1/30 scope global veth0\\       valid_lft forever',
      '4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global dynamic eth0\\   valid_lft 3000sec',
      '4: eth0    inet 198.51.100.7/24 brd 198.51.100.255 scope global secondary eth0',
      'garbage line',
      '',
    ].join('\n');
    expect(parseIpAddrShow(text)).toEqual([
      { iface: 'lo', address: '127.0.0.1', prefixLength: 8, scope: 'host' },
      { iface: 'veth0', address: '10.9.0.1', prefixLength: 30, scope: 'global' },
      { iface: 'eth0', address: '192.0.2.2', prefixLength: 24, scope: 'global' },
      { iface: 'eth0', address: '198.51.100.7', prefixLength: 24, scope: 'global' },
    ]);
  });
});
