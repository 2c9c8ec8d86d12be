import type { HostTarget } from '../../../src/collector/engine/host-target';
import type { BedDescription } from '../../helpers/bed';

/** The bed's sshd as a host target (key auth, the bed's known_hosts). */
export function bedSshTarget(bed: BedDescription, id = 'bed-ssh'): HostTarget {
  return {
    id,
    ssh: {
      host: bed.ssh.host,
      port: bed.ssh.port,
      username: bed.ssh.user,
      auth: { method: 'key', privateKeyFile: bed.ssh.identityFile },
      knownHostsFile: bed.ssh.knownHostsFile,
      connectTimeoutMs: 5_000,
    },
    libvirtUri: bed.libvirt.uri,
  };
}
