import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** `virsh domstats --raw` output that does not have the shape virsh prints. */
export class DomstatsParseError extends Error {
  override readonly name = 'DomstatsParseError';
}

/** Per domain name, its raw `key=value` stats as virsh printed them. */
export type DomstatsByDomain = Map<string, Map<string, string>>;

const domainHeader = /^Domain: '(.*)'$/;
const statLine = /^\s+([A-Za-z0-9_.-]+)=(.*)$/;

/** Parses the text of `virsh domstats --raw` (one `Domain: 'name'` block per domain). */
export function parseDomstats(text: string): DomstatsByDomain {
  const result: DomstatsByDomain = new Map();
  let current: Map<string, string> | null = null;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const header = domainHeader.exec(line);
    if (header) {
      const name = header[1] ?? '';
      if (result.has(name)) throw new DomstatsParseError(`domain '${name}' appears twice`);
      current = new Map();
      result.set(name, current);
      continue;
    }
    const stat = statLine.exec(line);
    if (!stat) throw new DomstatsParseError(`line ${index + 1} is not a stat: ${line}`);
    if (!current) throw new DomstatsParseError(`line ${index + 1} comes before any domain`);
    current.set(stat[1] ?? '', stat[2] ?? '');
  }
  return result;
}

/** A counter of one domain as a number; throws when missing or not a whole number. */
export function counter(stats: DomstatsByDomain, domain: string, key: string): number {
  const domainStats = stats.get(domain);
  if (!domainStats) throw new DomstatsParseError(`no stats for domain '${domain}'`);
  const raw = domainStats.get(key);
  if (raw === undefined) throw new DomstatsParseError(`domain '${domain}' has no ${key}`);
  if (!/^\d+$/.test(raw)) throw new DomstatsParseError(`${domain} ${key}=${raw} is not a counter`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new DomstatsParseError(`${domain} ${key}=${raw} is too large for a number`);
  }
  return value;
}

/** Sum of a per-device counter over all devices (`<prefix>.<i>.<suffix>` for i < <prefix>.count). */
export function deviceTotal(
  stats: DomstatsByDomain,
  domain: string,
  prefix: 'block' | 'net',
  suffix: string,
): number {
  const count = counter(stats, domain, `${prefix}.count`);
  let total = 0;
  for (let i = 0; i < count; i += 1) total += counter(stats, domain, `${prefix}.${i}.${suffix}`);
  return total;
}

const execFileAsync = promisify(execFile);

/** Runs `virsh -c <uri> domstats --raw <domains...>` and parses it. */
export async function readDomstats(uri: string, domains: string[]): Promise<DomstatsByDomain> {
  const { stdout } = await execFileAsync('virsh', ['-c', uri, 'domstats', '--raw', ...domains], {
    timeout: 30_000,
  });
  return parseDomstats(stdout);
}
