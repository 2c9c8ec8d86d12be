import { ProcParseError } from '../procfs/proc-parse-error';

/**
 * A host reading that failed: which host (the source's label), which file, and why.
 * Its message is the one line the CLI and the UI show.
 */
export class HostReadError extends Error {
  override readonly name = 'HostReadError';

  constructor(
    readonly host: string,
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${file}: ${reason}`, options);
  }

  /**
   * Wraps a read or parse failure of `file` (named as the user knows it, e.g.
   * '/proc/net/dev'); a ProcParseError keeps its line number.
   */
  static from(host: string, file: string, error: unknown): HostReadError {
    if (error instanceof HostReadError) return error;
    if (error instanceof ProcParseError) {
      const where = error.line === null ? '' : `line ${error.line}: `;
      return new HostReadError(host, file, `${where}${error.reason}`, { cause: error });
    }
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    const reason = typeof code === 'string' ? describeCode(code, message) : message;
    return new HostReadError(host, file, reason, { cause: error });
  }
}

function describeCode(code: string, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return message;
  }
}
