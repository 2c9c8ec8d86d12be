import { ProcParseError } from './proc-parse-error';
import { clip, fields, lines, parseCounter, parseSafeInteger } from './numbers';

/**
 * One line of /proc/diskstats (Documentation/admin-guide/iostats.rst). Sectors are
 * always 512 bytes whatever the device's block size. The kernel keeps some of these
 * in 32-bit or `unsigned long` fields, so they wrap: rates treat a decrease as "no rate".
 */
export interface DiskStats {
  major: number;
  minor: number;
  name: string;
  readsCompleted: bigint;
  readsMerged: bigint;
  sectorsRead: bigint;
  readTimeMs: bigint;
  writesCompleted: bigint;
  writesMerged: bigint;
  sectorsWritten: bigint;
  writeTimeMs: bigint;
  /** I/Os in flight now (a gauge, not a counter). */
  ioInProgress: number;
  /** Time the device had I/O in flight, ms: the base of %util. */
  ioTimeMs: bigint;
  weightedIoTimeMs: bigint;
  /** Linux 4.18+ (18 or 20 fields); null on older kernels. */
  discards: {
    completed: bigint;
    merged: bigint;
    sectors: bigint;
    timeMs: bigint;
  } | null;
  /** Linux 5.5+ (20 fields); null on older kernels. */
  flushes: { completed: bigint; timeMs: bigint } | null;
}

const file = 'diskstats';

/** Parses /proc/diskstats: 14 fields per line (Linux 2.6.25+), 18 (4.18+) or 20 (5.5+). */
export function parseDiskstats(text: string): DiskStats[] {
  const disks: DiskStats[] = [];
  const seen = new Set<string>();
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const t = fields(all[i] as string);
    const at = { file, line: i + 1 };
    if (t.length !== 14 && t.length !== 18 && t.length !== 20) {
      throw new ProcParseError(file, at.line, `${t.length} fields, expected 14, 18 or 20`);
    }
    const name = t[2] as string;
    if (seen.has(name)) throw new ProcParseError(file, at.line, `second line for '${clip(name)}'`);
    seen.add(name);
    const c = (index: number, what: string): bigint =>
      parseCounter(t[index], `${name} ${what}`, at);
    disks.push({
      major: parseSafeInteger(t[0], 'major', at),
      minor: parseSafeInteger(t[1], 'minor', at),
      name,
      readsCompleted: c(3, 'reads completed'),
      readsMerged: c(4, 'reads merged'),
      sectorsRead: c(5, 'sectors read'),
      readTimeMs: c(6, 'read time'),
      writesCompleted: c(7, 'writes completed'),
      writesMerged: c(8, 'writes merged'),
      sectorsWritten: c(9, 'sectors written'),
      writeTimeMs: c(10, 'write time'),
      ioInProgress: parseSafeInteger(t[11], `${name} I/Os in progress`, at),
      ioTimeMs: c(12, 'I/O time'),
      weightedIoTimeMs: c(13, 'weighted I/O time'),
      discards:
        t.length >= 18
          ? {
              completed: c(14, 'discards completed'),
              merged: c(15, 'discards merged'),
              sectors: c(16, 'sectors discarded'),
              timeMs: c(17, 'discard time'),
            }
          : null,
      flushes:
        t.length === 20
          ? { completed: c(18, 'flushes completed'), timeMs: c(19, 'flush time') }
          : null,
    });
  }
  return disks;
}
