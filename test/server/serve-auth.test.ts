import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServeToken, sameToken } from '../../src/server/serve-token';
import { ContractError, createHttpClient } from '../../src/shared/contract';
import type { RunningServer } from '../../src/server/server';
import { bearer, rawRequest, startTestServer } from './test-server';

let server: RunningServer;
let host: string;
let origin: string;

beforeAll(async () => {
  server = await startTestServer();
  host = `127.0.0.1:${server.port}`;
  origin = `http://${host}`;
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(server.port, { path, headers: { host, ...headers } });

/** The cookie the token exchange hands out, as a browser would send it back. */
async function exchangedCookie(): Promise<string> {
  const response = await get(`/?token=${server.token}`);
  const setCookie = response.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : undefined;
  if (first === undefined) throw new Error(`no cookie: ${response.status}`);
  return first.split(';')[0] as string;
}

describe('the token', () => {
  it('is 32 random bytes in base64url, new for every run', () => {
    const token = createServeToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(createServeToken()).not.toBe(token);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.openUrl).toBe(`${server.url}?token=${server.token}`);
  });

  it('compares equal only to itself, whatever the length of the guess', () => {
    const token = createServeToken();
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(token, `${token.slice(0, -1)}x`)).toBe(false);
    expect(sameToken(token, token.slice(0, 10))).toBe(false);
    expect(sameToken(token, '')).toBe(false);
    expect(sameToken(token, `${token}${token}`)).toBe(false);
  });
});

describe('GET /api/health', () => {
  it('answers 401 without the token, 200 with it as a Bearer', async () => {
    const without = await get('/api/health');
    expect(without.status).toBe(401);
    expect(without.headers['www-authenticate']).toBe('Bearer realm="setmov"');
    expect(JSON.parse(without.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect(without.headers['content-security-policy']).toMatch(/default-src 'self'/);

    const withToken = await get('/api/health', bearer(server));
    expect(withToken.status).toBe(200);
    expect(JSON.parse(withToken.body)).toEqual({ ok: { status: 'up' } });
  });

  it('refuses a wrong token, a token in the query, and another port’s cookie', async () => {
    const wrong = createServeToken();
    expect((await get('/api/health', { authorization: `Bearer ${wrong}` })).status).toBe(401);
    expect((await get('/api/health', { authorization: `Basic ${server.token}` })).status).toBe(401);
    // The query form is only for opening the page: an API URL with it would end up in logs.
    expect((await get(`/api/health?token=${server.token}`)).status).toBe(401);
    expect(
      (await get('/api/health', { cookie: `setmov-token-${server.port}=${wrong}` })).status,
    ).toBe(401);
    expect(
      (await get('/api/health', { cookie: `setmov-token-${server.port + 1}=${server.token}` }))
        .status,
    ).toBe(401);
  });

  it('answers 200 to the cookie the page was given, among other cookies', async () => {
    const cookie = await exchangedCookie();
    expect((await get('/api/health', { cookie })).status).toBe(200);
    expect((await get('/api/health', { cookie: `theme=dark; ${cookie}; lang=ko` })).status).toBe(
      200,
    );
  });

  it('guards every route under /api/, known or not', async () => {
    const post = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/request',
      headers: { host, origin, 'content-type': 'application/json' },
      body: '{"name":"app.getVersion"}',
    });
    expect(post.status).toBe(401);
    expect(JSON.parse(post.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect((await get('/api/other')).status).toBe(401);
    const unknown = await get('/api/other', bearer(server));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'bad-request' } });
  });
});

describe('a contract client without the token', () => {
  it('gets a ContractError of a code the contract knows, saying what is missing', async () => {
    const failure = await createHttpClient(server.url)
      .request('app.getVersion')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ContractError);
    expect(failure).toMatchObject({ code: 'forbidden', message: expect.stringContaining('token') });
  });
});

describe('the token exchange', () => {
  it('trades the token for an HttpOnly, SameSite=Strict cookie and drops it from the URL', async () => {
    const response = await get(`/?token=${server.token}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toEqual([
      `setmov-token-${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('keeps the rest of the address, and never redirects to another host', async () => {
    const kept = await get(`/?view=hosts&token=${server.token}&sort=cpu`);
    expect(kept.headers.location).toBe('/?view=hosts&sort=cpu');
    const sneaky = await get(`/.//evil.example/?token=${server.token}`);
    expect(sneaky.status).toBe(303);
    expect(sneaky.headers.location).toBe('/evil.example/');
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const response = await get(`/?token=${createServeToken()}`);
    expect(response.status).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toContain('open the URL it printed');
    expect((await get('/?token=')).status).toBe(401);
  });

  it('leaves the renderer’s files open: the page loads before it holds the cookie', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('SETMOV Console');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get('/assets/index-abc123.js')).status).toBe(200);
  });
});

describe('WebSocket /api/ws', () => {
  function open(headers: Record<string, string>): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${host}/api/ws`, { headers });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  it('refuses a socket without the token (401)', async () => {
    await expect(open({ origin })).rejects.toThrow(/401/);
    await expect(
      open({ origin, cookie: `setmov-token-${server.port}=${createServeToken()}` }),
    ).rejects.toThrow(/401/);
  });

  it('refuses a foreign Origin even with the right cookie or token (403)', async () => {
    const cookie = await exchangedCookie();
    await expect(open({ origin: 'https://attacker.example', cookie })).rejects.toThrow(/403/);
    await expect(open({ origin: 'http://attacker.example', ...bearer(server) })).rejects.toThrow(
      /403/,
    );
    await expect(open({ origin: `https://${host}`, cookie })).rejects.toThrow(/403/);
  });

  it("opens for our own page's cookie, and for a script's Bearer", async () => {
    const cookie = await exchangedCookie();
    for (const headers of [{ origin, cookie }, bearer(server)]) {
      const socket = await open(headers);
      const reply = new Promise((resolve) =>
        socket.once('message', (data) => resolve(JSON.parse(String(data)))),
      );
      socket.send(JSON.stringify({ id: 1, name: 'app.getVersion' }));
      expect(await reply).toEqual({ id: 1, reply: { ok: { version: '0.1.0', name: 'setmov' } } });
      socket.close();
    }
  });
});
