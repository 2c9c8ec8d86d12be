import { randomBytes } from 'node:crypto';
import { procFilesPerReading } from '../host/host-source';
import type { ProcFileName } from '../host/host-source';
import { RemoteProcReadError } from './ssh-errors';
import { shCommand } from './shell-quote';

/*
 * How one reading travels. The remote side prints, for request <id>:
 *
 *   <B> BEGIN <id>
 *   <B> FILE stat
 *   ...the file's lines...
 *   <B> FILE meminfo          (or <B> MISSING <name> when it cannot be read)
 *   ...
 *   <B> END <id>
 *
 * B is a random 128-bit token chosen per channel, so no line of a /proc file can be
 * taken for a marker.
 */

/** A fresh boundary token (hex, safe inside shell and awk quoting). */
export function newBoundary(): string {
  return `SETMOV-${randomBytes(16).toString('hex')}`;
}

const fileList = procFilesPerReading.join(' ');

/**
 * The long-lived reader: one awk process that answers each line on its stdin with one
 * reading, reading the files itself (no process started per reading). mawk buffers a
 * pipe's input unless run with `-W interactive`, which other awks reject or ignore.
 */
export function loopReaderCommand(boundary: string): string {
  const program =
    `BEGIN { n = split("${fileList}", fs, " ") } ` +
    '{ id = $0; print B " BEGIN " id; ' +
    'for (i = 1; i <= n; i++) { f = "/proc/" fs[i]; print B " FILE " fs[i]; ' +
    'while ((r = (getline l < f)) > 0) print l; ' +
    'if (r < 0) print B " MISSING " fs[i]; close(f) } ' +
    'print B " END " id; fflush() }';
  const script =
    'if awk -W version 2>/dev/null | grep -q mawk; then set -- -W interactive; else set --; fi; ' +
    `exec awk "$@" -v B=${boundary} '${program}'`;
  return shCommand(script);
}

/** One reading per exec, with cat: the fallback for hosts without a usable awk. */
export function singleReadingCommand(boundary: string, id: string): string {
  const script =
    `B=${boundary}; printf '%s BEGIN %s\\n' "$B" ${id}; ` +
    `for f in ${fileList}; do printf '%s FILE %s\\n' "$B" "$f"; ` +
    `cat "/proc/$f" 2>/dev/null || printf '\\n%s MISSING %s\\n' "$B" "$f"; done; ` +
    `printf '%s END %s\\n' "$B" ${id}`;
  return shCommand(script);
}

/** The marker that closes the reply to request `id`; it only counts at the start of a line. */
export function endMarker(boundary: string, id: string): string {
  return `\n${boundary} END ${id}\n`;
}

/**
 * Splits one reply (from its BEGIN line through its END line) back into files.
 * Anything off (a missing or unknown marker, a file twice, a truncated reply) is a
 * RemoteProcReadError naming the host and, where it is about one file, the file.
 */
export function splitReadingReply(
  reply: string,
  boundary: string,
  id: string,
  host: string,
): Record<ProcFileName, string> {
  const lines = reply.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== `${boundary} BEGIN ${id}`) {
    throw new RemoteProcReadError(
      host,
      null,
      'malformed reply: it does not start with the reading marker',
    );
  }
  if (lines[lines.length - 1] !== `${boundary} END ${id}` || lines.length < 2) {
    throw new RemoteProcReadError(host, null, 'truncated reply: the end marker is missing');
  }
  const files = new Map<ProcFileName, string[]>();
  const missing: ProcFileName[] = [];
  let current: string[] | null = null;
  const prefix = `${boundary} `;
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith(prefix)) {
      if (current === null) {
        if (line === '') continue;
        throw new RemoteProcReadError(
          host,
          null,
          'malformed reply: text before the first file marker',
        );
      }
      current.push(line);
      continue;
    }
    const [keyword, name, ...extra] = line.slice(prefix.length).split(' ');
    const file = procFilesPerReading.find((f) => f === name);
    if (!file || extra.length > 0 || (keyword !== 'FILE' && keyword !== 'MISSING')) {
      throw new RemoteProcReadError(
        host,
        null,
        `malformed reply: unexpected marker '${line.slice(prefix.length)}'`,
      );
    }
    if (keyword === 'MISSING') {
      missing.push(file);
      files.delete(file);
      // Whatever follows until the next marker belongs to the unreadable file: dropped.
      current = [];
      continue;
    }
    if (files.has(file)) {
      throw new RemoteProcReadError(host, file, 'malformed reply: the file appears twice');
    }
    current = [];
    files.set(file, current);
  }
  const [firstMissing] = missing;
  if (firstMissing !== undefined) {
    throw new RemoteProcReadError(
      host,
      firstMissing,
      'cannot be read (missing or permission denied)',
    );
  }
  const result = {} as Record<ProcFileName, string>;
  for (const file of procFilesPerReading) {
    const fileLines = files.get(file);
    if (!fileLines) throw new RemoteProcReadError(host, file, 'absent from the reply');
    // A failed cat leaves an empty line before its MISSING marker; a file's own text
    // never ends in an empty line, so trailing empties are framing, not content.
    while (fileLines.length > 0 && fileLines[fileLines.length - 1] === '') fileLines.pop();
    result[file] = fileLines.length > 0 ? `${fileLines.join('\n')}\n` : '';
  }
  return result;
}

/**
 * Collects channel output and hands out whole replies. Bounded, so a runaway peer cannot
 * fill memory, and linear: each byte is copied and scanned for the marker once.
 */
export class ReplyAccumulator {
  private buffer = Buffer.alloc(0);
  private length = 0;
  /** How far the buffer was already searched for `scannedMarker`. */
  private scanned = 0;
  private scannedMarker = '';

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /** False when the buffered output exceeds the bound (the chunk is then not kept). */
  push(chunk: Buffer): boolean {
    if (this.length + chunk.length > this.maxBytes) return false;
    if (this.length + chunk.length > this.buffer.length) {
      const grown = Buffer.alloc(
        Math.max(this.length + chunk.length, this.buffer.length * 2, 16 * 1024),
      );
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
    return true;
  }

  /** The text up to and including `marker`, removed from the buffer; null while incomplete. */
  take(marker: string): string | null {
    const needle = Buffer.from(marker, 'latin1');
    if (marker !== this.scannedMarker) {
      this.scannedMarker = marker;
      this.scanned = 0;
    }
    const from = Math.max(0, this.scanned - needle.length + 1);
    const at = this.buffer.subarray(0, this.length).indexOf(needle, from);
    if (at < 0) {
      this.scanned = this.length;
      return null;
    }
    const end = at + needle.length;
    const text = this.buffer.toString('utf8', 0, end);
    this.buffer.copy(this.buffer, 0, end, this.length);
    this.length -= end;
    this.scanned = 0;
    return text;
  }

  clear(): void {
    this.length = 0;
    this.scanned = 0;
  }
}
