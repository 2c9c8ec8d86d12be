import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BedDescription } from '../../helpers/bed';

/** bed.json fields beyond BedDescription that up.sh writes. */
export interface BedLibvirtExtras {
  fleetUri?: string;
  fleetSize?: number;
  controlScript?: string;
}

export function libvirtExtras(bed: BedDescription): BedLibvirtExtras {
  return bed.libvirt as unknown as BedLibvirtExtras;
}

export function virsh(uri: string, ...args: string[]): string {
  return execFileSync('virsh', ['-q', '-c', uri, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const execFileAsync = promisify(execFile);

/**
 * virsh without blocking the event loop, so events are timestamped when they arrive. Starting
 * a domain can take minutes on this bed: libvirtd re-probes QEMU's capabilities first.
 */
export async function virshAsync(uri: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('virsh', ['-q', '-c', uri, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  return stdout;
}

/** `virsh domstats --raw`, parsed: domain name -> field -> raw text. */
export function virshDomstats(uri: string, ...args: string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const line of execFileSync('virsh', ['-c', uri, 'domstats', '--raw', ...args], {
    encoding: 'utf8',
  }).split('\n')) {
    const domain = /^Domain: '(.*)'$/.exec(line);
    if (domain) {
      current = new Map();
      out.set(domain[1] ?? '', current);
    } else if (current && line.includes('=')) {
      const at = line.indexOf('=');
      current.set(line.slice(0, at).trim(), line.slice(at + 1));
    }
  }
  return out;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const TEST_DOMAIN = 'bed-lv-test';
export const TEST_DOMAIN_UUID = '5e7a0b0d-0000-4000-8000-0000000000f1';

/**
 * XML of this suite's own small transient guest: the bed's kernel and initramfs (load=idle),
 * a VNC display, a virtio balloon without a stats period, 2 vCPU slots of which 1 is online.
 */
export function testDomainXml(kernel: string, initrd: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bed-lv-test-'));
  return `<domain type='qemu'>
  <name>${TEST_DOMAIN}</name>
  <uuid>${TEST_DOMAIN_UUID}</uuid>
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
}

/** Kernel and initramfs of the bed's guests, read from a bed domain's XML. */
export function bedBootFiles(uri: string, domain: string): { kernel: string; initrd: string } {
  const xml = virsh(uri, 'dumpxml', domain);
  const kernel = /<kernel>([^<]+)<\/kernel>/.exec(xml)?.[1];
  const initrd = /<initrd>([^<]+)<\/initrd>/.exec(xml)?.[1];
  if (!kernel || !initrd) throw new Error(`${domain} boots no kernel/initrd`);
  return { kernel, initrd };
}

export function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lv-')), name);
  writeFileSync(path, text);
  return path;
}

/** Removes this suite's domain if an earlier run left it behind. */
export function removeTestDomain(uri: string): void {
  try {
    virsh(uri, 'destroy', TEST_DOMAIN);
  } catch {
    // not running
  }
  try {
    virsh(uri, 'undefine', TEST_DOMAIN);
  } catch {
    // not defined
  }
}

/**
 * A VNC client's opening: RFB 003.008, security type 1 (none), ClientInit, ServerInit; then
 * holds the connection until `release` resolves. Resolves with the local port it used.
 */
export function rfbSession(
  port: number,
  hold: Promise<void>,
): Promise<{ localPort: number; done: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffered = Buffer.alloc(0);
    let stage = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`RFB handshake with port ${port} stalled at stage ${stage}`));
    }, 15_000);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 0 && buffered.length >= 12) {
        if (!buffered.subarray(0, 4).equals(Buffer.from('RFB ')))
          reject(new Error('not an RFB server'));
        buffered = buffered.subarray(12);
        socket.write('RFB 003.008\n');
        stage = 1;
      }
      if (stage === 1 && buffered.length >= 1 && buffered.length >= 1 + (buffered[0] ?? 0)) {
        const types = [...buffered.subarray(1, 1 + (buffered[0] ?? 0))];
        if (!types.includes(1))
          reject(new Error(`server offers no "none" security: ${types.join(',')}`));
        buffered = buffered.subarray(1 + (buffered[0] ?? 0));
        socket.write(Buffer.from([1]));
        stage = 2;
      }
      if (stage === 2 && buffered.length >= 4) {
        if (buffered.readUInt32BE(0) !== 0) reject(new Error('RFB security handshake failed'));
        buffered = buffered.subarray(4);
        socket.write(Buffer.from([1]));
        stage = 3;
      }
      if (
        stage === 3 &&
        buffered.length >= 24 &&
        buffered.length >= 24 + buffered.readUInt32BE(20)
      ) {
        stage = 4;
        clearTimeout(timer);
        const done = hold.then(
          () =>
            new Promise<void>((closed) => {
              socket.once('close', () => closed());
              socket.end();
            }),
        );
        resolve({ localPort: socket.localPort ?? 0, done });
      }
    });
  });
}
