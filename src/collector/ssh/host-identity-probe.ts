import type { HostIdentity } from '../../shared/model/host-identity';
import { parseIpAddrShow } from '../host/ip-addr-show';
import { addressesOnRoutes, choosePrimaryIp } from '../host/primary-ip';
import { parseLocalAddresses } from '../procfs/fib-trie';
import type { Ipv4Route } from '../procfs/net-route';
import { parseNetRoute } from '../procfs/net-route';
import { ProcParseError } from '../procfs/proc-parse-error';
import { RemoteProcReadError } from './ssh-errors';
import { shCommand } from './shell-quote';

/**
 * One exec that prints every fact of the host identity as marked sections. Only the
 * first processor block of /proc/cpuinfo is sent (a 128-core host has 200 KB of it),
 * and fib_trie only when `ip` is missing.
 */
export function identityCommand(boundary: string): string {
  const script =
    `B=${boundary}; m() { printf '%s %s\\n' "$B" "$1"; }; ` +
    'm hostname; cat /proc/sys/kernel/hostname 2>/dev/null || hostname; ' +
    'm osrelease; cat /proc/sys/kernel/osrelease 2>/dev/null || uname -r; ' +
    "m cpus; grep -c '^cpu[0-9]' /proc/stat; " +
    "m cpuinfo; sed '/^$/q' /proc/cpuinfo 2>/dev/null; " +
    "m meminfo; grep '^MemTotal:' /proc/meminfo; " +
    'm route; cat /proc/net/route 2>/dev/null; ' +
    'm addr; ip -o -4 addr show 2>/dev/null || { m fib_trie; cat /proc/net/fib_trie 2>/dev/null; }; ' +
    'm end';
  return shCommand(script);
}

/**
 * The most the probe may print. Its sections are a few lines each but for the route and
 * address lists: ~128 bytes per IPv4 route of the main table, ~100 per address in `ip -o`
 * (or ~200 per fib_trie entry). A KVM host has tens of each; 4 MiB still fits 30 000.
 */
export const maxIdentityOutputBytes = 4 * 1024 * 1024;

function sections(output: string, boundary: string): Map<string, string> {
  const result = new Map<string, string>();
  let name: string | null = null;
  let lines: string[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(`${boundary} `)) {
      if (name !== null) result.set(name, lines.join('\n'));
      name = line.slice(boundary.length + 1);
      lines = [];
    } else if (name !== null) {
      lines.push(line);
    }
  }
  if (name !== null) result.set(name, lines.join('\n'));
  return result;
}

const cpuModelKeys = ['model name', 'cpu model', 'Processor', 'cpu', 'uarch', 'CPU part'];

function cpuModelOf(cpuinfo: string): string | null {
  const fields = new Map<string, string>();
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  for (const key of cpuModelKeys) {
    const value = fields.get(key);
    if (value) return value;
  }
  return null;
}

function routesOf(text: string, host: string): Ipv4Route[] {
  try {
    return parseNetRoute(text);
  } catch (error) {
    if (!(error instanceof ProcParseError)) throw error;
    const where = error.line === null ? '' : `line ${error.line}: `;
    throw new RemoteProcReadError(host, 'net/route', `${where}${error.reason}`);
  }
}

/** Turns the probe's output into a HostIdentity; a fact that cannot be missing is an error. */
export function parseIdentityOutput(output: string, boundary: string, host: string): HostIdentity {
  const s = sections(output, boundary);
  if (!s.has('end')) throw new RemoteProcReadError(host, null, 'host identity reply is truncated');
  const hostname = (s.get('hostname') ?? '').trim();
  if (hostname === '')
    throw new RemoteProcReadError(host, 'sys/kernel/hostname', 'empty host name');
  const kernelRelease = (s.get('osrelease') ?? '').trim();
  if (kernelRelease === '')
    throw new RemoteProcReadError(host, 'sys/kernel/osrelease', 'empty kernel release');
  const cpuCount = Number((s.get('cpus') ?? '').trim());
  if (!Number.isInteger(cpuCount) || cpuCount < 1) {
    throw new RemoteProcReadError(host, 'stat', 'no cpuN lines');
  }
  const memMatch = /^MemTotal:\s+(\d+)\s*kB/m.exec(s.get('meminfo') ?? '');
  if (!memMatch) throw new RemoteProcReadError(host, 'meminfo', 'no MemTotal line');
  const routes = routesOf(s.get('route') ?? '', host);
  const addresses = s.has('fib_trie')
    ? addressesOnRoutes(parseLocalAddresses(s.get('fib_trie') ?? ''), routes)
    : parseIpAddrShow(s.get('addr') ?? '');
  return {
    hostname,
    primaryIp: choosePrimaryIp(routes, addresses),
    cpuCount,
    cpuModel: cpuModelOf(s.get('cpuinfo') ?? ''),
    memoryTotalBytes: Number(memMatch[1]) * 1024,
    kernelRelease,
  };
}
