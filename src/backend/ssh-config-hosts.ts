import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig, { LineType } from 'ssh-config';
import type { SshConfigHost } from '../shared/model/host-view';

/** The user's OpenSSH client configuration. */
export const defaultSshConfigPath = (): string => join(homedir(), '.ssh', 'config');

/** A Host pattern that names one host, not a family (`*`, `?`, `!`). */
const isPlainAlias = (alias: string): boolean => !/[*?!]/.test(alias);

const expandHome = (path: string): string =>
  path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;

function first(value: string | string[] | undefined): string | null {
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined || one === '' ? null : one;
}

/**
 * The hosts of ~/.ssh/config the connect dialog offers, each with what OpenSSH would use
 * for it (HostName, Port, User, the first IdentityFile). `Match exec` is never run: the
 * file is only read. No file: none offered.
 */
export async function sshConfigHosts(path = defaultSshConfigPath()): Promise<SshConfigHost[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const config = SSHConfig.parse(text);
  const aliases = new Set<string>();
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    const values = typeof line.value === 'string' ? [line.value] : line.value.map((v) => v.val);
    for (const alias of values.flatMap((v) => v.split(/\s+/))) {
      if (alias && isPlainAlias(alias)) aliases.add(alias);
    }
  }
  return [...aliases].map((alias) => {
    const computed = config.compute(alias, { ignoreCase: true, matchExec: false }) as Record<
      string,
      string | string[] | undefined
    >;
    const port = Number(first(computed['port']) ?? 22);
    const identityFile = first(computed['identityfile']);
    return {
      alias,
      hostName: first(computed['hostname']) ?? alias,
      port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 22,
      user: first(computed['user']),
      identityFile: identityFile === null ? null : expandHome(identityFile),
    };
  });
}
