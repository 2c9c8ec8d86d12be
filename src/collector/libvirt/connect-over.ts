import { connectSsh } from '../ssh/ssh-connection';
import type { SshTarget } from '../ssh/ssh-target';
import { connectLibvirt } from './connect';
import type { ConnectOptions } from './connect';
import type { LibvirtConnection } from './libvirt-connection';

/**
 * A libvirt connection on this machine, or through a host's sshd when `ssh` is given;
 * the SSH connection lives as long as the libvirt one. For one-off work (a resize, a
 * CLI call): the engine keeps its own, longer-lived connections.
 */
export async function connectLibvirtOver(
  ssh: SshTarget | null,
  options: Omit<ConnectOptions, 'ssh'>,
): Promise<LibvirtConnection> {
  if (!ssh) return connectLibvirt(options);
  const connection = await connectSsh({
    ...ssh,
    connectTimeoutMs: ssh.connectTimeoutMs ?? options.connectTimeoutMs,
  });
  try {
    const libvirt = await connectLibvirt({ ...options, ssh: connection });
    libvirt.onClose(() => void connection.close());
    return libvirt;
  } catch (error) {
    await connection.close();
    throw error;
  }
}
