import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { procFilesPerReading } from '../../../src/collector/host/host-source';
import {
  ReplyAccumulator,
  endMarker,
  loopReaderCommand,
  newBoundary,
  singleReadingCommand,
  splitReadingReply,
} from '../../../src/collector/ssh/proc-reading-protocol';
import { RemoteProcReadError } from '../../../src/collector/ssh/ssh-errors';

const B = 'SETMOV-0123456789abcdef0123456789abcdef';
const host = 'root@kvm1:22';

function reply(id: string, parts: string[]): string {
  return [`${B} BEGIN ${id}`, ...parts, `${B} END ${id}`, ''].join('\n');
}

function goodParts(): string[] {
  return procFilesPerReading.flatMap((f) => [`${B} FILE ${f}`, `${f} line 1`, `${f} line 2`]);
}

function splitError(text: string, id = '7'): RemoteProcReadError {
  try {
    splitReadingReply(text, B, id, host);
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteProcReadError);
    return error as RemoteProcReadError;
  }
  throw new Error('expected a RemoteProcReadError');
}

describe('splitReadingReply', () => {
  it('gives every file its own text', () => {
    const files = splitReadingReply(reply('7', goodParts()), B, '7', host);
    expect(Object.keys(files)).toEqual([...procFilesPerReading]);
    expect(files['net/dev']).toBe('net/dev line 1\nnet/dev line 2\n');
  });

  it('keeps lines that look like markers of another boundary, and empty files', () => {
    const parts = goodParts();
    parts.splice(1, 0, 'SETMOV-ffff BEGIN 7', `${B}X FILE stat`, ` ${B} FILE stat`);
    const withEmpty = parts.concat();
    const files = splitReadingReply(reply('7', withEmpty), B, '7', host);
    expect(files.stat).toBe(
      `SETMOV-ffff BEGIN 7\n${B}X FILE stat\n ${B} FILE stat\nstat line 1\nstat line 2\n`,
    );
    const empty = procFilesPerReading.flatMap((f) => [`${B} FILE ${f}`]);
    expect(splitReadingReply(reply('7', empty), B, '7', host).diskstats).toBe('');
  });

  it('names the file that could not be read', () => {
    const parts = goodParts().map((line) =>
      line === `${B} FILE diskstats` ? `\n${B} MISSING diskstats` : line,
    );
    const error = splitError(reply('7', parts));
    expect(error.file).toBe('diskstats');
    expect(error.code).toBe('proc-read');
    expect(error.message).toBe(
      'root@kvm1:22: /proc/diskstats: cannot be read (missing or permission denied)',
    );
  });

  it('rejects a reply without its start marker, or for another request', () => {
    expect(splitError(goodParts().join('\n')).message).toMatch(
      /does not start with the reading marker/,
    );
    expect(splitError(reply('6', goodParts())).message).toMatch(/does not start/);
    expect(splitError('').message).toMatch(/does not start/);
  });

  it('rejects a truncated reply', () => {
    const full = reply('7', goodParts());
    for (const cut of [20, full.length / 2, full.length - 10]) {
      expect(splitError(full.slice(0, Math.floor(cut))).message).toMatch(
        /truncated|does not start/,
      );
    }
    expect(splitError(`${B} BEGIN 7\n`).message).toMatch(/truncated/);
  });

  it('rejects files absent, twice, unknown, or text before the first marker', () => {
    const withoutUptime = goodParts().slice(0, -3);
    expect(splitError(reply('7', withoutUptime))).toMatchObject({ file: 'uptime' });
    expect(splitError(reply('7', [...goodParts(), `${B} FILE stat`, 'x'])).message).toMatch(
      /appears twice/,
    );
    expect(splitError(reply('7', [`${B} FILE passwd`, ...goodParts()])).message).toMatch(
      /unexpected marker 'FILE passwd'/,
    );
    expect(splitError(reply('7', [`${B} DELETE stat`, ...goodParts()])).message).toMatch(
      /unexpected marker/,
    );
    expect(splitError(reply('7', [`${B} FILE stat extra`, ...goodParts()])).message).toMatch(
      /unexpected marker/,
    );
    expect(splitError(reply('7', ['junk', ...goodParts()])).message).toMatch(
      /text before the first file marker/,
    );
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
      try {
        splitReadingReply(chars.join(''), B, '7', host);
      } catch (error) {
        expect(error).toBeInstanceOf(RemoteProcReadError);
      }
    }
  });
});

describe('ReplyAccumulator', () => {
  it('hands out a reply only once its end marker arrived, across chunk boundaries', () => {
    const acc = new ReplyAccumulator();
    const text = reply('1', goodParts()) + reply('2', goodParts());
    const marker = endMarker(B, '1');
    for (let i = 0; i < text.length; i += 7) {
      acc.push(Buffer.from(text.slice(i, i + 7)));
    }
    expect(acc.take(endMarker(B, '3'))).toBeNull();
    expect(acc.take(marker)).toBe(reply('1', goodParts()));
    expect(acc.take(endMarker(B, '2'))).toBe(reply('2', goodParts()));
    expect(acc.take(marker)).toBeNull();
  });

  it('does not take a marker that is not at the start of a line', () => {
    const acc = new ReplyAccumulator();
    acc.push(Buffer.from(`${B} BEGIN 1\nx${B} END 1\n`));
    expect(acc.take(endMarker(B, '1'))).toBeNull();
  });

  it('reports when output exceeds its bound', () => {
    const acc = new ReplyAccumulator(10);
    expect(acc.push(Buffer.alloc(8))).toBe(true);
    expect(acc.push(Buffer.alloc(8))).toBe(false);
  });
});

/** Runs a command the way sshd would hand it to a login shell. */
function runShell(command: string, env: NodeJS.ProcessEnv = process.env) {
  return spawn('/bin/sh', ['-c', command], { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

const awkDir = mkdtempSync(join(tmpdir(), 'setmov-awk-'));
afterAll(() => rmSync(awkDir, { recursive: true, force: true }));

/** PATH with `awk` pointing at one implementation, as on hosts where it is the only one. */
function pathWithAwk(name: string, target: string): string {
  const dir = join(awkDir, name);
  execFileSync('mkdir', ['-p', dir]);
  if (!existsSync(join(dir, 'awk'))) symlinkSync(target, join(dir, 'awk'));
  return `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`;
}

const awks = [
  ['mawk', '/usr/bin/mawk'],
  ['gawk', '/usr/bin/gawk'],
  ['busybox awk', '/bin/busybox'],
].filter(([, path]) => existsSync(path ?? ''));

const cpuLines = Number(execFileSync('grep', ['-c', '^cpu', '/proc/stat'], { encoding: 'utf8' }));

describe('loopReaderCommand against this machine', () => {
  it('has at least two awk implementations to try', () => {
    expect(awks.length).toBeGreaterThanOrEqual(2);
  });

  for (const [name, path] of awks) {
    it(`answers each request line with a full reading (${name})`, async () => {
      const boundary = newBoundary();
      const child = runShell(loopReaderCommand(boundary), {
        ...process.env,
        PATH: pathWithAwk(name ?? '', path ?? ''),
      });
      const acc = new ReplyAccumulator();
      const waiters: (() => void)[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        acc.push(chunk);
        waiters.shift()?.();
      });
      const replies: string[] = [];
      for (const id of ['1', '2', '3']) {
        child.stdin.write(`${id}\n`);
        let text = acc.take(endMarker(boundary, id));
        const deadline = Date.now() + 5000;
        while (text === null && Date.now() < deadline) {
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, 200);
          });
          text = acc.take(endMarker(boundary, id));
        }
        expect(text, `reply ${id} from ${name}`).not.toBeNull();
        replies.push(text ?? '');
      }
      child.stdin.end();
      await new Promise((resolve) => child.on('close', resolve));
      for (const [i, text] of replies.entries()) {
        const files = splitReadingReply(text, boundary, String(i + 1), 'local');
        expect(files.stat).toMatch(/^cpu /);
        expect(files.meminfo).toMatch(/^MemTotal:/);
        expect(files['net/dev']).toMatch(/Inter-\|/);
        expect(files.loadavg).toMatch(/^\d+\.\d+ /);
        expect(files.uptime).toMatch(/^\d+\.\d+ \d+\.\d+\n$/);
        expect(files.stat.split('\n').filter((l) => l.startsWith('cpu')).length).toBe(cpuLines);
      }
    });
  }
});

describe('singleReadingCommand against this machine', () => {
  it('prints one reading the splitter accepts', () => {
    const boundary = newBoundary();
    const out = execFileSync('/bin/sh', ['-c', singleReadingCommand(boundary, '9')], {
      encoding: 'utf8',
    });
    const files = splitReadingReply(out, boundary, '9', 'local');
    expect(files.diskstats.split('\n').length).toBeGreaterThan(1);
    expect(files.uptime).toMatch(/^\d+\.\d+ /);
  });
});
