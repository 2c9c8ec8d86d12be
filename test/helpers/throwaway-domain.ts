import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { virsh } from './virsh';

/**
 * A small guest a suite makes and removes itself, so that the bed's four domains, which
 * other suites measure, are left alone. Each suite has its own name and UUID.
 */
export interface ThrowawayDomain {
  readonly name: string;
  readonly uuid: string;
}

/** Kernel and initramfs the bed's guests boot (test/bed/.cache), read from a bed domain's XML. */
function bedBootFiles(uri: string, bedDomain: string): { kernel: string; initrd: string } {
  const xml = virsh(uri, 'dumpxml', bedDomain);
  const kernel = /<kernel>([^<]+)<\/kernel>/.exec(xml)?.[1];
  const initrd = /<initrd>([^<]+)<\/initrd>/.exec(xml)?.[1];
  if (!kernel || !initrd) throw new Error(`${bedDomain} boots no kernel/initrd`);
  return { kernel, initrd };
}

/**
 * Writes the domain's XML to a fresh temporary folder (which also takes its serial log) and
 * returns the file: the bed's kernel and initramfs with load=idle, a VNC display, a virtio
 * balloon without a stats period (the engine must set one), 2 vCPU slots of which 1 is online.
 */
export function writeThrowawayDomainXml(
  uri: string,
  domain: ThrowawayDomain,
  bedDomain: string,
): string {
  const { kernel, initrd } = bedBootFiles(uri, bedDomain);
  const dir = mkdtempSync(join(tmpdir(), `${domain.name}-`));
  const xml = `<domain type='qemu'>
  <name>${domain.name}</name>
  <uuid>${domain.uuid}</uuid>
  <memory unit='MiB'>128</memory>
  <currentMemory unit='MiB'>128</currentMemory>
  <vcpu current='1'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${kernel}</kernel>
    <initrd>${initrd}</initrd>
    <cmdline>console=ttyS0 quiet load=idle</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <serial type='file'><source path='${dir}/serial.log'/><target port='0'/></serial>
    <graphics type='vnc' listen='127.0.0.1' autoport='yes'/>
    <memballoon model='virtio'/>
  </devices>
</domain>
`;
  const file = join(dir, `${domain.name}.xml`);
  writeFileSync(file, xml);
  return file;
}

/** Removes the domain if it exists (an earlier run may have left it behind). */
export function removeThrowawayDomain(uri: string, domain: ThrowawayDomain): void {
  for (const args of [
    ['destroy', domain.name],
    ['undefine', domain.name],
  ]) {
    try {
      virsh(uri, ...args);
    } catch {
      // not running / not defined
    }
  }
}

/** Defines (does not start) the domain afresh; returns its XML file. */
export function defineThrowawayDomain(
  uri: string,
  domain: ThrowawayDomain,
  bedDomain: string,
): string {
  removeThrowawayDomain(uri, domain);
  const file = writeThrowawayDomainXml(uri, domain, bedDomain);
  virsh(uri, 'define', file);
  return file;
}
