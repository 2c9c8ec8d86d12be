import { describeBed } from '../../helpers/bed';
import { engineAcceptance } from './bed-acceptance';
import { PAUSED_STRANGER_LOCAL } from './own-domain';

describeBed('collector engine on this machine (local /proc, libvirt socket)', (bed) => {
  engineAcceptance(
    bed,
    () => ({ id: 'local', ssh: null, libvirtUri: bed.libvirt.uri }),
    PAUSED_STRANGER_LOCAL,
  );
});
