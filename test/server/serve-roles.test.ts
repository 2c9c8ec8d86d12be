import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { adminOnlyRequests, readOnlyRequests } from '../../src/shared/contract';
import type { RequestHandlers } from '../../src/shared/contract';
import type { RunningServer } from '../../src/server/server';
import { rawRequest, startTestServer } from './test-server';

// Every request answered, so a refusal can only be the role's.
const handlers = Object.fromEntries(
  [...adminOnlyRequests, ...readOnlyRequests].map((name) => [name, () => ({ served: name })]),
) as RequestHandlers;

let server: RunningServer;
let host: string;
beforeAll(async () => {
  server = await startTestServer(handlers);
  host = `127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

function post(token: string, name: string, params?: unknown) {
  return rawRequest(server.port, {
    method: 'POST',
    path: '/api/request',
    headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, params }),
  });
}

function openWs(token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${host}/api/ws`, {
      headers: { authorization: `Bearer ${token}` },
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function ask(socket: WebSocket, id: number, name: string, params?: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(String(data)) as { id?: unknown };
      if (frame.id !== id) return;
      socket.off('message', onMessage);
      resolve(frame);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, name, params }));
  });
}

describe('the viewer token', () => {
  it('is made beside the admin token, and both open URLs carry their own', () => {
    expect(server.viewerToken).toMatch(/^[\w-]{43}$/);
    expect(server.viewerToken).not.toBe(server.token);
    expect(server.openUrl).toBe(`${server.url}?token=${server.token}`);
    expect(server.viewerUrl).toBe(`${server.url}?token=${server.viewerToken}`);
  });

  it('is refused every admin-only request over POST with 403, before the params are read', async () => {
    for (const name of adminOnlyRequests) {
      const response = await post(server.viewerToken, name, { not: 'checked' });
      expect(response.status, name).toBe(403);
      expect(JSON.parse(response.body), name).toEqual({
        error: { code: 'forbidden', message: `${name} needs the admin's link; this is a viewer's` },
      });
    }
  });

  it('may call every read-only request over POST', async () => {
    for (const name of readOnlyRequests) {
      if (name === 'events.subscribe' || name === 'app.session') continue;
      const response = await post(server.viewerToken, name);
      expect(response.status, name).toBe(200);
      expect(JSON.parse(response.body), name).not.toMatchObject({ error: { code: 'forbidden' } });
    }
  });

  it('tells each page its role', async () => {
    expect(JSON.parse((await post(server.viewerToken, 'app.session')).body)).toEqual({
      ok: { role: 'viewer' },
    });
    expect(JSON.parse((await post(server.token, 'app.session')).body)).toEqual({
      ok: { role: 'admin' },
    });
  });

  it('is refused admin-only requests on the WebSocket with the same reply, and may subscribe', async () => {
    const socket = await openWs(server.viewerToken);
    try {
      let id = 0;
      for (const name of adminOnlyRequests) {
        expect(await ask(socket, ++id, name), name).toEqual({
          id,
          reply: {
            error: {
              code: 'forbidden',
              message: `${name} needs the admin's link; this is a viewer's`,
            },
          },
        });
      }
      expect(await ask(socket, ++id, 'events.subscribe', { topics: ['overview'] })).toMatchObject({
        reply: { ok: { topics: expect.any(Array) } },
      });
      expect(await ask(socket, ++id, 'app.session')).toEqual({
        id,
        reply: { ok: { role: 'viewer' } },
      });
      expect(await ask(socket, ++id, 'inventory')).toEqual({
        id,
        reply: { ok: { served: 'inventory' } },
      });
    } finally {
      socket.close();
    }
  });

  it('lets an admin call admin-only requests', async () => {
    const response = await post(server.token, 'hosts.remove', { id: 'a' });
    expect(JSON.parse(response.body)).toEqual({ ok: { served: 'hosts.remove' } });
  });

  it('is traded for a cookie whose value the server knows as a viewer', async () => {
    const exchange = await rawRequest(server.port, {
      path: `/?token=${server.viewerToken}`,
      headers: { host },
    });
    expect(exchange.status).toBe(303);
    const setCookie = exchange.headers['set-cookie'] as string[];
    const cookie = setCookie[0]!.split(';')[0]!;
    expect(cookie).toBe(`setmov-token-${server.port}=${server.viewerToken}`);
    const session = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/request',
      headers: { host, cookie, 'content-type': 'application/json' },
      body: '{"name":"app.session"}',
    });
    expect(JSON.parse(session.body)).toEqual({ ok: { role: 'viewer' } });
  });
});
