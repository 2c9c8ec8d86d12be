import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServeCommand } from '../../src/cli/commands/serve';
import { UsageError } from '../../src/cli/usage-error';
import { checkExposure } from '../../src/server/exposure';
import { ListenError } from '../../src/server/listen-error';
import { startServer } from '../../src/server/server';
import type { RunningServer, TlsFiles } from '../../src/server/server';
import { makeRendererDir } from './test-server';

/** An address of this machine that other machines could reach; traffic to it stays here. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4')?.address;

const handlers = { 'app.getVersion': () => ({ version: '0.1.0', name: 'setmov' }) };

/** A self-signed certificate for the loopback names and the outside address, made here. */
function selfSigned(): { files: TlsFiles; certPath: string; keyPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'setmov-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const names = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'];
  if (outsideAddress !== undefined) names.push(`IP:${outsideAddress}`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=setmov test',
      '-addext',
      `subjectAltName=${names.join(',')}`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  );
  return { files: { cert: readFileSync(certPath), key: readFileSync(keyPath) }, certPath, keyPath };
}

interface TlsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsGet(
  url: string,
  ca: Buffer,
  headers: Record<string, string> = {},
): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let tls: ReturnType<typeof selfSigned>;
beforeAll(() => {
  tls = selfSigned();
});

describe('the exposure rule', () => {
  it('keeps loopback open, refuses wildcards, and wants TLS for anything else', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) {
      expect(checkExposure(address, address, false), address).toEqual({ ok: true });
    }
    for (const address of ['0.0.0.0', '::']) {
      expect(checkExposure(address, address, true), address).toMatchObject({
        ok: false,
        code: 'wildcard-address',
      });
    }
    for (const address of ['192.0.2.2', '10.0.0.5', 'fd00::2', '::ffff:10.0.0.5']) {
      expect(checkExposure('console.lan', address, false), address).toEqual({
        ok: false,
        code: 'needs-tls',
        message: `'console.lan' (${address}) is reachable from other machines; serving there needs --tls-cert and --tls-key (or listen on 127.0.0.1)`,
      });
      expect(checkExposure('console.lan', address, true), address).toEqual({ ok: true });
    }
  });
});

describe('serve over TLS', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      rendererDir: makeRendererDir(),
      handlers,
      tls: tls.files,
    });
  });
  afterAll(() => server.close());

  it('speaks https, with the token as everywhere', async () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}/`);
    expect((await httpsGet(`${server.url}api/health`, tls.files.cert)).status).toBe(401);
    const health = await httpsGet(`${server.url}api/health`, tls.files.cert, {
      authorization: `Bearer ${server.token}`,
    });
    expect(health.status).toBe(200);
    const page = await httpsGet(server.url, tls.files.cert);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('marks the cookie Secure', async () => {
    const exchange = await httpsGet(server.openUrl, tls.files.cert);
    expect(exchange.status).toBe(303);
    expect(exchange.headers['set-cookie']).toEqual([
      `setmov-token-${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/; Secure`,
    ]);
  });

  it('opens wss for the https page of this server only', async () => {
    const open = (origin: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(`wss://127.0.0.1:${server.port}/api/ws`, {
          ca: tls.files.cert,
          headers: { origin, cookie: `setmov-token-${server.port}=${server.token}` },
        });
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    (await open(`https://127.0.0.1:${server.port}`)).close();
    await expect(open(`http://127.0.0.1:${server.port}`)).rejects.toThrow(/403/);
  });

  it('refuses a certificate or key that is not PEM, or a key of another certificate', async () => {
    const other = selfSigned();
    for (const files of [
      { cert: Buffer.from('not a certificate'), key: tls.files.key },
      { cert: tls.files.cert, key: other.files.key },
    ]) {
      const started = startServer({
        host: '127.0.0.1',
        port: 0,
        rendererDir: '/x',
        handlers,
        tls: files,
      });
      await expect(started).rejects.toThrow(ListenError);
      await expect(started).rejects.toMatchObject({
        code: 'bad-tls',
        message: expect.stringMatching(/^cannot use the TLS certificate and key: /),
      });
    }
  });
});

describe.skipIf(outsideAddress === undefined)(
  `an address beyond loopback (${outsideAddress ?? 'this machine has none'})`,
  () => {
    const address = outsideAddress as string;

    it('is refused without TLS, and the port is let go', async () => {
      const started = startServer({ host: address, port: 0, rendererDir: '/x', handlers });
      await expect(started).rejects.toMatchObject({ code: 'needs-tls' });
      const serve = createServeCommand(makeRendererDir());
      const out = new PassThrough();
      const io = { stdout: out, stderr: new PassThrough(), signal: new AbortController().signal };
      let printed = '';
      out.on('data', (chunk: Buffer) => (printed += String(chunk)));
      const run = serve.run(['--port', '0', '--host', address], io);
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(
        `--host '${address}' (${address}) is reachable from other machines; serving there needs --tls-cert and --tls-key`,
      );
      expect(printed).toBe('');
    });

    it('is served with TLS, the token still required', async () => {
      const abort = new AbortController();
      const out = new PassThrough();
      const err = new PassThrough();
      let printed = '';
      let warned = '';
      out.on('data', (chunk: Buffer) => (printed += String(chunk)));
      err.on('data', (chunk: Buffer) => (warned += String(chunk)));
      const exit = createServeCommand(makeRendererDir()).run(
        ['--port', '0', '--host', address, '--tls-cert', tls.certPath, '--tls-key', tls.keyPath],
        { stdout: out, stderr: err, signal: abort.signal },
      );
      await expect
        .poll(() => printed)
        .toMatch(
          /^SETMOV console at https:\/\/\S+\nSETMOV read-only console for viewers at https:\/\/\S+\n$/,
        );
      const openUrl = new URL(/(https:\S+)/.exec(printed)![1]!);
      expect(openUrl.hostname).toBe(address);
      const token = openUrl.searchParams.get('token')!;
      const health = new URL('/api/health', openUrl).href;
      expect((await httpsGet(health, tls.files.cert)).status).toBe(401);
      expect(
        (await httpsGet(health, tls.files.cert, { authorization: `Bearer ${token}` })).status,
      ).toBe(200);
      expect(warned).toContain(`listening on ${address}`);
      expect(warned).not.toContain(token);
      abort.abort();
      await expect(exit).resolves.toBe(0);
    });
  },
);
