import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/setmov.js', import.meta.url));

export interface SpawnedRun {
  code: number | null;
  out: string;
  err: string;
}

/** On a pseudo-terminal: what to type once `after` has been shown. */
export interface Typing {
  after: string;
  text: string;
}

/**
 * `setmov <args>` as its own process with exactly `env`. Without `typing`, stdin is not a
 * terminal, as in a cron job. With it, the command runs on a pseudo-terminal made by
 * util-linux `script` (whose stdout then carries the terminal's output, prompts
 * included), and `typing.text` is typed at the prompt.
 */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  typing?: Typing,
): Promise<SpawnedRun> {
  const argv = ['node', bin, ...args];
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child =
    typing === undefined
      ? spawn('node', argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : // -E never: script must not copy what is typed into its output itself.
        spawn('script', ['-qe', '-E', 'never', '-c', quoted, '/dev/null'], {
          env,
          stdio: ['pipe', 'pipe', 'pipe'],
        });
  let out = '';
  let err = '';
  let typed = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (typing && !typed && out.includes(typing.after)) {
      typed = true;
      child.stdin?.write(`${typing.text}\r`);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}
