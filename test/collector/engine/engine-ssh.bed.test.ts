import { describeBed } from '../../helpers/bed';
import { bedSshKeyLogin } from '../../helpers/bed-ssh';
import { engineAcceptance } from './bed-acceptance';
import { PAUSED_STRANGER_SSH } from './own-domain';

describeBed('collector engine over SSH (one connection for /proc and libvirt)', (bed) => {
  engineAcceptance(
    bed,
    () => ({
      id: 'bed-ssh',
      ssh: bedSshKeyLogin(bed),
      libvirtUri: bed.libvirt.uri,
    }),
    PAUSED_STRANGER_SSH,
  );
});
