import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./serve-in-child.mjs', import.meta.url));

describe('setmov serve with saved state that does not load', () => {
  it('starts in safe mode, says which file and what to do, and stops with exit 0', async () => {
    const config = mkdtempSync(join(tmpdir(), 'setmov-safe-mode-'));
    mkdirSync(join(config, 'setmov'));
    const hosts = { version: 1, hosts: [1, 2].map(() => ({ name: 'dup', ssh: null })) };
    writeFileSync(join(config, 'setmov', 'hosts.json'), JSON.stringify(hosts));
    const serve = spawn(process.execPath, [child, '--port', '0', '--db', join(config, 'h.db')], {
      env: { ...process.env, XDG_CONFIG_HOME: config },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    serve.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
    serve.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => serve.once('exit', resolve));
    try {
      await expect.poll(() => stdout, { timeout: 30_000 }).toMatch(/SETMOV console at /);
      expect(stderr, stderr).toMatch(
        /^setmov serve: safe mode: SETMOV could not start: .*hosts\.json: .*two hosts are named 'dup'.*Restart SETMOV/,
      );
      const url = new URL(/SETMOV console at (\S+)/.exec(stdout)![1]!);
      const authorization = `Bearer ${url.searchParams.get('token')}`;
      const health = await fetch(new URL('/api/health', url), { headers: { authorization } });
      expect(health.status).toBe(200);
      const reply = await fetch(new URL('/api/request', url), {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{"name":"inventory"}',
      });
      expect(await reply.json()).toEqual({
        error: {
          code: 'failed',
          message: expect.stringMatching(
            /hosts\.json: .*two hosts are named 'dup'.*Restart SETMOV/,
          ),
        },
      });
    } finally {
      serve.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
