import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer } from '../../src/server/server';
import type { RunningServer } from '../../src/server/server';
import { ContractError, createHttpClient } from '../../src/shared/contract';
import { bearer, fetchWithToken, makeRendererDir, startTestServer } from '../server/test-server';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<ContractError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ContractError))
    throw new Error(`expected a ContractError, got ${String(error)}`);
  return error;
}

describe('HTTP contract client', () => {
  it('gets the version from `setmov serve`', async () => {
    const client = createHttpClient(server.url, { fetch: fetchWithToken(server) });
    await expect(client.request('app.getVersion')).resolves.toEqual({
      version: '0.1.0',
      name: 'setmov',
    });
  });

  it("turns an error reply into a ContractError with the server's code", async () => {
    const client = createHttpClient(server.url, { fetch: fetchWithToken(server) });
    const error = await failure(client.request('app.getVersion', { x: 1 } as never));
    expect(error.code).toBe('bad-request');
    expect(error.message).toBe('app.getVersion takes no params');
  });

  it('reports an unreachable server as a failure, not a TypeError', async () => {
    const closed = await startTestServer();
    await closed.close();
    const error = await failure(createHttpClient(closed.url).request('app.getVersion'));
    expect(error.code).toBe('failed');
    expect(error.message).toBe('app.getVersion: cannot reach the SETMOV server');
  });

  it('refuses an answer that is not a reply envelope', async () => {
    const impostor = createServer((_req, res) => res.end('<html>proxy error</html>'));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = impostor.address() as AddressInfo;
      const error = await failure(
        createHttpClient(`http://127.0.0.1:${port}/`).request('app.getVersion'),
      );
      expect(error.code).toBe('internal');
      expect(error.message).toBe('app.getVersion: the server answered 200 without a reply');
    } finally {
      impostor.close();
    }
  });

  it('receives published events over the WebSocket while subscribed, alone or several in a message', async () => {
    const sockets: WebSocket[] = [];
    const client = createHttpClient(server.url, {
      openWebSocket: (url) => {
        const socket = new WebSocket(url, {
          headers: { origin: new URL(server.url).origin, ...bearer(server) },
        });
        sockets.push(socket);
        return socket;
      },
    });
    const received: unknown[] = [];
    const unsubscribe = client.subscribe('app.stopping', (payload) => received.push(payload));
    const second = client.subscribe('app.stopping', () => {});
    expect(sockets).toHaveLength(1);
    const socket = sockets[0]!;
    await new Promise((resolve) => socket.once('open', resolve));
    server.publish('app.stopping', { reason: 'signal' });
    await expect.poll(() => received).toEqual([{ reason: 'signal' }]);
    // Published in one turn: one message of both, taken in their order.
    server.publish('app.stopping', { reason: 'quit' });
    server.publish('app.stopping', { reason: 'signal' });
    await expect
      .poll(() => received)
      .toEqual([{ reason: 'signal' }, { reason: 'quit' }, { reason: 'signal' }]);
    unsubscribe();
    expect(socket.readyState).toBe(WebSocket.OPEN);
    second();
    await expect.poll(() => socket.readyState).toBe(WebSocket.CLOSED);
  });

  it('subscribes the socket to the topics its views watch, counted, and re-sends on change', async () => {
    const sockets: WebSocket[] = [];
    const client = createHttpClient(server.url, {
      openWebSocket: (url) => {
        const socket = new WebSocket(url, {
          headers: { origin: new URL(server.url).origin, ...bearer(server) },
        });
        sockets.push(socket);
        return socket;
      },
    });
    const polls: unknown[] = [];
    const stopListening = client.subscribe('host.poll', (payload) => polls.push(payload));
    const stopA = client.watch('overview');
    const stopB = client.watch('overview');
    expect(sockets).toHaveLength(1);
    await expect.poll(() => server.events.wants('overview')).toBe(true);
    const poll = { host: 'h1', status: {}, figures: null, vms: {} } as never;
    server.publish('host.poll', poll);
    await expect.poll(() => polls.length).toBe(1);
    stopA();
    stopA(); // a second call of the same stop does not drop the other view's watch
    server.publish('host.poll', poll);
    await expect.poll(() => polls.length).toBe(2);
    expect(server.events.wants('overview')).toBe(true);
    stopB();
    await expect.poll(() => server.events.wants('overview')).toBe(false);
    server.publish('host.poll', poll);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(polls).toHaveLength(2);
    stopListening();
    await expect.poll(() => sockets[0]!.readyState).toBe(WebSocket.CLOSED);
  });

  it('sends the topics watched together in one frame: a view watching 500 hosts is one', async () => {
    const sent: string[] = [];
    const client = createHttpClient(server.url, {
      openWebSocket: (url) => {
        const socket = new WebSocket(url, {
          headers: { origin: new URL(server.url).origin, ...bearer(server) },
        });
        const send = socket.send.bind(socket);
        socket.send = ((data: string) => {
          sent.push(data);
          send(data);
        }) as typeof socket.send;
        return socket;
      },
    });
    const stopOverview = client.watch('overview');
    await expect.poll(() => server.events.wants('overview')).toBe(true);
    sent.length = 0;
    const stops = Array.from({ length: 500 }, (_, i) => client.watch(`host:h${i}`));
    await expect.poll(() => server.events.wants('host:h499')).toBe(true);
    expect(sent).toHaveLength(1);
    expect(
      (JSON.parse(sent[0] as string) as { params: { topics: string[] } }).params.topics,
    ).toHaveLength(501);
    for (const stop of stops) stop();
    await expect.poll(() => server.events.wants('host:h0')).toBe(false);
    expect(sent).toHaveLength(2);
    stopOverview();
  });

  it('opens its event socket again when the server comes back, says so, and watches again', async () => {
    const first = await startTestServer();
    const restart = () =>
      startServer({
        host: '127.0.0.1',
        port: first.port,
        rendererDir: makeRendererDir(),
        handlers: {},
        token: first.token,
        viewerToken: first.viewerToken,
      });
    const client = createHttpClient(first.url, {
      reconnectDelayMs: { first: 50, last: 200 },
      openWebSocket: (url) =>
        new WebSocket(url, {
          headers: { origin: new URL(first.url).origin, authorization: `Bearer ${first.token}` },
        }),
    });
    const restored: { downMs: number }[] = [];
    const polls: unknown[] = [];
    client.subscribe('connection.restored', (payload) => restored.push(payload));
    client.subscribe('host.poll', (payload) => polls.push(payload));
    client.watch('overview');
    await expect.poll(() => first.events.wants('overview')).toBe(true);
    await first.close();
    // Down for a while: the client keeps trying, and gives up on nothing.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await restart();
    try {
      await expect.poll(() => restored, { timeout: 5_000 }).toHaveLength(1);
      expect(restored[0]?.downMs).toBeGreaterThanOrEqual(400);
      await expect.poll(() => second.events.wants('overview')).toBe(true);
      const poll = { host: 'h1', status: {}, figures: null, vms: {} } as never;
      second.publish('host.poll', poll);
      await expect.poll(() => polls).toEqual([poll]);
    } finally {
      await second.close();
    }
  });
});
