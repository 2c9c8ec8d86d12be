import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import { parseMysqlUrl } from '../../../src/store/mysql/mysql-target';
import { Store } from '../../../src/store/store';
import { makeRandom, makeVmSample } from '../sample-factory';
import { tempDir } from '../temp-db';

/** A loopback port that refuses connections: taken, then closed. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a cluster target none of whose nodes answers', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('tries each node once, says so in one error naming them all, and keeps every sample', async () => {
    const store = Store.open({ path: tmp.file('h.db') });
    store.ingest([{ type: 'vm-sample', sample: makeVmSample(1, Date.now(), makeRandom(1)) }]);
    const [a, b] = [await closedPort(), await closedPort()];
    const sync = new MysqlSync({
      dbPath: tmp.file('h.db'),
      target: parseMysqlUrl(`mysql://agent@127.0.0.1:${a},127.0.0.1:${b}/setmov`),
      password: '',
      connectTimeoutMs: 2000,
    });
    const error = await sync.syncOnce().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'connection-refused',
      message: `no node of the target answers: MySQL 127.0.0.1:${a}: nothing listens there (connection refused); MySQL 127.0.0.1:${b}: nothing listens there (connection refused)`,
    });
    expect(sync.status()).toMatchObject({
      state: 'error',
      lagSamples: 1,
      failovers: 1,
      lastError: { code: 'connection-refused' },
    });
    // The next round starts at the node it stopped at and tries them all again.
    await expect(sync.syncOnce()).rejects.toMatchObject({ code: 'connection-refused' });
    expect(sync.status()).toMatchObject({ lagSamples: 1, failovers: 2 });
    await sync.close();
    store.close();
  });
});
