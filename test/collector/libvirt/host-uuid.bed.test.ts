import { expect, it } from 'vitest';
import { hostUuidOf } from '../../../src/collector/libvirt/capabilities-xml';
import { connectLibvirt } from '../../../src/collector/libvirt/connect';
import { connectSsh } from '../../../src/collector/ssh/ssh-connection';
import { describeBed } from '../../helpers/bed';
import { bedSshKeyLogin } from '../../helpers/bed-ssh';
import { virsh } from '../../helpers/virsh';

describeBed('the host UUID of the bed libvirtd, reached twice', (bed) => {
  const uri = bed.libvirt.uri;

  it('is the one virsh capabilities says, locally and over SSH alike', async () => {
    const theirs = /<host>\s*<uuid>([0-9a-f-]{36})<\/uuid>/.exec(virsh(uri, 'capabilities'))?.[1];
    expect(theirs).toMatch(/^[0-9a-f-]{36}$/);

    const local = await connectLibvirt({ uri });
    try {
      expect(hostUuidOf(await local.getCapabilities())).toBe(theirs);
    } finally {
      await local.close();
    }

    // The bed's sshd is this machine: the same daemon, as an admin adding it twice reaches it.
    const ssh = await connectSsh(bedSshKeyLogin(bed));
    try {
      const remote = await connectLibvirt({ uri, ssh });
      try {
        expect(hostUuidOf(await remote.getCapabilities())).toBe(theirs);
      } finally {
        await remote.close();
      }
    } finally {
      await ssh.close();
    }
  });
});
