import type { SshTarget } from '../../src/collector/ssh/ssh-target';
import type { BedDescription } from './bed';

/** The bed's sshd as an SSH target: its user, its private key, its known_hosts. */
export function bedSshKeyLogin(bed: BedDescription): SshTarget {
  return {
    host: bed.ssh.host,
    port: bed.ssh.port,
    username: bed.ssh.user,
    auth: { method: 'key', privateKeyFile: bed.ssh.identityFile },
    knownHostsFile: bed.ssh.knownHostsFile,
  };
}

/**
 * The setmov CLI's options for logging in with the bed's key and known_hosts: to the bed's
 * sshd, or to `destination` (USER@HOST:PORT).
 */
export function bedSshCliArgs(
  bed: BedDescription,
  destination = `${bed.ssh.user}@${bed.ssh.host}:${bed.ssh.port}`,
): string[] {
  return [
    '--ssh',
    destination,
    '--identity',
    bed.ssh.identityFile,
    '--known-hosts',
    bed.ssh.knownHostsFile,
  ];
}

/** The bed's sshd as a hosts.add request's SSH settings (key login; its host key to accept). */
export function bedSshSettings(bed: BedDescription) {
  return {
    host: bed.ssh.host,
    port: bed.ssh.port,
    username: bed.ssh.user,
    auth: { method: 'key' as const, identityFile: bed.ssh.identityFile },
  };
}
