import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SshConnectionProvider } from '../../../src/collector/ssh/ssh-connection-provider';
import {
  RemoteProcReadError,
  SshError,
  SshTimeoutError,
} from '../../../src/collector/ssh/ssh-errors';
import { createSshHostSource } from '../../../src/collector/ssh/ssh-host-source';
import type { SshTarget } from '../../../src/collector/ssh/ssh-target';
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

function sourceOver(env: NodeJS.ProcessEnv, readTimeoutMs = 5_000, maxReplyBytes?: number) {
  const connection = localShellConnection(env);
  const connections: SshConnectionProvider = {
    get: async () => connection,
    current: () => connection,
    close: async () => undefined,
  };
  return createSshHostSource(target, { connections, readTimeoutMs, maxReplyBytes });
}

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

  it('drops a reader that floods the channel', async () => {
    const flood = '[ "$1" = -W ] && exit 0\nread -r id\nyes | head -c 3000000\nexec sleep 5';
    const source = sourceOver(
      {
        PATH: binDir('flooding-awk', [...basics, 'yes', 'head', 'sleep'], { awk: flood }),
      },
      5_000,
      1_000_000,
    );
    try {
      const error = await source.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteProcReadError);
      expect((error as Error).message).toMatch(/reply too large/);
    } finally {
      await source.close();
    }
  });

  it('names the file when a reader reports one unreadable', async () => {
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
    } finally {
      await source.close();
    }
  });
});
