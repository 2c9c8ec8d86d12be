import { homedir } from 'node:os';
import { join } from 'node:path';

/** `~` and `~/…` as the shell would expand them for this user; any other path as it is. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
