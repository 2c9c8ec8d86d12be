import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { procFilesPerReading } from '../../../src/collector/host/host-source';
import type { ProcFileName } from '../../../src/collector/host/host-source';
import {
  checkedProcRoot,
  loopReaderCommand,
  newBoundary,
  singleReadingCommand,
} from '../../../src/collector/ssh/proc-reading-protocol';
import { ReadingReplyParser } from '../../../src/collector/ssh/reading-reply-parser';
import { RemoteProcTooLargeError } from '../../../src/collector/ssh/ssh-errors';

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

/** A proc root holding a copy of a fixture tree's reading files, then `changes`. */
function procTree(name: string, changes: (dir: string) => void = () => undefined): string {
  const dir = join(awkDir, `tree-${name}`);
  mkdirSync(join(dir, 'net'), { recursive: true });
  for (const file of procFilesPerReading) copyFileSync(join(fixture, file), join(dir, file));
  changes(dir);
  return dir;
}

const fixture = fileURLToPath(new URL('../../fixtures/proc/this-host/t0', import.meta.url));
const MiB = 1024 * 1024;

let hugeRoot: string | null = null;

/**
 * A tree whose stat is 33 MB, the reply that used to be read and held whole; in lines of
 * 4 KB like a big host's intr line, since mawk and busybox write each line on its own.
 */
function hugeStatTree(): string {
  hugeRoot ??= procTree('huge', (dir) => {
    const block = `intr${' 0'.repeat(2048)}\n`.repeat(1000);
    writeFileSync(join(dir, 'stat'), block.repeat(Math.ceil(33_000_000 / block.length)));
  });
  return hugeRoot;
}

/**
 * Asks a running loop reader for each id in turn, as the host source does: its replies'
 * files, or the first error.
 */
function askLoopReader(
  child: ChildProcessWithoutNullStreams,
  boundary: string,
  ids: string[],
): Promise<Record<ProcFileName, string>[]> {
  return new Promise((resolve, reject) => {
    const replies: Record<ProcFileName, string>[] = [];
    let parser: ReadingReplyParser | null = null;
    const timer = setTimeout(() => reject(new Error(`no reply ${replies.length + 1}`)), 10_000);
    const ask = (): void => {
      const id = ids[replies.length];
      if (id === undefined) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(replies);
        return;
      }
      parser = new ReadingReplyParser(boundary, id, 'local');
      child.stdin.write(`${id}\n`);
    };
    const onData = (chunk: Buffer): void => {
      try {
        const files = parser?.push(chunk) ?? null;
        if (files === null) return;
        replies.push(files);
        ask();
      } catch (error) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        reject(error as Error);
      }
    };
    child.stdout.on('data', onData);
    ask();
  });
}

async function endReader(child: ChildProcessWithoutNullStreams): Promise<void> {
  const closed = new Promise((resolve) => child.on('close', resolve));
  child.stdin.end();
  child.kill();
  await closed;
}

describe('loopReaderCommand against this machine', () => {
  it('has at least two awk implementations to try', () => {
    expect(awks.length).toBeGreaterThanOrEqual(2);
  });

  for (const [name, path] of awks) {
    const env = { ...process.env, PATH: pathWithAwk(name ?? '', path ?? '') };

    it(`answers each request line with a full reading (${name})`, async () => {
      const boundary = newBoundary();
      const child = runShell(loopReaderCommand(boundary), env);
      try {
        const replies = await askLoopReader(child, boundary, ['1', '2', '3']);
        for (const files of replies) {
          expect(files.stat).toMatch(/^cpu /);
          expect(files.meminfo).toMatch(/^MemTotal:/);
          expect(files['net/dev']).toMatch(/Inter-\|/);
          expect(files.loadavg).toMatch(/^\d+\.\d+ /);
          expect(files.uptime).toMatch(/^\d+\.\d+ \d+\.\d+\n$/);
          expect(files.stat.split('\n').filter((l) => l.startsWith('cpu')).length).toBe(cpuLines);
        }
      } finally {
        await endReader(child);
      }
    });

    it(`reads the files under another proc root (${name})`, async () => {
      const root = procTree(`copy-${path?.split('/').pop()}`);
      const boundary = newBoundary();
      const child = runShell(loopReaderCommand(boundary, checkedProcRoot(`${root}/`)), env);
      try {
        const [files] = await askLoopReader(child, boundary, ['1']);
        for (const file of procFilesPerReading) {
          expect(files?.[file], file).toBe(readFileSync(join(fixture, file), 'utf8'));
        }
      } finally {
        await endReader(child);
      }
    });

    it(`refuses a 33 MB stat from a real reader before reading it all (${name})`, async () => {
      const boundary = newBoundary();
      const child = runShell(loopReaderCommand(boundary, checkedProcRoot(hugeStatTree())), env);
      let received = 0;
      child.stdout.on('data', (chunk: Buffer) => (received += chunk.length));
      try {
        const error = await askLoopReader(child, boundary, ['1']).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RemoteProcTooLargeError);
        expect(error).toMatchObject({ file: 'stat', limitBytes: 4 * MiB });
        expect(received).toBeLessThan(5 * MiB);
      } finally {
        await endReader(child);
      }
    });
  }
});

describe('singleReadingCommand against this machine', () => {
  it('prints one reading the parser accepts', () => {
    const boundary = newBoundary();
    const out = execFileSync('/bin/sh', ['-c', singleReadingCommand(boundary, '9')]);
    const files = new ReadingReplyParser(boundary, '9', 'local').push(out);
    expect(files?.diskstats.split('\n').length).toBeGreaterThan(1);
    expect(files?.uptime).toMatch(/^\d+\.\d+ /);
  });

  it('reads another proc root, and reports a file it cannot read', () => {
    const root = procTree('single', (dir) => rmSync(join(dir, 'loadavg')));
    const boundary = newBoundary();
    const command = singleReadingCommand(boundary, '3', checkedProcRoot(root));
    const parser = new ReadingReplyParser(boundary, '3', 'local');
    expect(() => parser.push(execFileSync('/bin/sh', ['-c', command]))).toThrow(
      'local: /proc/loadavg: cannot be read (missing or permission denied)',
    );
    expect(parser.inStep).toBe(true);
  });
});

describe('checkedProcRoot', () => {
  it('takes an absolute path of plain characters, without its trailing slashes', () => {
    expect(checkedProcRoot('/proc')).toBe('/proc');
    expect(checkedProcRoot('/tmp/setmov-x_1.2+3/proc//')).toBe('/tmp/setmov-x_1.2+3/proc');
    expect(checkedProcRoot('/')).toBe('/');
  });

  it('refuses what sh or awk would change', () => {
    for (const bad of ['proc', '', '/tmp/a b', "/tmp/it's", '/tmp/a\\n', '/tmp/$HOME', '/tmp/\n']) {
      expect(() => checkedProcRoot(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
  });
});
