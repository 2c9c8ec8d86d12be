import { describe, expect, it } from 'vitest';
import { LibvirtUriError, parseLibvirtUri } from '../../../src/collector/libvirt/libvirt-uri';
import { socketCandidates } from '../../../src/collector/libvirt/dialers';

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

  it('reads user, host, port and parameters; keeps client-side ones away from the daemon', () => {
    const uri = parseLibvirtUri(
      'qemu+ssh://admin@kvm1.example.org:2222/system?socket=/run/x%20y&mode=legacy&foo=bar',
    );
    expect(uri).toMatchObject({
      driver: 'qemu',
      transport: 'ssh',
      user: 'admin',
      host: 'kvm1.example.org',
      port: 2222,
      path: '/system',
      params: { socket: '/run/x y', mode: 'legacy', foo: 'bar' },
      remoteName: 'qemu:///system?foo=bar',
    });
    expect(parseLibvirtUri('qemu+tcp://[::1]:16509/system')).toMatchObject({
      host: '::1',
      port: 16509,
    });
  });

  it('honours ?name= as the daemon-side URI', () => {
    expect(parseLibvirtUri('qemu+ssh://h/system?name=qemu:///session').remoteName).toBe(
      'qemu:///session',
    );
  });

  it('rejects what is not a libvirt URI', () => {
    for (const bad of ['', 'qemu', '/var/run/libvirt/libvirt-sock', 'qemu+ssh://h:99999/system']) {
      expect(() => parseLibvirtUri(bad)).toThrow(LibvirtUriError);
    }
  });
});

describe('socketCandidates', () => {
  it('tries libvirtd, then the split daemon of the driver; -ro for read-only', () => {
    expect(socketCandidates('qemu', false, '/r')).toEqual(['/r/libvirt-sock', '/r/virtqemud-sock']);
    expect(socketCandidates('qemu', true, '/r')).toEqual([
      '/r/libvirt-sock-ro',
      '/r/virtqemud-sock-ro',
    ]);
    expect(socketCandidates('test', false, '/r')).toEqual(['/r/libvirt-sock']);
  });
});
