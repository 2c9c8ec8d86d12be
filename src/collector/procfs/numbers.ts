import { ProcParseError } from './proc-parse-error';

/** The kernel prints its counters as unsigned 64-bit decimals; anything larger is corrupt. */
const maxU64 = (1n << 64n) - 1n;
const decimalDigits = /^\d{1,20}$/;
const decimalFraction = /^\d{1,20}(?:\.\d{1,20})?$/;

/** Where a token came from, for the error message. */
export interface TokenPlace {
  file: string;
  line: number;
}

/** An unsigned 64-bit counter, exact (bigint) since jiffies and byte counters pass 2^53. */
export function parseCounter(token: string | undefined, what: string, at: TokenPlace): bigint {
  const digits = matchingToken(token, what, at, decimalDigits, 'an unsigned integer');
  const value = BigInt(digits);
  if (value > maxU64)
    throw new ProcParseError(at.file, at.line, `${what} exceeds 2^64-1: ${clip(digits)}`);
  return value;
}

/** An unsigned integer that must fit a JS number exactly (gauges, sizes, ids). */
export function parseSafeInteger(token: string | undefined, what: string, at: TokenPlace): number {
  const digits = matchingToken(token, what, at, decimalDigits, 'an unsigned integer');
  const value = Number(digits);
  if (!Number.isSafeInteger(value))
    throw new ProcParseError(at.file, at.line, `${what} is too large: ${clip(digits)}`);
  return value;
}

/** A non-negative decimal such as a load average or seconds of uptime. */
export function parseDecimal(token: string | undefined, what: string, at: TokenPlace): number {
  return Number(matchingToken(token, what, at, decimalFraction, 'a decimal number'));
}

/** The token if it is there and matches `pattern`; else an error saying it is not `kind`. */
function matchingToken(
  token: string | undefined,
  what: string,
  at: TokenPlace,
  pattern: RegExp,
  kind: string,
): string {
  if (token === undefined) throw new ProcParseError(at.file, at.line, `${what} missing`);
  if (!pattern.test(token))
    throw new ProcParseError(at.file, at.line, `${what} is not ${kind}: '${clip(token)}'`);
  return token;
}

/** Splits on runs of spaces and tabs, the way the kernel pads its columns. */
export function fields(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(/[ \t]+/);
}

/** Lines of a /proc file, without the empty string after the final newline. */
export function lines(text: string): string[] {
  const all = text.split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

/** Keeps error messages to one readable line whatever junk came in. */
export function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\x00-\x1f\x7f-\uffff]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}
