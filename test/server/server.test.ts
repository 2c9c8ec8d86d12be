import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ListenError } from '../../src/server/listen-error';
import { wsEventFramesOf } from '../../src/shared/contract/ws-frames';
import { startServer } from '../../src/server/server';
import type { RunningServer } from '../../src/server/server';
import { clientFrame, rawWebSocket, serverCloseCode } from './raw-websocket';
import { bearer, makeRendererDir, rawRequest, startTestServer } from './test-server';

let server: RunningServer;
const errors: unknown[] = [];

beforeAll(async () => {
  server = await startTestServer(
    {
      'app.getVersion': (params) => {
        if (params === undefined) return { version: '0.1.0', name: 'setmov' };
        throw new Error('unreachable: the validator refuses params');
      },
    },
    errors,
  );
});
afterAll(() => server.close());

/** Polls `probe` every 10 ms until it gives a value; fails after 5 s. */
async function until<T>(probe: () => T | undefined): Promise<T> {
  const end = Date.now() + 5_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function post(body: string, headers: Record<string, string> = {}) {
  return rawRequest(server.port, {
    method: 'POST',
    path: '/api/request',
    headers: {
      host: `127.0.0.1:${server.port}`,
      'content-type': 'application/json',
      ...bearer(server),
      ...headers,
    },
    body,
  });
}

describe('POST /api/request', () => {
  it('answers app.getVersion with the reply envelope, CSP included', async () => {
    const response = await post('{"name":"app.getVersion"}', {
      origin: `http://127.0.0.1:${server.port}`,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: { version: '0.1.0', name: 'setmov' } });
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('validates like main does: bad params and unknown names are typed errors', async () => {
    // The wording is the contract's validator's; the server passes its typed error on.
    expect(JSON.parse((await post('{"name":"app.getVersion","params":[1]}')).body)).toEqual({
      error: { code: 'bad-request', message: expect.stringMatching(/^app\.getVersion/) },
    });
    expect(JSON.parse((await post('{"name":"hosts.drop"}')).body)).toEqual({
      error: { code: 'bad-request', message: "unknown request 'hosts.drop'" },
    });
    expect(errors).toEqual([]);
  });

  it('refuses malformed bodies with an envelope and a 4xx status', async () => {
    const notJson = await post('{"name":');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { code: 'bad-request' } });
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('{"name":"app.getVersion"}', { 'content-type': 'text/plain' })).status).toBe(
      415,
    );
    const huge = await post(JSON.stringify({ name: 'app.getVersion', params: 'x'.repeat(70_000) }));
    expect(huge.status).toBe(413);
    const get = await rawRequest(server.port, {
      path: '/api/request',
      headers: { host: `127.0.0.1:${server.port}`, ...bearer(server) },
    });
    expect(get.status).toBe(405);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const rebound = await post('{"name":"app.getVersion"}', {
      host: `attacker.example:${server.port}`,
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect(rebound.headers['content-security-policy']).toBeDefined();
    const crossSite = await post('{"name":"app.getVersion"}', {
      origin: 'https://attacker.example',
    });
    expect(crossSite.status).toBe(403);
    expect((await post('{"name":"app.getVersion"}', { origin: 'null' })).status).toBe(403);
  });

  it('accepts localhost as a name for the loopback server', async () => {
    const response = await post('{"name":"app.getVersion"}', {
      host: `localhost:${server.port}`,
      origin: `http://localhost:${server.port}`,
    });
    expect(response.status).toBe(200);
  });
});

describe('static files', () => {
  const get = (path: string, host = `127.0.0.1:${server.port}`) =>
    rawRequest(server.port, { path, headers: { host } });

  it('serves the page with the CSP and framing denied', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('SETMOV Console');
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves hashed assets as immutable', async () => {
    const asset = await get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('serves nothing outside the build, nor hidden files', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/.env',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers['content-security-policy'], path).toBeDefined();
    }
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(403);
  });
});

describe('WebSocket /api/ws', () => {
  function open(headers: Record<string, string> = {}): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, {
        headers: { ...bearer(server), ...headers },
      });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  function next(socket: WebSocket): Promise<unknown> {
    return new Promise((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
  }

  it('answers request frames by id through the same dispatch', async () => {
    const socket = await open({ origin: `http://127.0.0.1:${server.port}` });
    try {
      socket.send(JSON.stringify({ id: 7, name: 'app.getVersion' }));
      expect(await next(socket)).toEqual({
        id: 7,
        reply: { ok: { version: '0.1.0', name: 'setmov' } },
      });
      socket.send(JSON.stringify({ id: 'x', name: 'nope' }));
      expect(await next(socket)).toMatchObject({
        id: 'x',
        reply: { error: { code: 'bad-request' } },
      });
      socket.send('not json');
      expect(await next(socket)).toMatchObject({
        id: null,
        reply: { error: { code: 'bad-request' } },
      });
    } finally {
      socket.close();
    }
  });

  it('publishes events to every connected page', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    try {
      const received = Promise.all([next(a), next(b)]);
      server.publish('app.stopping', { reason: 'signal' });
      expect(await received).toEqual([
        { event: 'app.stopping', payload: { reason: 'signal' } },
        { event: 'app.stopping', payload: { reason: 'signal' } },
      ]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('sends each page the topics it subscribed to, and rare events to all', async () => {
    const [overview, vmPage] = await Promise.all([open(), open()]);
    const frames = new Map<WebSocket, unknown[]>([
      [overview, []],
      [vmPage, []],
    ]);
    const messages = new Map<WebSocket, number>();
    for (const [socket, got] of frames) {
      socket.on('message', (d) => {
        messages.set(socket, (messages.get(socket) ?? 0) + 1);
        const message: unknown = JSON.parse(String(d));
        // Events published together come as one message: an array of them.
        got.push(...(Array.isArray(message) ? message : [message]));
      });
    }
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    try {
      overview.send(
        JSON.stringify({ id: 1, name: 'events.subscribe', params: { topics: ['overview'] } }),
      );
      vmPage.send(
        JSON.stringify({
          id: 2,
          name: 'events.subscribe',
          params: { topics: [`vm:${uuid.toUpperCase()}`, 'host:h1'] },
        }),
      );
      await until(
        () => (frames.get(overview)!.length > 0 && frames.get(vmPage)!.length > 0) || undefined,
      );
      expect(frames.get(overview)).toEqual([{ id: 1, reply: { ok: { topics: ['overview'] } } }]);
      // Topics are kept as the backend names them: a VM's uuid in lower case.
      expect(frames.get(vmPage)).toEqual([
        { id: 2, reply: { ok: { topics: [`vm:${uuid}`, 'host:h1'] } } },
      ]);
      expect(server.events.wants('overview')).toBe(true);
      expect(server.events.wants('host:h2')).toBe(false);

      const poll = {
        hostId: 'h1',
        status: { status: 'up' },
        figures: null,
        vms: {
          total: 0,
          running: 0,
          paused: 0,
          other: 0,
          displaysConnected: 0,
          allocatedVcpus: 0,
          allocatedMemoryBytes: 0,
        },
      };
      server.publish('host.poll', poll as never);
      server.publish('vm.detail', { hostId: 'h1', uuid, sample: {} } as never);
      server.publish('host.detail', { hostId: 'h2', sample: null, vms: [] });
      server.publish('app.stopping', { reason: 'signal' });
      await until(
        () => (frames.get(overview)!.length >= 3 && frames.get(vmPage)!.length >= 3) || undefined,
      );
      const events = (socket: WebSocket) =>
        frames
          .get(socket)!
          .slice(1)
          .map((f) => (f as { event: string }).event);
      expect(events(overview)).toEqual(['host.poll', 'app.stopping']);
      expect(events(vmPage)).toEqual(['vm.detail', 'app.stopping']);
      // The reply, then the four published together in one message.
      expect(messages.get(overview)).toBe(2);
      expect(messages.get(vmPage)).toBe(2);

      // An empty set stops them; a bad topic is refused and changes nothing.
      vmPage.send(
        JSON.stringify({ id: 3, name: 'events.subscribe', params: { topics: ['vm:x'] } }),
      );
      vmPage.send(JSON.stringify({ id: 4, name: 'events.subscribe', params: { topics: [] } }));
      await until(() => frames.get(vmPage)!.length >= 5 || undefined);
      expect(frames.get(vmPage)![3]).toMatchObject({
        id: 3,
        reply: { error: { code: 'bad-request' } },
      });
      expect(frames.get(vmPage)![4]).toEqual({ id: 4, reply: { ok: { topics: [] } } });
      expect(server.events.wants(`vm:${uuid}`)).toBe(false);
    } finally {
      overview.close();
      vmPage.close();
    }
    // A closed page is detached: nothing wants its topics any more.
    await until(() => !server.events.wants('overview') || undefined);
  });

  it('refuses a subscription over POST: it belongs to a page socket', async () => {
    const response = JSON.parse(
      (await post('{"name":"events.subscribe","params":{"topics":["overview"]}}')).body,
    );
    expect(response).toMatchObject({
      error: { code: 'bad-request', message: expect.stringMatching(/WebSocket/) },
    });
  });

  it('refuses a cross-site WebSocket', async () => {
    await expect(open({ origin: 'https://attacker.example' })).rejects.toThrow(/403/);
  });
});

describe('WebSocket frames that break the protocol', () => {
  // An 'error' event nobody listens to is thrown from a tick of its own: in `setmov serve`
  // it ends the process. Vitest's own handler keeps this one alive, so count them here.
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown): void => void uncaught.push(error);
  beforeAll(() => void process.on('uncaughtException', onUncaught));
  afterAll(() => void process.off('uncaughtException', onUncaught));
  beforeEach(() => void uncaught.splice(0));

  async function roundTrip(): Promise<unknown> {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, {
      headers: bearer(server),
    });
    try {
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const reply = new Promise((resolve) =>
        socket.once('message', (data) => resolve(JSON.parse(String(data)))),
      );
      socket.send(JSON.stringify({ id: 1, name: 'app.getVersion' }));
      return await reply;
    } finally {
      socket.close();
    }
  }

  it('survives a peer that resets while its upgrade is refused', async () => {
    for (let i = 0; i < 5; i++) {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: http://evil.example\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.resetAndDestroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uncaught).toEqual([]);
    expect(await roundTrip()).toEqual({
      id: 1,
      reply: { ok: { version: '0.1.0', name: 'setmov' } },
    });
  });

  it('closes a connection whose frame is over 64 KiB (1009) and keeps serving', async () => {
    const socket = await rawWebSocket(server.port, server.token);
    const code = serverCloseCode(socket);
    socket.write(clientFrame(1, Buffer.alloc(65 * 1024, 0x61)));
    expect(await code).toBe(1009);
    expect(uncaught).toEqual([]);
    expect(await roundTrip()).toEqual({
      id: 1,
      reply: { ok: { version: '0.1.0', name: 'setmov' } },
    });
    expect(
      (await rawRequest(server.port, { headers: { host: `127.0.0.1:${server.port}` } })).status,
    ).toBe(200);
  });

  it('closes a connection that sends an unmasked frame (1002) and keeps serving', async () => {
    const socket = await rawWebSocket(server.port, server.token);
    const code = serverCloseCode(socket);
    socket.write(clientFrame(1, Buffer.from('{"id":1,"name":"app.getVersion"}'), false));
    expect(await code).toBe(1002);
    expect(uncaught).toEqual([]);
    expect(await roundTrip()).toEqual({
      id: 1,
      reply: { ok: { version: '0.1.0', name: 'setmov' } },
    });
  });
});

describe('startServer', () => {
  it('says clearly when the port is taken', async () => {
    const holder = await startTestServer();
    try {
      await expect(
        startServer({
          host: '127.0.0.1',
          port: holder.port,
          rendererDir: '/nonexistent',
          handlers: { 'app.getVersion': () => ({ version: '1' }) },
        }),
      ).rejects.toThrow(`cannot listen on 127.0.0.1:${holder.port}: the port is in use`);
    } finally {
      await holder.close();
    }
  });

  it('refuses every spelling of the wildcard address, by the address it bound', async () => {
    const noHandlers = { 'app.getVersion': () => ({ version: '1' }) };
    const free = await startTestServer();
    const port = free.port;
    await free.close();
    for (const host of ['0', '0.0.0.0', '0.0', '::', '0:0::0', '::ffff:0.0.0.0', '']) {
      const started = startServer({
        host,
        port,
        rendererDir: '/nonexistent',
        handlers: noHandlers,
      });
      await expect(started, host).rejects.toThrow(ListenError);
      await expect(started, host).rejects.toMatchObject({
        code: 'wildcard-address',
        message: expect.stringMatching(
          /listens on every address \((0\.0\.0\.0|::|::ffff:0\.0\.0\.0)\); give one address/,
        ),
      });
    }
    // Each refusal let the port go again.
    const again = await startServer({
      host: '127.0.0.1',
      port,
      rendererDir: '/nonexistent',
      handlers: noHandlers,
    });
    expect(again.address).toBe('127.0.0.1');
    await again.close();
  });

  it('answers a browser on port 80, whose Host and Origin name no port', async () => {
    // A loopback address of its own, so nothing else on port 80 of 127.0.0.1 is in the way.
    const on80 = await startServer({
      host: '127.0.0.80',
      port: 80,
      rendererDir: makeRendererDir(),
      handlers: { 'app.getVersion': () => ({ version: '0.1.0', name: 'setmov' }) },
    });
    try {
      expect(on80.url).toBe('http://127.0.0.80:80/');
      const page = await rawRequest(80, { address: '127.0.0.80', headers: { host: '127.0.0.80' } });
      expect(page.status).toBe(200);
      const reply = await rawRequest(80, {
        address: '127.0.0.80',
        method: 'POST',
        path: '/api/request',
        headers: {
          host: '127.0.0.80',
          origin: 'http://127.0.0.80',
          'content-type': 'application/json',
          ...bearer(on80),
        },
        body: '{"name":"app.getVersion"}',
      });
      expect(reply.status).toBe(200);
      const rebound = await rawRequest(80, {
        address: '127.0.0.80',
        headers: { host: 'evil.example' },
      });
      expect(rebound.status).toBe(403);
    } finally {
      await on80.close();
    }
  });

  it('sends the events of one turn together, in order, in messages of at most 64 KiB', async () => {
    const other = await startTestServer();
    const socket = new WebSocket(`ws://127.0.0.1:${other.port}/api/ws`, {
      headers: bearer(other),
    });
    try {
      await new Promise((resolve) => socket.once('open', resolve));
      const messageChars: number[] = [];
      const reasons: string[] = [];
      socket.on('message', (data) => {
        messageChars.push(String(data).length);
        const message: unknown = JSON.parse(String(data));
        for (const frame of wsEventFramesOf(message)) {
          reasons.push((frame.payload as { reason: string }).reason);
        }
      });
      const padding = 'x'.repeat(2_000);
      const sent = Array.from({ length: 100 }, (_, i) => `${i} ${padding}`);
      for (const reason of sent) other.publish('app.stopping', { reason } as never);
      await until(() => reasons.length >= sent.length || undefined);
      expect(reasons).toEqual(sent);
      // 200 kB: a few messages, none over the bound but for the array's commas.
      expect(messageChars.length).toBeGreaterThanOrEqual(4);
      expect(messageChars.length).toBeLessThan(10);
      expect(Math.max(...messageChars)).toBeLessThanOrEqual(64 * 1024 + 40);
    } finally {
      socket.close();
      await other.close();
    }
  });

  it('closes with a WebSocket open, delivering what was published just before', async () => {
    const other = await startTestServer();
    const socket = new WebSocket(`ws://127.0.0.1:${other.port}/api/ws`, {
      headers: bearer(other),
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const frames: unknown[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    other.publish('app.stopping', { reason: 'signal' });
    const started = Date.now();
    await other.close();
    expect(await closed).toBe(1001);
    expect(frames).toEqual([{ event: 'app.stopping', payload: { reason: 'signal' } }]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not wait for a page that never answers the close', async () => {
    const other = await startTestServer();
    const socket = new WebSocket(`ws://127.0.0.1:${other.port}/api/ws`, {
      headers: bearer(other),
    });
    await new Promise((resolve) => socket.once('open', resolve));
    // Stop reading: the close frame is never acknowledged.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    socket.terminate();
  });
});
