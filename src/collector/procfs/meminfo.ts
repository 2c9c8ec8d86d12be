import { ProcParseError } from './proc-parse-error';
import { clip, fields, lines, parseSafeInteger } from './numbers';

/**
 * Every field of /proc/meminfo, as printed. Sizes (the kernel's "kB", which are
 * KiB) are converted to bytes; unitless fields (HugePages_Total, ...) are counts.
 * A field the kernel does not print is absent from both maps, never 0.
 */
export interface Meminfo {
  bytes: ReadonlyMap<string, number>;
  counts: ReadonlyMap<string, number>;
  /** MemTotal in bytes, which every kernel prints. */
  memTotalBytes: number;
  /** MemFree in bytes. */
  memFreeBytes: number;
  /** MemAvailable in bytes; absent before Linux 3.14. */
  memAvailableBytes?: number;
  buffersBytes?: number;
  cachedBytes?: number;
}

const file = 'meminfo';
const fieldName = /^[A-Za-z0-9_()]+$/;

/** Parses /proc/meminfo. */
export function parseMeminfo(text: string): Meminfo {
  const bytes = new Map<string, number>();
  const counts = new Map<string, number>();
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    const at = { file, line: i + 1 };
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ProcParseError(file, at.line, `no 'Name:' in '${clip(line)}'`);
    const name = line.slice(0, colon);
    if (!fieldName.test(name))
      throw new ProcParseError(file, at.line, `bad field name '${clip(name)}'`);
    if (bytes.has(name) || counts.has(name)) {
      throw new ProcParseError(file, at.line, `second ${name} line`);
    }
    const rest = fields(line.slice(colon + 1));
    const value = parseSafeInteger(rest[0], name, at);
    if (rest.length === 1) {
      counts.set(name, value);
    } else if (rest.length === 2 && rest[1] === 'kB') {
      const inBytes = value * 1024;
      if (!Number.isSafeInteger(inBytes))
        throw new ProcParseError(file, at.line, `${name} is too large`);
      bytes.set(name, inBytes);
    } else {
      throw new ProcParseError(file, at.line, `${name}: expected '<number> kB' or '<number>'`);
    }
  }
  const memTotalBytes = bytes.get('MemTotal');
  const memFreeBytes = bytes.get('MemFree');
  if (memTotalBytes === undefined) throw new ProcParseError(file, null, 'no MemTotal line');
  if (memFreeBytes === undefined) throw new ProcParseError(file, null, 'no MemFree line');
  const result: Meminfo = { bytes, counts, memTotalBytes, memFreeBytes };
  const available = bytes.get('MemAvailable');
  if (available !== undefined) result.memAvailableBytes = available;
  const buffers = bytes.get('Buffers');
  if (buffers !== undefined) result.buffersBytes = buffers;
  const cached = bytes.get('Cached');
  if (cached !== undefined) result.cachedBytes = cached;
  return result;
}
