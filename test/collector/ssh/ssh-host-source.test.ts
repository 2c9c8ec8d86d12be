import {
  chmodSync,
  copyFileSync,
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
import type { HostSource } from '../../../src/collector/host/host-source';
import type { SshConnectionProvider } from '../../../src/collector/ssh/ssh-connection-provider';
import {
  RemoteProcReadError,
  RemoteProcTooLargeError,
  SshError,
  SshTimeoutError,
} from '../../../src/collector/ssh/ssh-errors';
import { createSshHostSource } from '../../../src/collector/ssh/ssh-host-source';
import type { SshHostSourceOptions } from '../../../src/collector/ssh/ssh-host-source';
import type { SshTarget } from '../../../src/collector/ssh/ssh-target';
import { watchProcess } from '../../helpers/watch-process';
import { localShellConnection } from './local-shell-connection';

const root = mkdtempSync(join(tmpdir(), 'setmov-source-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A PATH directory holding only the named tools, plus optional fake scripts. */
function binDir(name: string, tools: string[], scripts: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const tool of tools) symlinkSync(`/usr/bin/${tool}`, join(dir, tool));
  for (const [script, body] of Object.entries(scripts)) {
    writeFileSync(join(dir, script), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, script), 0o755);
  }
  return dir;
}

const basics = ['sh', 'cat', 'grep', 'sed'];
const target: SshTarget = {
  host: 'local',
  username: 'test',
  auth: { method: 'password', password: 'unused' },
};

/** A source over a local shell; `channels` counts the reader channels it opened. */
function sourceOver(
  env: NodeJS.ProcessEnv,
  readTimeoutMs = 5_000,
  options: Omit<SshHostSourceOptions, 'connections' | 'readTimeoutMs'> = {},
) {
  const connection = localShellConnection(env);
  const execStream = connection.execStream.bind(connection);
  const counts = { channels: 0 };
  connection.execStream = (command) => {
    counts.channels++;
    return execStream(command);
  };
  const connections: SshConnectionProvider = {
    get: async () => connection,
    current: () => connection,
    close: async () => undefined,
  };
  const source = createSshHostSource(target, { connections, readTimeoutMs, ...options });
  return Object.defineProperty(source, 'channels', { get: () => counts.channels }) as HostSource & {
    readonly channels: number;
  };
}

/** A proc root holding a copy of a fixture tree's reading files. */
function procTree(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'net'), { recursive: true });
  for (const file of procFilesPerReading) copyFileSync(join(fixture, file), join(dir, file));
  return dir;
}

const fixture = fileURLToPath(new URL('../../fixtures/proc/this-host/t0', import.meta.url));
const MiB = 1024 * 1024;

describe('createSshHostSource over a local shell', () => {
  it('answers many readings from one long-lived reader, in order and monotonic', async () => {
    const source = sourceOver({ PATH: process.env.PATH });
    try {
      let last = await source.read();
      for (let i = 0; i < 30; i++) {
        const next = await source.read();
        expect(next.monotonicMs).toBeGreaterThanOrEqual(last.monotonicMs);
        expect(next.files.stat).toMatch(/^cpu /);
        last = next;
      }
      const together = await Promise.all([source.read(), source.read(), source.read()]);
      expect(together.map((r) => r.files.uptime.length > 0)).toEqual([true, true, true]);
      expect((await source.identity()).cpuCount).toBeGreaterThan(0);
    } finally {
      await source.close();
    }
    await expect(source.read()).rejects.toMatchObject({ code: 'closed' });
  });

  it('falls back to one exec per reading on a host without awk', async () => {
    const source = sourceOver({ PATH: binDir('no-awk', basics) });
    try {
      const reading = await source.read();
      expect(reading.files.meminfo).toMatch(/^MemTotal:/);
      expect((await source.read()).files['net/dev']).toMatch(/Inter-\|/);
    } finally {
      await source.close();
    }
  });

  it('times out a reader that never answers, and recovers on the next read', async () => {
    const env = { PATH: binDir('hanging-awk', [...basics, 'sleep'], { awk: 'exec sleep 3' }) };
    const source = sourceOver(env, 500);
    try {
      const started = performance.now();
      const error = await source.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SshTimeoutError);
      expect((error as SshTimeoutError).phase).toBe('read');
      expect(performance.now() - started).toBeLessThan(1_500);
      env.PATH = process.env.PATH ?? '';
      expect((await source.read()).files.loadavg).toMatch(/^\d/);
    } finally {
      await source.close();
    }
  });

  it('gives a typed error when the reader dies or prints garbage', async () => {
    const source = sourceOver({
      PATH: binDir('dying-awk', basics, { awk: 'echo junk; echo oops >&2; exit 3' }),
    });
    try {
      const error = await source.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SshError);
      expect((error as SshError).code).toBe('protocol');
      expect((error as Error).message).toMatch(/exited with status 3: oops/);
    } finally {
      await source.close();
    }
  });

  it("refuses a hostile reader's 33 MB stat as it arrives, then reads on a fresh reader", async () => {
    // A reader that frames its reply properly but sends 33 MB of stat, and goes on
    // answering every request that way.
    const hostile = `[ "$1" = -W ] && exit 0
B=$(echo "$@" | sed 's/.*B=\\([A-Za-z0-9-]*\\).*/\\1/')
while read -r id; do
  printf '%s BEGIN %s\\n%s FILE stat\\n' "$B" "$id" "$B"
  yes 'cpu0 1 2 3 4 5 6 7 8 9 10' | head -n 1269231
  for f in meminfo diskstats net/dev loadavg uptime; do printf '%s FILE %s\\n' "$B" "$f"; cat /proc/$f; done
  printf '%s END %s\\n' "$B" "$id"
done`;
    const env = { PATH: binDir('hostile-awk', [...basics, 'yes', 'head'], { awk: hostile }) };
    const source = sourceOver(env, 30_000);
    try {
      for (let round = 1; round <= 2; round++) {
        const run = await watchProcess(() => source.read());
        expect(run.outcome).toBeInstanceOf(RemoteProcTooLargeError);
        expect(run.outcome).toMatchObject({
          code: 'proc-too-large',
          file: 'stat',
          limitBytes: 4 * MiB,
          permanent: false,
        });
        expect((run.outcome as Error).message).toBe(
          `test@local:22: /proc/stat: larger than ${4 * MiB} bytes, more than a real one can be; the reading is refused`,
        );
        expect(run.maxBlockedCpuMs).toBeLessThan(150);
        expect(run.rssGrowthMiB).toBeLessThan(64);
        expect(run.elapsedMs).toBeLessThan(5_000);
        expect(source.channels).toBe(round);
      }
      env.PATH = process.env.PATH ?? '';
      expect((await source.read()).files.stat).toMatch(/^cpu /);
      expect(source.channels).toBe(3);
    } finally {
      await source.close();
    }
  });

  it('closes a reader that prints what nobody asked for, and reads on a fresh one', async () => {
    const flood = '[ "$1" = -W ] && exit 0\nread -r id\nexec yes';
    const env = { PATH: binDir('flooding-awk', [...basics, 'yes'], { awk: flood }) };
    const source = sourceOver(env);
    try {
      const error = await source.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteProcReadError);
      expect((error as Error).message).toBe(
        'test@local:22: malformed reply: more than 65536 bytes before the reading marker',
      );
      env.PATH = process.env.PATH ?? '';
      expect((await source.read()).files.uptime).toMatch(/^\d/);
      expect(source.channels).toBe(2);
    } finally {
      await source.close();
    }
  });

  for (const mode of ['loop', 'exec'] as const) {
    it(`reads the files of another proc root, and refuses one there past its limit (${mode})`, async () => {
      const tree = procTree(`tree-${mode}`);
      const source = sourceOver({ PATH: process.env.PATH }, 10_000, { mode, procRoot: tree });
      try {
        const reading = await source.read();
        for (const file of procFilesPerReading) {
          expect(reading.files[file], file).toBe(readFileSync(join(fixture, file), 'utf8'));
        }
        const line = `${'x'.repeat(199)}\n`;
        writeFileSync(join(tree, 'net/dev'), line.repeat((2 * MiB) / line.length + 1));
        const run = await watchProcess(() => source.read());
        expect(run.outcome).toMatchObject({ file: 'net/dev', limitBytes: 2 * MiB });
        expect(run.maxBlockedCpuMs).toBeLessThan(150);
        copyFileSync(join(fixture, 'net/dev'), join(tree, 'net/dev'));
        expect((await source.read()).files['net/dev']).toBe(
          readFileSync(join(fixture, 'net/dev'), 'utf8'),
        );
        expect(source.channels).toBe(mode === 'loop' ? 2 : 3);
      } finally {
        await source.close();
      }
    });
  }

  it('refuses a proc root that sh or awk would read differently', () => {
    expect(() => sourceOver({}, 1_000, { procRoot: 'proc' })).toThrow(RangeError);
    expect(() => sourceOver({}, 1_000, { procRoot: "/tmp/x'; rm -rf ~; '" })).toThrow(
      /must be an absolute path/,
    );
  });

  it('names the file when a reader reports one unreadable, and keeps that reader', async () => {
    const fake = `[ "$1" = -W ] && exit 0
B=$(echo "$@" | sed 's/.*B=\\([A-Za-z0-9-]*\\).*/\\1/')
while read -r id; do
  printf '%s BEGIN %s\\n%s FILE stat\\ncpu 1\\n%s MISSING meminfo\\n%s END %s\\n' "$B" "$id" "$B" "$B" "$B" "$id"
done`;
    const source = sourceOver({ PATH: binDir('missing-file-awk', basics, { awk: fake }) });
    try {
      const error = await source.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteProcReadError);
      expect((error as RemoteProcReadError).file).toBe('meminfo');
      expect((error as Error).message).toBe(
        'test@local:22: /proc/meminfo: cannot be read (missing or permission denied)',
      );
      // The reply ended at its END marker: the stream is in step and the reader answers on.
      await expect(source.read()).rejects.toMatchObject({ file: 'meminfo' });
      expect(source.channels).toBe(1);
    } finally {
      await source.close();
    }
  });
});
