import { describeBed } from '../../helpers/bed';
import { engineAcceptance } from './bed-acceptance';

describeBed('collector engine on this machine (local /proc, libvirt socket)', (bed) => {
  engineAcceptance(bed, () => ({ id: 'local', ssh: null, libvirtUri: bed.libvirt.uri }));
});
