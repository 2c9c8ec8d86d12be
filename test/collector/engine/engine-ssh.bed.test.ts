import { describeBed } from '../../helpers/bed';
import { engineAcceptance } from './bed-acceptance';

describeBed('collector engine over SSH (one connection for /proc and libvirt)', (bed) => {
  engineAcceptance(bed, () => ({
    id: 'bed-ssh',
    ssh: {
      host: bed.ssh.host,
      port: bed.ssh.port,
      username: bed.ssh.user,
      auth: { method: 'key', privateKeyFile: bed.ssh.identityFile },
      knownHostsFile: bed.ssh.knownHostsFile,
    },
    libvirtUri: bed.libvirt.uri,
  }));
});
