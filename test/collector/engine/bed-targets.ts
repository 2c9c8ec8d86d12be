import type { HostTarget } from '../../../src/collector/engine/host-target';
import type { BedDescription } from '../../helpers/bed';
import { bedSshKeyLogin } from '../../helpers/bed-ssh';

/** The bed's sshd as a host target (key auth, the bed's known_hosts). */
export function bedSshTarget(bed: BedDescription, id = 'bed-ssh'): HostTarget {
  return {
    id,
    ssh: { ...bedSshKeyLogin(bed), connectTimeoutMs: 5_000 },
    libvirtUri: bed.libvirt.uri,
  };
}
