import { procFilesPerReading } from '../host/host-source';
import type { ProcFileName } from '../host/host-source';
import { maxProcFileBytes } from './proc-reply-limits';
import { RemoteProcReadError, RemoteProcTooLargeError } from './ssh-errors';

const newline = 0x0a;
const nothing = Buffer.alloc(0);
/** After the boundary: 'MISSING diskstats', 'BEGIN <id>', 'END <id>'; ids are short counters. */
const maxMarkerTextBytes = 40;
/**
 * What may come before a reader's first reply: the account's shell startup files may
 * print a banner on stdout before our command runs. It is skipped, up to this much.
 */
const maxPreambleBytes = 64 * 1024;

interface FileInProgress {
  file: ProcFileName;
  /** Copies: ssh2 may reuse the memory of the chunks it hands out. */
  chunks: Buffer[];
  bytes: number;
  /** False for a file reported MISSING: its text is counted, then dropped. */
  kept: boolean;
}

/**
 * Reads one reply of the reading protocol (proc-reading-protocol.ts) as its bytes arrive
 * and hands back its files once the END marker came. Every byte is looked at once, and a
 * file that grows past its limit (proc-reply-limits.ts) fails the reading at that chunk,
 * so an oversized reply is never held whole. That bounds the reply too: every byte of it
 * is a file's or a marker line's (no text between BEGIN and the first file, none after
 * END, marker lines of at most ~80 bytes, a bounded preamble before BEGIN), and each file
 * has at most two markers (FILE, then MISSING when it cannot be read).
 *
 * Malformed framing fails at once: the stream is then out of step and its reader must be
 * closed (`inStep` false). A missing or absent file is found at the END marker, with the
 * stream still in step.
 */
export class ReadingReplyParser {
  /** True once the reply ended exactly at its END marker: the stream can carry the next one. */
  inStep = false;
  private phase: 'begin' | 'body' | 'ended' = 'begin';
  private preambleBytes = 0;
  /** Bytes held back because they may be the start of a marker line. */
  private carry = nothing;
  /** Whether the next byte starts a line. */
  private atLineStart = true;
  private current: FileInProgress | null = null;
  private readonly files = new Map<ProcFileName, Buffer[]>();
  private readonly named = new Set<ProcFileName>();
  private firstMissing: ProcFileName | null = null;
  private readonly prefix: Buffer;
  /** A marker line as found inside text: the newline that ends the line before it, then the prefix. */
  private readonly needle: Buffer;

  constructor(
    boundary: string,
    private readonly id: string,
    private readonly host: string,
  ) {
    this.prefix = Buffer.from(`${boundary} `, 'latin1');
    this.needle = Buffer.from(`\n${boundary} `, 'latin1');
  }

  /**
   * Takes the next chunk of output: the reply's files once it is complete, else null.
   * Throws a RemoteProcReadError (RemoteProcTooLargeError past a limit); the parser is
   * not to be used after it threw or completed.
   */
  push(chunk: Buffer): Record<ProcFileName, string> | null {
    if (this.phase === 'ended') {
      this.inStep = false;
      throw this.malformed('output after the end marker');
    }
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = nothing;
    let at = 0;
    while (at < data.length) {
      if (this.atLineStart && this.startsMarker(data, at)) {
        if (data.length - at < this.prefix.length) return this.holdBack(data, at);
        const end = data.indexOf(newline, at + this.prefix.length);
        const lineBytes = (end < 0 ? data.length : end) - at;
        if (lineBytes > this.prefix.length + maxMarkerTextBytes) {
          throw this.malformed('a marker line is too long');
        }
        if (end < 0) return this.holdBack(data, at);
        const ended = this.marker(data.toString('latin1', at + this.prefix.length, end));
        at = end + 1;
        if (ended) {
          if (at < data.length) throw this.malformed('output after the end marker');
          return this.finish();
        }
        continue;
      }
      const next = data.indexOf(this.needle, at);
      if (next >= 0) {
        this.text(data.subarray(at, next + 1));
        at = next + 1;
        this.atLineStart = true;
        continue;
      }
      // The chunk may end inside a marker line's prefix: hold back what follows its last newline.
      const lastNewline = data.lastIndexOf(newline);
      if (lastNewline >= at && data.length - lastNewline - 1 < this.prefix.length) {
        this.text(data.subarray(at, lastNewline + 1));
        return this.holdBack(data, lastNewline + 1);
      }
      this.text(data.subarray(at));
      this.atLineStart = false;
      return null;
    }
    return null;
  }

  /** Whether the bytes at `at` match the marker prefix as far as they go. */
  private startsMarker(data: Buffer, at: number): boolean {
    const length = Math.min(this.prefix.length, data.length - at);
    return data.compare(this.prefix, 0, length, at, at + length) === 0;
  }

  private holdBack(data: Buffer, from: number): null {
    this.carry = from === data.length ? nothing : Buffer.from(data.subarray(from));
    this.atLineStart = true;
    return null;
  }

  /** Takes one marker line (the text after the boundary); true for the END marker. */
  private marker(text: string): boolean {
    if (this.phase === 'begin') {
      if (text !== `BEGIN ${this.id}`) {
        throw this.malformed('it does not start with the reading marker');
      }
      this.phase = 'body';
      return false;
    }
    const [keyword, name, ...extra] = text.split(' ');
    if (keyword === 'END' && name === this.id && extra.length === 0) {
      this.phase = 'ended';
      return true;
    }
    const file = procFilesPerReading.find((f) => f === name);
    if (!file || extra.length > 0 || (keyword !== 'FILE' && keyword !== 'MISSING')) {
      throw this.malformed(`unexpected marker '${text}'`);
    }
    // Both readers print FILE and then, when the file cannot be read, MISSING for it.
    const failedRead = keyword === 'MISSING' && this.current?.file === file && this.current.kept;
    if (this.named.has(file) && !failedRead) {
      throw new RemoteProcReadError(this.host, file, 'malformed reply: the file appears twice');
    }
    this.named.add(file);
    const kept = keyword === 'FILE';
    if (kept) this.files.set(file, []);
    else {
      this.files.delete(file);
      this.firstMissing ??= file;
    }
    this.current = { file, chunks: this.files.get(file) ?? [], bytes: 0, kept };
    return false;
  }

  private text(bytes: Buffer): void {
    if (this.phase === 'begin') {
      this.preambleBytes += bytes.length;
      if (this.preambleBytes > maxPreambleBytes) {
        throw this.malformed(`more than ${maxPreambleBytes} bytes before the reading marker`);
      }
      return;
    }
    const current = this.current;
    if (current === null) throw this.malformed('text before the first file marker');
    current.bytes += bytes.length;
    const limit = maxProcFileBytes[current.file];
    if (current.bytes > limit) throw new RemoteProcTooLargeError(this.host, current.file, limit);
    if (current.kept) current.chunks.push(Buffer.from(bytes));
  }

  private finish(): Record<ProcFileName, string> {
    this.inStep = true;
    if (this.firstMissing !== null) {
      throw new RemoteProcReadError(
        this.host,
        this.firstMissing,
        'cannot be read (missing or permission denied)',
      );
    }
    const result = {} as Record<ProcFileName, string>;
    for (const file of procFilesPerReading) {
      const chunks = this.files.get(file);
      if (!chunks) throw new RemoteProcReadError(this.host, file, 'absent from the reply');
      result[file] = textOf(Buffer.concat(chunks));
    }
    return result;
  }

  private malformed(reason: string): RemoteProcReadError {
    return new RemoteProcReadError(this.host, null, `malformed reply: ${reason}`);
  }
}

/**
 * A file's text with one final newline. A failed cat leaves an empty line before its
 * MISSING marker and a file's own text never ends in an empty line, so trailing empty
 * lines are framing, not content.
 */
function textOf(bytes: Buffer): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === newline) end--;
  return end === 0 ? '' : `${bytes.toString('utf8', 0, end)}\n`;
}
