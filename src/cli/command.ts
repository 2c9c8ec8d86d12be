/** Where a command writes; tests pass their own streams. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT/SIGTERM so long-running commands can close cleanly. */
  signal: AbortSignal;
}

export interface Command {
  /** One line for `setmov --help`. */
  summary: string;
  /** Full usage text for `setmov <name> --help`. */
  usage: string;
  /** Returns the process exit code. Throws UsageError for bad arguments. */
  run(args: string[], io: CommandIo): Promise<number>;
}
