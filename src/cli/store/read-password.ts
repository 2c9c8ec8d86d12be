import { UsageError } from '../usage-error';

export const passwordEnv = 'SETMOV_MYSQL_PASSWORD';

/**
 * The MySQL password for the CLI: from SETMOV_MYSQL_PASSWORD (set it to '' for an
 * account without one), else typed at a prompt that does not echo. Never from argv.
 */
export async function readMysqlPassword(
  prompt: string,
  env: NodeJS.ProcessEnv = process.env,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  const fromEnv = env[passwordEnv];
  if (fromEnv !== undefined) return fromEnv;
  if (!input.isTTY) {
    throw new UsageError(`no password: set ${passwordEnv} (empty for none) or run in a terminal`);
  }
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}
