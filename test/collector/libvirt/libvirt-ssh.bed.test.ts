import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectLibvirt, type RemoteStreamOpener } from '../../../src/collector/libvirt/connect';
import type { LibvirtConnection } from '../../../src/collector/libvirt/libvirt-connection';
import { connectSsh, type SshConnection } from '../../../src/collector/ssh/ssh-connection';
import { LibvirtUriError } from '../../../src/shared/libvirt-uri';
import { describeBed, type BedDescription } from '../../helpers/bed';
import { bedSshKeyLogin } from '../../helpers/bed-ssh';
import { virsh, virshDomstats, virshUuidNames } from '../../helpers/virsh';

/** The same checks as locally, against whatever connection `open` gives. */
async function basicChecks(lv: LibvirtConnection, bed: BedDescription): Promise<void> {
  const uri = bed.libvirt.uri;
  expect(await lv.getHostname()).toBe(virsh(uri, 'hostname').trim());
  expect((await lv.nodeGetInfo()).cpus).toBe(
    Number(/CPU\(s\):\s+(\d+)/.exec(virsh(uri, 'nodeinfo'))?.[1]),
  );
  const list = (await lv.listAllDomains()).map((d) => `${d.uuid} ${d.name}`).sort();
  expect(list).toEqual(virshUuidNames(uri));
  const stats = await lv.getAllDomainStats(0);
  const theirs = virshDomstats(uri);
  for (const d of bed.domains) {
    const record = stats.find((r) => r.domain.uuid === d.uuid);
    expect((record?.params.keys() ?? []).sort(), d.name).toEqual(
      [...(theirs.get(d.name)?.keys() ?? [])].sort(),
    );
  }
}

describeBed('libvirt protocol client over the bed sshd', (bed) => {
  let ssh: SshConnection;
  beforeAll(async () => {
    ssh = await connectSsh(bedSshKeyLogin(bed));
  });
  afterAll(async () => {
    await ssh?.close();
  });

  it('speaks to the host socket through a stream-local forward', async () => {
    const lv = await connectLibvirt({ uri: bed.libvirt.uri, ssh });
    try {
      await basicChecks(lv, bed);
    } finally {
      await lv.close();
    }
    expect(ssh.closed).toBe(false);
  });

  it('refuses a qemu+ssh:// URI that names its own key and known_hosts, before connecting', async () => {
    const q = (s: string) => encodeURIComponent(s);
    const uri = `qemu+ssh://${bed.ssh.user}@${bed.ssh.host}:${bed.ssh.port}/system?keyfile=${q(bed.ssh.identityFile)}&known_hosts=${q(bed.ssh.knownHostsFile)}`;
    await expect(connectLibvirt({ uri })).rejects.toBeInstanceOf(LibvirtUriError);
  });

  it('falls back to virt-ssh-helper when stream-local forwarding is refused', async () => {
    const tried: string[] = [];
    const noForward: RemoteStreamOpener = {
      openUnixSocket: (path) => {
        tried.push(`forward ${path}`);
        return Promise.reject(new Error('administratively prohibited'));
      },
      execStream: (command) => {
        tried.push(command);
        return ssh.execStream(command) as Promise<Duplex>;
      },
    };
    const lv = await connectLibvirt({ uri: bed.libvirt.uri, ssh: noForward });
    try {
      await basicChecks(lv, bed);
    } finally {
      await lv.close();
    }
    expect(tried.at(-1)).toBe(`virt-ssh-helper 'qemu:///system'`);
  });

  it('falls back to nc -U, then socat, when there is no virt-ssh-helper either', async () => {
    const tried: string[] = [];
    const bare: RemoteStreamOpener = {
      openUnixSocket: () => Promise.reject(new Error('administratively prohibited')),
      execStream: (command) => {
        tried.push(command);
        // Pretend the helper is missing, as on a host without libvirt-clients.
        const real = command.startsWith('virt-ssh-helper')
          ? command.replace('virt-ssh-helper', 'no-such-helper')
          : command;
        return ssh.execStream(real) as Promise<Duplex>;
      },
    };
    const lv = await connectLibvirt({ uri: bed.libvirt.uri, ssh: bare, callTimeoutMs: 10_000 });
    try {
      expect(await lv.getHostname()).toBe(virsh(bed.libvirt.uri, 'hostname').trim());
    } finally {
      await lv.close();
    }
    // This bed has socat but no nc: nc's channel closes at once and the next way is tried.
    expect(tried.at(-1)).toMatch(
      /^(nc -U|socat - UNIX-CONNECT:)'\/var\/run\/libvirt\/libvirt-sock'$|^nc -U '\/var\/run\/libvirt\/libvirt-sock'$/,
    );
  });
});
