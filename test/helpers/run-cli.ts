import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface RunCliOptions {
  /** Aborts the command as Ctrl-C would; default: never. */
  signal?: AbortSignal;
  /** Make stdout look like a terminal (commands redraw in place there). */
  tty?: boolean;
  /** Called with all stdout so far, each time more arrives. */
  onOutput?: (out: string) => void;
}

/** Runs `setmov <args>` in-process with captured output, as the user would see it. */
export async function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const stdout = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) stdout.isTTY = true;
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    options.onOutput?.(out);
  });
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const signal = options.signal ?? new AbortController().signal;
  const code = await main(args, { stdout, stderr, signal });
  return { code, out, err };
}
