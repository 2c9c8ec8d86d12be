import { randomBytes } from 'node:crypto';
import { procFilesPerReading } from '../host/host-source';
import { shCommand, shellQuote } from './shell-quote';

/*
 * How one reading travels. The remote side prints, for request <id>:
 *
 *   <B> BEGIN <id>
 *   <B> FILE stat
 *   ...the file's lines...
 *   <B> FILE meminfo          (followed by <B> MISSING <name> when it cannot be read)
 *   ...
 *   <B> END <id>
 *
 * B is a random 128-bit token chosen per channel, so no line of a /proc file can be
 * taken for a marker. ReadingReplyParser reads it back.
 */

/** A fresh boundary token (hex, safe inside shell and awk quoting). */
export function newBoundary(): string {
  return `SETMOV-${randomBytes(16).toString('hex')}`;
}

/** A proc root that checkedProcRoot accepted. */
export type ProcRoot = string & { readonly checked: 'proc-root' };

/**
 * Checks a proc root for the reader commands: an absolute path of plain characters, so
 * it passes through sh and awk's -v (which expands backslashes) unchanged.
 */
export function checkedProcRoot(procRoot: string): ProcRoot {
  if (!/^\/[A-Za-z0-9._+/-]*$/.test(procRoot)) {
    throw new RangeError(
      `proc root '${procRoot}' must be an absolute path of letters, digits and . _ + - /`,
    );
  }
  return (procRoot.replace(/\/+$/, '') || '/') as ProcRoot;
}

const defaultProcRoot = checkedProcRoot('/proc');

const fileList = procFilesPerReading.join(' ');

/**
 * The long-lived reader: one awk process that answers each line on its stdin with one
 * reading, reading the files itself (no process started per reading). mawk buffers a
 * pipe's input unless run with `-W interactive`, which other awks reject or ignore.
 */
export function loopReaderCommand(boundary: string, procRoot = defaultProcRoot): string {
  const program =
    `BEGIN { n = split("${fileList}", fs, " ") } ` +
    '{ id = $0; print B " BEGIN " id; ' +
    'for (i = 1; i <= n; i++) { f = R "/" fs[i]; print B " FILE " fs[i]; ' +
    'while ((r = (getline l < f)) > 0) print l; ' +
    'if (r < 0) print B " MISSING " fs[i]; close(f) } ' +
    'print B " END " id; fflush() }';
  const script =
    'if awk -W version 2>/dev/null | grep -q mawk; then set -- -W interactive; else set --; fi; ' +
    `exec awk "$@" -v B=${boundary} -v R=${shellQuote(procRoot)} '${program}'`;
  return shCommand(script);
}

/** One reading per exec, with cat: the fallback for hosts without a usable awk. */
export function singleReadingCommand(
  boundary: string,
  id: string,
  procRoot = defaultProcRoot,
): string {
  const script =
    `B=${boundary}; R=${shellQuote(procRoot)}; ` +
    `printf '%s BEGIN %s\\n' "$B" ${id}; ` +
    `for f in ${fileList}; do printf '%s FILE %s\\n' "$B" "$f"; ` +
    `cat "$R/$f" 2>/dev/null || printf '\\n%s MISSING %s\\n' "$B" "$f"; done; ` +
    `printf '%s END %s\\n' "$B" ${id}`;
  return shCommand(script);
}
