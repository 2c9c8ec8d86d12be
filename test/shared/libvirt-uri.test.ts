import { describe, expect, it } from 'vitest';
import { LibvirtUriError, parseLibvirtUri } from '../../src/shared/libvirt-uri';

describe('parseLibvirtUri', () => {
  it('strips the transport before CONNECT_OPEN, as libvirt does', () => {
    expect(parseLibvirtUri('test+unix:///default')).toMatchObject({
      driver: 'test',
      transport: 'unix',
      host: null,
      path: '/default',
      remoteName: 'test:///default',
    });
    expect(parseLibvirtUri('test+unix:///abs/path.xml').remoteName).toBe('test:///abs/path.xml');
  });

  it('defaults to unix without a host and tls with one', () => {
    expect(parseLibvirtUri('qemu:///system')).toMatchObject({
      transport: 'unix',
      remoteName: 'qemu:///system',
    });
    expect(parseLibvirtUri('qemu://example.org/system').transport).toBe('tls');
  });

  it('reads user, host and port; the daemon is given driver://path', () => {
    expect(parseLibvirtUri('qemu+ssh://root@h:2222/system')).toEqual({
      driver: 'qemu',
      transport: 'ssh',
      user: 'root',
      host: 'h',
      port: 2222,
      path: '/system',
      remoteName: 'qemu:///system',
    });
    expect(parseLibvirtUri('qemu+tcp://h/system')).toMatchObject({
      transport: 'tcp',
      host: 'h',
      port: null,
      remoteName: 'qemu:///system',
    });
    expect(parseLibvirtUri('test:///default').remoteName).toBe('test:///default');
    expect(parseLibvirtUri('qemu+tcp://[::1]:16509/system')).toMatchObject({
      host: '::1',
      port: 16509,
    });
  });

  // What libvirt's client reads from the query: the socket, the helper commands, the key
  // and known_hosts files, the name given to the daemon. A request must not choose them.
  it.each([
    'name=qemu:///session',
    'command=/bin/sh',
    'socket=/run/x',
    'netcat=perl&socket=-esystem("id > /tmp/owned")',
    'keyfile=/root/.ssh/id_rsa',
    'sshauth=privkey',
    'no_verify=1',
    'no_tty=1',
    'pkipath=/etc/pki',
    'known_hosts=/dev/null',
    'known_hosts_verify=ignore',
    'tls_priority=NORMAL',
    'mode=legacy',
    'proxy=native',
    'foo=bar',
    '',
  ])('refuses a query (?%s), saying why', (query) => {
    for (const base of ['qemu:///system', 'qemu+ssh://root@h:2222/system']) {
      expect(() => parseLibvirtUri(`${base}?${query}`)).toThrow(LibvirtUriError);
      expect(() => parseLibvirtUri(`${base}?${query}`)).toThrow(/no \?parameters.*SSH settings/);
    }
  });

  it('rejects what is not a libvirt URI', () => {
    for (const bad of [
      '',
      'qemu',
      '/var/run/libvirt/libvirt-sock',
      'qemu+ssh://h:99999/system',
      'qemu+ssh://%zz@h/system',
      'qemu:///system#frag',
    ]) {
      expect(() => parseLibvirtUri(bad)).toThrow(LibvirtUriError);
    }
  });

  it('quotes a refused URI without its control characters', () => {
    expect(() => parseLibvirtUri('qemu:///system?\x1b]0;owned\x07')).toThrow(
      /^'qemu:\/\/\/system\?': /,
    );
  });
});
