import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the history lives unless the user picks another file: the platform's per-user
 * data directory (XDG on Linux, Application Support on macOS, %APPDATA% on Windows).
 */
export function defaultDbPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'setmov', 'setmov.db');
  }
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support', 'setmov', 'setmov.db');
  }
  const dataHome =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')
      ? env.XDG_DATA_HOME
      : join(home, '.local', 'share');
  return join(dataHome, 'setmov', 'setmov.db');
}
