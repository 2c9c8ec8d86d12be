import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './ensure-build';

export interface ServeProcess {
  child: ChildProcess;
  /** The URL it printed, token included: what the admin opens. */
  url: string;
  /** Scheme, host and port, e.g. http://127.0.0.1:7420 */
  origin: string;
  token: string;
  /** Everything the process wrote so far. */
  output: () => { stdout: string; stderr: string };
  /** Sends SIGINT and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts the real `setmov serve` on a free port and waits for the URL it prints; `env`
 * is its environment (this process's by default).
 */
export function startServe(
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'bin', 'setmov.js'), 'serve', '--port', '0', ...args],
    {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`setmov serve printed no URL in 30 s; stderr: ${stderr}`));
    }, 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
      const match = /SETMOV console at (https?:\/\/\S+)/.exec(stdout);
      if (match?.[1] && !started) {
        started = true;
        clearTimeout(timer);
        const url = new URL(match[1]);
        resolve({
          child,
          url: match[1],
          origin: url.origin,
          token: url.searchParams.get('token') ?? '',
          output: () => ({ stdout, stderr }),
          stop: () => {
            if (child.exitCode === null) child.kill('SIGINT');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(`setmov serve exited with ${code} before printing its URL; stderr: ${stderr}`),
      );
    });
  });
}
