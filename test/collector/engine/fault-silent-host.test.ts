import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import { EngineWatch } from './engine-watch';
import { activeResources, settledLeaks } from './handles';

/** A "host" that accepts the TCP connection and then says nothing: no SSH banner, ever. */
describe('fault: a host that accepts TCP and says nothing', () => {
  let server: Server;
  let port = 0;
  const sockets: Socket[] = [];
  let knownHosts = '';

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      // The client hanging up is all this host ever reacts to.
      socket.on('end', () => socket.destroy());
      // Read (and drop) what the client sends, so that its hang-up is seen.
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'setmov-silent-'));
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, '');
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is unreachable (timed out), retries with backoff, and leaves nothing open when stopped', async () => {
    const before = activeResources();
    const engine = new CollectorEngine({ backoff: { initialMs: 200, random: () => 0 } });
    const watch = new EngineWatch(engine);
    engine.addHost({
      id: 'silent',
      ssh: {
        host: '127.0.0.1',
        port,
        username: 'root',
        auth: { method: 'password', password: 'not-used' },
        knownHostsFile: knownHosts,
        connectTimeoutMs: 600,
      },
    });
    expect(engine.status('silent')?.status).toBe('connecting');
    const first = await watch.waitFor('host-status', (e) => e.status === 'unreachable', 5_000);
    expect(first.event.reason).toMatch(/timed out after 600 ms/);
    expect(first.event.retryAt).not.toBeNull();
    expect(first.event.failedAttempts).toBe(1);

    // The retry connects again (a new TCP connection) and fails the same way.
    await watch.waitFor(
      'host-status',
      (e) => e.status === 'unreachable' && e.failedAttempts >= 2,
      5_000,
    );
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    const statuses = watch.of('host-status').map((e) => e.status);
    expect(statuses).toContain('connecting');
    expect(watch.of('host-sample')).toEqual([]);

    await engine.stop();
    watch.dispose();
    expect(engine.status('silent')).toBeUndefined();
    expect(watch.of('host-status').at(-1)?.status).toBe('stopped');
    // Every connection the engine opened was closed from its side (so the server's ended too).
    expect(await settledLeaks(before)).toEqual({});
    expect(sockets.every((s) => s.destroyed)).toBe(true);
    expect(watch.unhandled).toEqual([]);
  });
});
