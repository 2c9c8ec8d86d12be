import { UsageError } from '../usage-error';

export const passwordEnv = 'SETMOV_MYSQL_PASSWORD';

/** The terminal a prompt reads from and writes to. */
export interface PromptIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
}

/** Where one CLI password may come from, first match wins. */
export interface PasswordSources {
  /** The variable that carries it (SETMOV_MYSQL_PASSWORD, SETMOV_SSH_PASSWORD); '' is a password too. */
  envName: string;
  env: NodeJS.ProcessEnv;
  /** --password-prompt: ask on the terminal. */
  prompt: boolean;
  promptText: string;
  /** A password saved for this target (the secret file); null when none is. */
  stored?: () => Promise<string | null>;
  terminal?: PromptIo;
}

/**
 * A password the way the mysql and ssh clients find one: the environment, then a prompt
 * only when asked for, then a saved one; undefined when there is none, and the caller
 * tries without. A cron job therefore never waits at a prompt. Never from argv, which
 * every user of the machine can read.
 */
export async function cliPassword(sources: PasswordSources): Promise<string | undefined> {
  const fromEnv = sources.env[sources.envName];
  if (fromEnv !== undefined) return fromEnv;
  if (sources.prompt) {
    return promptPassword(
      sources.promptText,
      sources.terminal ?? { input: process.stdin, output: process.stderr },
    );
  }
  return (await sources.stored?.()) ?? undefined;
}

/** Reads a line typed at a terminal without echoing it; Ctrl-C cancels. */
export async function promptPassword(prompt: string, { input, output }: PromptIo): Promise<string> {
  if (!input.isTTY) {
    throw new UsageError('--password-prompt needs a terminal to read the password from');
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
      input.off('end', onEnd);
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new UsageError('cancelled'));
        if (ch === '\u0004' && typed === '') return finish(new UsageError('no password typed'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    const onEnd = (): void => finish(new UsageError('no password typed'));
    input.on('data', onData);
    input.on('end', onEnd);
  });
}
