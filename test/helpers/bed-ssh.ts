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
