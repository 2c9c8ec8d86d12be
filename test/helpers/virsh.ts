import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

/** virsh's answer as text; throws with its stderr when it fails. */
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

/** `virsh list --all --uuid --name` as sorted "UUID NAME" lines: every domain, running or not. */
export function virshUuidNames(uri: string): string[] {
  return virsh(uri, 'list', '--all', '--uuid', '--name')
    .split('\n')
    .map((l) => l.trim().split(/\s+/).join(' '))
    .filter(Boolean)
    .sort();
}
