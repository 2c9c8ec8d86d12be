import { virsh } from './virsh';

/** The daemon's libvirt version and the hypervisor's, as `virsh version --daemon` says. */
export function libvirtVersions(uri: string): { daemon: string; hypervisor: string } {
  const text = virsh(uri, 'version', '--daemon');
  const daemon = /Running against daemon: (\d+\.\d+\.\d+)/.exec(text)?.[1];
  const hypervisor = /Running hypervisor: \S+ (\d+\.\d+\.\d+)/.exec(text)?.[1];
  if (!daemon || !hypervisor) throw new Error(`virsh version --daemon said: ${text}`);
  return { daemon, hypervisor };
}
