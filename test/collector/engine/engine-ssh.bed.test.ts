import { describeBed } from '../../helpers/bed';
import { bedSshKeyLogin } from '../../helpers/bed-ssh';
import { engineAcceptance } from './bed-acceptance';

describeBed('collector engine over SSH (one connection for /proc and libvirt)', (bed) => {
  engineAcceptance(bed, () => ({
    id: 'bed-ssh',
    ssh: bedSshKeyLogin(bed),
    libvirtUri: bed.libvirt.uri,
  }));
});
