import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** This suite's own small guest; the bed's four domains are measured by others and left alone. */
export const OWN_DOMAIN = 'bed-engine-test';
export const OWN_DOMAIN_UUID = '5e7a0b0d-0000-4000-8000-0000000000e1';

export function virsh(uri: string, ...args: string[]): string {
  return execFileSync('virsh', ['-q', '-c', uri, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Kernel and initramfs the bed's guests boot (test/bed/.cache), read from a bed domain's XML. */
function bootFiles(uri: string, bedDomain: string): { kernel: string; initrd: string } {
  const xml = virsh(uri, 'dumpxml', bedDomain);
  const kernel = /<kernel>([^<]+)<\/kernel>/.exec(xml)?.[1];
  const initrd = /<initrd>([^<]+)<\/initrd>/.exec(xml)?.[1];
  if (!kernel || !initrd) throw new Error(`${bedDomain} boots no kernel/initrd`);
  return { kernel, initrd };
}

/**
 * Defines (not starts) the guest: load=idle, a VNC display, a virtio balloon without a stats
 * period (the engine must set one), 2 vCPU slots with 1 online. Returns the XML file.
 */
export function defineOwnDomain(uri: string, bedDomain: string): string {
  removeOwnDomain(uri);
  const { kernel, initrd } = bootFiles(uri, bedDomain);
  const dir = mkdtempSync(join(tmpdir(), `${OWN_DOMAIN}-`));
  const xml = `<domain type='qemu'>
  <name>${OWN_DOMAIN}</name>
  <uuid>${OWN_DOMAIN_UUID}</uuid>
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
  const file = join(dir, `${OWN_DOMAIN}.xml`);
  writeFileSync(file, xml);
  virsh(uri, 'define', file);
  return file;
}

/** Removes the guest if it exists (an earlier run may have left it). */
export function removeOwnDomain(uri: string): void {
  for (const args of [
    ['destroy', OWN_DOMAIN],
    ['undefine', OWN_DOMAIN],
  ]) {
    try {
      virsh(uri, ...args);
    } catch {
      // not running / not defined
    }
  }
}
