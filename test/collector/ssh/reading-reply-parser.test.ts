import { describe, expect, it } from 'vitest';
import { procFilesPerReading } from '../../../src/collector/host/host-source';
import type { ProcFileName } from '../../../src/collector/host/host-source';
import { maxProcFileBytes } from '../../../src/collector/ssh/proc-reply-limits';
import { ReadingReplyParser } from '../../../src/collector/ssh/reading-reply-parser';
import {
  RemoteProcReadError,
  RemoteProcTooLargeError,
} from '../../../src/collector/ssh/ssh-errors';

const B = 'SETMOV-0123456789abcdef0123456789abcdef';
const host = 'root@kvm1:22';
const MiB = 1024 * 1024;

function reply(id: string, parts: string[]): string {
  return [`${B} BEGIN ${id}`, ...parts, `${B} END ${id}`, ''].join('\n');
}

function goodParts(): string[] {
  return procFilesPerReading.flatMap((f) => [`${B} FILE ${f}`, `${f} line 1`, `${f} line 2`]);
}

/** Feeds `chunks` to a fresh parser for request `id`: the files, null while incomplete. */
function parse(chunks: (string | Buffer)[], id = '7') {
  const parser = new ReadingReplyParser(B, id, host);
  let files: Record<ProcFileName, string> | null = null;
  for (const chunk of chunks) files = parser.push(Buffer.from(chunk));
  return { files, parser };
}

function parseError(text: string, id = '7'): RemoteProcReadError {
  try {
    parse([text], id);
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteProcReadError);
    return error as RemoteProcReadError;
  }
  throw new Error('expected a RemoteProcReadError');
}

describe('ReadingReplyParser: framing', () => {
  it('gives every file its own text', () => {
    const { files, parser } = parse([reply('7', goodParts())]);
    expect(Object.keys(files ?? {})).toEqual([...procFilesPerReading]);
    expect(files?.['net/dev']).toBe('net/dev line 1\nnet/dev line 2\n');
    expect(parser.inStep).toBe(true);
  });

  it('gives the same files whichever way the reply is cut into chunks', () => {
    const text = reply('7', [`${B} FILE stat`, '', `${B}`, ...goodParts().slice(1)]);
    const whole = parse([text]).files;
    expect(whole?.stat).toBe(`\n${B}\nstat line 1\nstat line 2\n`);
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse([text.slice(0, cut), text.slice(cut)]).files, `cut at ${cut}`).toEqual(whole);
    }
    expect(parse(text.split('')).files).toEqual(whole);
  });

  it('keeps lines that look like markers of another boundary, and empty files', () => {
    const parts = goodParts();
    parts.splice(1, 0, 'SETMOV-ffff BEGIN 7', `${B}X FILE stat`, ` ${B} FILE stat`);
    expect(parse([reply('7', parts)]).files?.stat).toBe(
      `SETMOV-ffff BEGIN 7\n${B}X FILE stat\n ${B} FILE stat\nstat line 1\nstat line 2\n`,
    );
    const empty = procFilesPerReading.flatMap((f) => [`${B} FILE ${f}`]);
    expect(parse([reply('7', empty)]).files?.diskstats).toBe('');
  });

  it('names the file that could not be read, as either reader reports it, and stays in step', () => {
    const catFailed = goodParts().flatMap((line) =>
      line === `${B} FILE diskstats` ? [line, '', `${B} MISSING diskstats`] : [line],
    );
    const awkFailed = goodParts().map((line) =>
      line === `${B} FILE diskstats` ? `${B} MISSING diskstats` : line,
    );
    for (const parts of [catFailed, awkFailed]) {
      const parser = new ReadingReplyParser(B, '7', host);
      const error = (() => {
        try {
          parser.push(Buffer.from(reply('7', parts)));
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(RemoteProcReadError);
      expect(error).toMatchObject({ file: 'diskstats', code: 'proc-read' });
      expect((error as Error).message).toBe(
        'root@kvm1:22: /proc/diskstats: cannot be read (missing or permission denied)',
      );
      expect(parser.inStep).toBe(true);
    }
  });

  it('rejects a reply without its start marker, or for another request', () => {
    expect(parseError(goodParts().join('\n')).message).toMatch(
      /does not start with the reading marker/,
    );
    expect(parseError(reply('6', goodParts())).message).toMatch(/does not start/);
  });

  it("skips a shell's banner before the first reply, up to 64 KiB", () => {
    const banner = 'Welcome to kvm1\n\nLast login: never\n';
    expect(parse([banner, reply('7', goodParts())]).files?.stat).toBe('stat line 1\nstat line 2\n');
    const endless = flood('', Buffer.alloc(64 * 1024, 'y\n'), 16 * MiB);
    expect((endless.error as Error).message).toBe(
      'root@kvm1:22: malformed reply: more than 65536 bytes before the reading marker',
    );
    expect(endless.pushed).toBe(64 * 1024);
  });

  it('waits for the rest of a truncated reply', () => {
    const full = reply('7', goodParts());
    for (const cut of [0, 20, full.length / 2, full.length - 10, full.length - 1]) {
      expect(parse([full.slice(0, Math.floor(cut))]).files).toBeNull();
    }
  });

  it('rejects files absent, twice, unknown, or text before the first marker', () => {
    const withoutUptime = goodParts().slice(0, -3);
    expect(parseError(reply('7', withoutUptime))).toMatchObject({ file: 'uptime' });
    expect(parseError(reply('7', [...goodParts(), `${B} FILE stat`, 'x'])).message).toMatch(
      /appears twice/,
    );
    expect(
      parseError(reply('7', [`${B} MISSING stat`, `${B} MISSING stat`, ...goodParts()])).message,
    ).toMatch(/appears twice/);
    expect(parseError(reply('7', [`${B} FILE passwd`, ...goodParts()])).message).toMatch(
      /unexpected marker 'FILE passwd'/,
    );
    expect(parseError(reply('7', [`${B} DELETE stat`, ...goodParts()])).message).toMatch(
      /unexpected marker/,
    );
    expect(parseError(reply('7', [`${B} FILE stat extra`, ...goodParts()])).message).toMatch(
      /unexpected marker/,
    );
    expect(parseError(reply('7', [...goodParts(), `${B} END 8`])).message).toMatch(
      /unexpected marker 'END 8'/,
    );
    expect(parseError(reply('7', ['junk', ...goodParts()])).message).toMatch(
      /text before the first file marker/,
    );
    expect(parseError(reply('7', ['', ...goodParts()])).message).toMatch(
      /text before the first file marker/,
    );
  });

  it('puts the stream out of step on output after the end marker', () => {
    const parser = new ReadingReplyParser(B, '7', host);
    expect(() => parser.push(Buffer.from(`${reply('7', goodParts())}x`))).toThrow(
      /output after the end marker/,
    );
    expect(parser.inStep).toBe(false);
  });

  it('survives junk bytes and never throws anything but RemoteProcReadError', () => {
    const full = reply('7', goodParts());
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const chars = full.split('');
      for (let j = 0; j < 5; j++) {
        const at = Math.floor(random() * chars.length);
        chars[at] = String.fromCharCode(Math.floor(random() * 256));
      }
      const text = chars.join('');
      const cut = Math.floor(random() * text.length);
      try {
        parse([text.slice(0, cut), text.slice(cut)]);
      } catch (error) {
        expect(error).toBeInstanceOf(RemoteProcReadError);
      }
    }
  });
});

/**
 * Pushes `head`, then the same `fill` chunk until the parser throws (or `maxBytes` went
 * by): the error, the bytes pushed, the time taken and the growth of the process's
 * buffer memory at the throw, before any collection could hide it.
 */
function flood(head: string, fill: Buffer, maxBytes: number) {
  const parser = new ReadingReplyParser(B, '7', host);
  const before = process.memoryUsage();
  const started = performance.now();
  let pushed = 0;
  try {
    parser.push(Buffer.from(head));
    while (pushed < maxBytes) {
      parser.push(fill);
      pushed += fill.length;
    }
  } catch (error) {
    const after = process.memoryUsage();
    return {
      error,
      pushed,
      elapsedMs: performance.now() - started,
      growthBytes: after.arrayBuffers - before.arrayBuffers + (after.heapUsed - before.heapUsed),
      inStep: parser.inStep,
    };
  }
  throw new Error(`no error after ${pushed} bytes`);
}

describe('ReadingReplyParser: limits', () => {
  const statLines = Buffer.from('cpu0 1 2 3 4 5 6 7 8 9 10\n'.repeat(2521)); // 64 KiB

  it('refuses a 33 MB /proc/stat as soon as it passes its limit, in bounded time and memory', () => {
    const result = flood(`${B} BEGIN 7\n${B} FILE stat\n`, statLines, 33_000_000);
    expect(result.error).toBeInstanceOf(RemoteProcTooLargeError);
    expect(result.error).toMatchObject({
      code: 'proc-too-large',
      file: 'stat',
      limitBytes: maxProcFileBytes.stat,
    });
    expect((result.error as Error).message).toBe(
      `root@kvm1:22: /proc/stat: larger than ${4 * MiB} bytes, more than a real one can be; the reading is refused`,
    );
    expect(result.pushed).toBeLessThanOrEqual(maxProcFileBytes.stat);
    expect(result.pushed).toBeGreaterThan(maxProcFileBytes.stat - 2 * statLines.length);
    expect(result.growthBytes).toBeLessThan(3 * maxProcFileBytes.stat);
    expect(result.elapsedMs).toBeLessThan(500);
    expect(result.inStep).toBe(false);
  });

  for (const file of procFilesPerReading) {
    it(`holds ${file} to ${maxProcFileBytes[file]} bytes, even when it is reported missing`, () => {
      const lines = Buffer.from('1 2 3 4 5 6 7 8\n'.repeat(4096));
      for (const keyword of ['FILE', 'MISSING']) {
        const { error } = flood(`${B} BEGIN 7\n${B} ${keyword} ${file}\n`, lines, 16 * MiB);
        expect(error).toMatchObject({ file, limitBytes: maxProcFileBytes[file] });
      }
    });
  }

  it('accepts every file at its limit', () => {
    const parts = procFilesPerReading.flatMap((f) => {
      const line = `${f} 0123456789\n`;
      const body = line.repeat(Math.floor(maxProcFileBytes[f] / line.length));
      return [`${B} FILE ${f}\n`, body];
    });
    const files = parse([`${B} BEGIN 7\n`, ...parts, `${B} END 7\n`]).files;
    expect(files?.diskstats.length).toBeGreaterThan(maxProcFileBytes.diskstats - 32);
    expect(files?.uptime.startsWith('uptime 0123456789\n')).toBe(true);
  });

  it('refuses a marker line that never ends instead of buffering it', () => {
    const endless = Buffer.alloc(64 * 1024, 'x');
    const result = flood(`${B} BEGIN 7\n${B} FILE `, endless, 16 * MiB);
    expect((result.error as Error).message).toMatch(/a marker line is too long/);
    expect(result.pushed).toBe(0);
    const byByte = new ReadingReplyParser(B, '7', host);
    byByte.push(Buffer.from(`${B} BEGIN 7\n${B}`));
    expect(() => {
      for (let i = 0; i < 100; i++) byByte.push(Buffer.from(' '));
    }).toThrow(/a marker line is too long/);
  });
});

describe('a hostile marker', () => {
  it('is quoted without its escape sequences', () => {
    // Bytes as a hostile host sends them: the 8-bit CSI is one byte, 0x9b.
    const text = reply('7', [`${B} FILE \x1b]0;x\x07\x1b[2J\x9b1m`]);
    let error: unknown;
    try {
      parse([Buffer.from(text, 'latin1')]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RemoteProcReadError);
    expect((error as Error).message).toMatch(/unexpected marker 'FILE '$/);
  });
});
