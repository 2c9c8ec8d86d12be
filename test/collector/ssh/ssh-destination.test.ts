import { describe, expect, it } from 'vitest';
import {
  formatSshDestination,
  parseSshDestination,
} from '../../../src/collector/ssh/ssh-destination';
import { SshDestinationError } from '../../../src/collector/ssh/ssh-errors';

describe('parseSshDestination', () => {
  it.each([
    ['root@host', { username: 'root', host: 'host', port: 22 }],
    ['root@host.example.com:2222', { username: 'root', host: 'host.example.com', port: 2222 }],
    ['root@127.0.0.1:2222', { username: 'root', host: '127.0.0.1', port: 2222 }],
    ['admin@[::1]:2222', { username: 'admin', host: '::1', port: 2222 }],
    ['admin@[fe80::1%eth0]', { username: 'admin', host: 'fe80::1%eth0', port: 22 }],
    ['admin@::1', { username: 'admin', host: '::1', port: 22 }],
    ['admin@[myhost]:22', { username: 'admin', host: 'myhost', port: 22 }],
    ['ssh://ops@kvm1:2200', { username: 'ops', host: 'kvm1', port: 2200 }],
    ['ssh://ops@kvm1/', { username: 'ops', host: 'kvm1', port: 22 }],
    ['svc@corp.local@kvm2', { username: 'svc@corp.local', host: 'kvm2', port: 22 }],
    ['  root@host  ', { username: 'root', host: 'host', port: 22 }],
  ])('parses %s', (input, expected) => {
    expect(parseSshDestination(input)).toEqual(expected);
  });

  it('uses the default user and port when given', () => {
    expect(parseSshDestination('kvm1', { defaultUser: 'me', defaultPort: 2022 })).toEqual({
      username: 'me',
      host: 'kvm1',
      port: 2022,
    });
  });

  it.each([
    ['', /empty/],
    ['host', /no user name/],
    ['@host', /empty user name/],
    ['root@', /bad host|empty host/],
    ['root@host:', /port '' is not a number/],
    ['root@host:abc', /port 'abc' is not a number/],
    ['root@host:0', /out of range/],
    ['root@host:65536', /out of range/],
    ['root@host:999999', /not a number/],
    ['root@[::1', /unclosed/],
    ['root@[::1]x', /unexpected 'x'/],
    ['root@[::1]:', /not a number/],
    ['root@ho st', /whitespace/],
    ['root@-host', /bad host/],
    ['root@host/path', /bad host/],
    ['root@zz::gg::', /bad IPv6/],
  ])('rejects %j with a typed error', (input, message) => {
    let error: unknown;
    try {
      parseSshDestination(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SshDestinationError);
    expect((error as SshDestinationError).code).toBe('bad-destination');
    expect((error as Error).message).toMatch(message);
  });
});

describe('formatSshDestination', () => {
  it('brackets IPv6 and always shows the port', () => {
    expect(formatSshDestination({ username: 'root', host: '::1', port: 2222 })).toBe(
      'root@[::1]:2222',
    );
    expect(formatSshDestination({ username: 'root', host: 'kvm1' })).toBe('root@kvm1:22');
  });
});
