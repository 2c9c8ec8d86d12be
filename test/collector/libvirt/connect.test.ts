import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { connectLibvirt, type RemoteStreamOpener } from '../../../src/collector/libvirt/connect';
import { LibvirtTransportError } from '../../../src/collector/libvirt/errors';
import { LibvirtUriError } from '../../../src/shared/libvirt-uri';

/** An SSH connection that refuses every channel and records what it was asked to run. */
function recordingOpener(): RemoteStreamOpener & { commands: string[]; sockets: string[] } {
  const commands: string[] = [];
  const sockets: string[] = [];
  return {
    commands,
    sockets,
    openUnixSocket(path: string): Promise<Duplex> {
      sockets.push(path);
      return Promise.reject(new Error('no forward'));
    },
    execStream(command: string): Promise<Duplex> {
      commands.push(command);
      return Promise.reject(new Error('no exec'));
    },
  };
}

describe('connectLibvirt over an SSH connection', () => {
  it('refuses a URI with parameters before it runs anything on the host', async () => {
    const ssh = recordingOpener();
    const uri = 'qemu:///system?netcat=perl&socket=-esystem("id > /tmp/owned")';
    await expect(connectLibvirt({ uri, ssh })).rejects.toThrow(LibvirtUriError);
    expect(ssh.commands).toEqual([]);
    expect(ssh.sockets).toEqual([]);
  });

  it('runs only its own fixed helpers, on its own socket paths', async () => {
    const ssh = recordingOpener();
    await expect(connectLibvirt({ uri: 'qemu:///system', ssh })).rejects.toThrow(
      LibvirtTransportError,
    );
    expect(ssh.sockets).toEqual([
      '/var/run/libvirt/libvirt-sock',
      '/var/run/libvirt/virtqemud-sock',
    ]);
    expect(ssh.commands).toEqual([
      "virt-ssh-helper 'qemu:///system'",
      "nc -U '/var/run/libvirt/libvirt-sock'",
      "socat - UNIX-CONNECT:'/var/run/libvirt/libvirt-sock'",
      "nc -U '/var/run/libvirt/virtqemud-sock'",
      "socat - UNIX-CONNECT:'/var/run/libvirt/virtqemud-sock'",
    ]);
  });
});
