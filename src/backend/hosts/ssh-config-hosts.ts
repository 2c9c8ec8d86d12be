import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig, { LineType, type Line } from 'ssh-config';
import { readBoundedFile } from '../../collector/files/read-bounded-file';
import { wildcardMatch } from '../../collector/ssh/wildcard-match';
import { ContractError } from '../../shared/contract/reply';
import type { SshConfigHost } from '../../shared/model/host-view';

/** The user's OpenSSH client configuration. */
export const defaultSshConfigPath = (): string => join(homedir(), '.ssh', 'config');

/** Far more than a hand-written config holds; the file is read whole on each request. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Each alias is matched against every pattern of every Host line, so the patterns (and
 * the aliases, which are some of them) bound the work to patterns² matches.
 */
const MAX_HOST_PATTERNS = 1000;

/** A Host pattern that names one host, not a family (`*`, `?`, `!`). */
const isPlainAlias = (alias: string): boolean => !/[*?!]/.test(alias);

const expandHome = (path: string): string =>
  path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;

function valuesOf(line: Line & { type: LineType.DIRECTIVE }): string[] {
  const values = typeof line.value === 'string' ? [line.value] : line.value.map((v) => v.val);
  return values.flatMap((v) => v.split(/\s+/)).filter((v) => v !== '');
}

/** OpenSSH's Host rule: a matching `!pattern` vetoes the line, else any matching pattern applies it. */
function hostLineApplies(patterns: readonly string[], alias: string): boolean {
  let applies = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (!wildcardMatch(negated ? pattern.slice(1) : pattern, alias)) continue;
    if (negated) return false;
    applies = true;
  }
  return applies;
}

type Wanted = 'hostname' | 'port' | 'user' | 'identityfile';
const wanted = new Set<string>(['hostname', 'port', 'user', 'identityfile']);

/**
 * What OpenSSH would use for an alias: the first value obtained for each wanted keyword,
 * from the lines before any Host and from each Host block that applies. Match blocks are
 * skipped, never evaluated: `Match exec` would run a command. The library's compute() is
 * not used: its glob is a regex of `.*` runs that backtracks exponentially.
 */
function settingsFor(config: SSHConfig, alias: string): Partial<Record<Wanted, string>> {
  const found: Partial<Record<Wanted, string>> = {};
  const take = (line: Line): void => {
    if (line.type !== LineType.DIRECTIVE) return;
    const keyword = line.param.toLowerCase();
    const [value] = valuesOf(line);
    if (wanted.has(keyword) && value !== undefined) found[keyword as Wanted] ??= value;
  };
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE) continue;
    const keyword = line.param.toLowerCase();
    if (keyword === 'host') {
      if ('config' in line && hostLineApplies(valuesOf(line), alias)) line.config.forEach(take);
    } else if (keyword !== 'match') {
      take(line);
    }
  }
  return found;
}

async function readConfig(path: string): Promise<string | null> {
  try {
    return (await readBoundedFile(path, MAX_CONFIG_BYTES)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const reason =
      (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'error');
    throw new ContractError('failed', `cannot read the SSH config (${reason})`);
  }
}

/**
 * The hosts of ~/.ssh/config the connect dialog offers, each with what OpenSSH would use
 * for it (HostName, Port, User, the first IdentityFile). No file: none offered.
 */
export async function sshConfigHosts(path = defaultSshConfigPath()): Promise<SshConfigHost[]> {
  const text = await readConfig(path);
  if (text === null) return [];
  const config = SSHConfig.parse(text);
  const hostPatterns = config.flatMap((line) =>
    line.type === LineType.DIRECTIVE && line.param.toLowerCase() === 'host' ? valuesOf(line) : [],
  );
  if (hostPatterns.length > MAX_HOST_PATTERNS) {
    throw new ContractError(
      'failed',
      `${path}: more than ${MAX_HOST_PATTERNS} Host patterns, more than the dialog can offer`,
    );
  }
  const aliases = new Set(hostPatterns.filter(isPlainAlias));
  return [...aliases].map((alias) => {
    const settings = settingsFor(config, alias);
    const port = Number(settings.port ?? 22);
    return {
      alias,
      hostName: settings.hostname ?? alias,
      port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 22,
      user: settings.user ?? null,
      identityFile: settings.identityfile === undefined ? null : expandHome(settings.identityfile),
    };
  });
}
