import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createServeCommand } from '../../src/cli/commands/serve';
import { main } from '../../src/cli/main';
import { UsageError } from '../../src/cli/usage-error';
import type { CommandIo } from '../../src/cli/command';
import { makeRendererDir } from './test-server';

function captureIo(signal: AbortSignal): { io: CommandIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
  stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  return { io: { stdout, stderr, signal }, out: () => out, err: () => err };
}

async function runCli(args: string[]) {
  const { io, out, err } = captureIo(new AbortController().signal);
  const code = await main(['serve', ...args], io);
  return { code, out: out(), err: err() };
}

describe('setmov serve', () => {
  it('refuses a bad port or a bad option with one line and exit 2', async () => {
    for (const args of [
      ['--port', 'http'],
      ['--port', '70000'],
      ['--port=-1'],
      ['--bogus'],
      ['extra'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.err).toMatch(/^setmov: /);
    }
  });

  it('refuses every spelling of a wildcard --host, judged by the address bound', async () => {
    const serve = createServeCommand(makeRendererDir());
    for (const host of ['0', '0.0.0.0', '::', '[::]', '0:0::0', '']) {
      const { io, out } = captureIo(new AbortController().signal);
      const run = serve.run(['--port', '0', '--host', host], io);
      // A UsageError is what main() prints as one line with exit code 2.
      await expect(run, host).rejects.toThrow(UsageError);
      await expect(run, host).rejects.toThrow(
        /^--host '.*' listens on every address \((0\.0\.0\.0|::)\); give one address, e\.g\. 127\.0\.0\.1$/,
      );
      expect(out(), host).toBe('');
    }
  });

  it('listens on a bracketed IPv6 loopback address', async () => {
    const abort = new AbortController();
    const { io, out } = captureIo(abort.signal);
    const exit = createServeCommand(makeRendererDir()).run(['--port', '0', '--host', '[::1]'], io);
    await expect
      .poll(out)
      .toMatch(
        /^SETMOV console at http:\/\/\[::1\]:\d+\/\?token=[\w-]{43}\nSETMOV read-only console for viewers at http:\/\/\[::1\]:\d+\/\?token=[\w-]{43}\n$/,
      );
    abort.abort();
    await expect(exit).resolves.toBe(0);
  });

  it('keeps its tokens across a restart, and makes new ones with --new-tokens', async () => {
    const tokensOf = async (args: string[]) => {
      const abort = new AbortController();
      const { io, out } = captureIo(abort.signal);
      const exit = createServeCommand(makeRendererDir()).run(['--port', '0', ...args], io);
      await expect.poll(out).toMatch(/for viewers at \S+\n$/);
      abort.abort();
      await expect(exit).resolves.toBe(0);
      return [...out().matchAll(/token=([\w-]{43})/g)].map((m) => m[1]);
    };
    const first = await tokensOf([]);
    expect(first).toHaveLength(2);
    // The same XDG config folder (the test file's own): the same tokens, so an open
    // page's cookie still works after a restart.
    expect(await tokensOf([])).toEqual(first);
    const renewed = await tokensOf(['--new-tokens']);
    expect(renewed[0]).not.toBe(first[0]);
    expect(renewed[1]).not.toBe(first[1]);
    expect(await tokensOf([])).toEqual(renewed);
  });

  it('prints its usage', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'Usage: setmov serve [--port N] [--host ADDRESS] [--db FILE] [--tls-cert F --tls-key F]',
    );
  });

  it('says to run npm run build when the UI is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'setmov-unbuilt-'));
    const { io } = captureIo(new AbortController().signal);
    await expect(createServeCommand(empty).run(['--port', '0'], io)).rejects.toThrow(
      `the console UI is not built (no ${join(empty, 'index.html')}); run \`npm run build\` first`,
    );
  });

  it('prints the admin URL and the viewer URL, answers the contract, and stops with exit 0 when aborted', async () => {
    const abort = new AbortController();
    const { io, out, err } = captureIo(abort.signal);
    const exit = createServeCommand(makeRendererDir()).run(['--port', '0'], io);
    await expect
      .poll(out)
      .toMatch(
        /^SETMOV console at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}\nSETMOV read-only console for viewers at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}\n$/,
      );
    const url = new URL(/SETMOV console at (http:\S+)/.exec(out())![1]!);
    const token = url.searchParams.get('token')!;
    const viewerUrl = new URL(/for viewers at (http:\S+)/.exec(out())![1]!);
    const viewerToken = viewerUrl.searchParams.get('token')!;
    expect(viewerToken).not.toBe(token);
    const request = (headers: Record<string, string>) =>
      fetch(new URL('/api/request', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"name":"app.getVersion"}',
      });
    expect((await request({})).status).toBe(401);
    const reply = await request({ authorization: `Bearer ${token}` });
    expect(await reply.json()).toMatchObject({ ok: { name: 'setmov-console' } });
    const viewerReply = await request({ authorization: `Bearer ${viewerToken}` });
    expect(await viewerReply.json()).toMatchObject({ ok: { name: 'setmov-console' } });
    abort.abort();
    await expect(exit).resolves.toBe(0);
    expect(out()).toMatch(/stopped\n$/);
    // Each token is in its one URL line and nowhere else.
    expect(out().split(token)).toHaveLength(2);
    expect(out().split(viewerToken)).toHaveLength(2);
    expect(err()).toBe('');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses a --db that is a folder, and --tls-cert without --tls-key', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'setmov-db-folder-'));
    const cases: [string[], RegExp][] = [
      [['--db', folder], /^setmov: --db '.*' is a folder; give the history's file/],
      [['--db', ''], /^setmov: --db needs a file path/],
      [['--tls-cert', '/etc/hostname'], /^setmov: --tls-cert and --tls-key go together/],
      [['--tls-key', '/etc/hostname'], /^setmov: --tls-cert and --tls-key go together/],
      [
        ['--tls-cert', join(folder, 'none.pem'), '--tls-key', join(folder, 'none.pem')],
        /^setmov: cannot read --tls-cert '.*none\.pem' \(ENOENT\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['--port', '0', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(message);
      expect(result.out, args.join(' ')).toBe('');
    }
  });
});
