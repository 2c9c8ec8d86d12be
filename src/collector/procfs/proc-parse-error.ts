/**
 * Text of a /proc file that does not parse. Carries the file (relative to the proc
 * root, e.g. 'net/dev'), the 1-based line (null when the problem is the file as a
 * whole, e.g. a required line is missing) and why, so a user sees exactly what broke.
 */
export class ProcParseError extends Error {
  override readonly name = 'ProcParseError';

  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? `${file}: ${reason}` : `${file} line ${line}: ${reason}`);
  }
}
