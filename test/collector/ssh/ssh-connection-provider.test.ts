import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../src/collector/ssh/ssh-connection';
import { createSshConnectionProvider } from '../../../src/collector/ssh/ssh-connection-provider';
import { SshUnreachableError } from '../../../src/collector/ssh/ssh-errors';
import type { SshTarget } from '../../../src/collector/ssh/ssh-target';

const target: SshTarget = { host: 'h', username: 'u', auth: { method: 'password', password: 'p' } };

/** Stands in for a connection: the provider only looks at `closed` and close(). */
function fakeConnection(): SshConnection & { die(): void } {
  const emitter = new EventEmitter() as unknown as SshConnection & { die(): void; closed: boolean };
  emitter.closed = false;
  emitter.close = async () => {
    emitter.closed = true;
  };
  emitter.die = () => {
    emitter.closed = true;
  };
  return emitter;
}

describe('createSshConnectionProvider', () => {
  it('shares one connect between concurrent callers and reuses the open connection', async () => {
    let connects = 0;
    const provider = createSshConnectionProvider(target, async () => {
      connects++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return fakeConnection();
    });
    const [a, b] = await Promise.all([provider.get(), provider.get()]);
    expect(a).toBe(b);
    expect(await provider.get()).toBe(a);
    expect(connects).toBe(1);
    expect(provider.current()).toBe(a);
  });

  it('connects again after the connection died or a connect failed', async () => {
    const made: ReturnType<typeof fakeConnection>[] = [];
    let fail = false;
    const provider = createSshConnectionProvider(target, async () => {
      if (fail) throw new SshUnreachableError('u@h:22', 'ECONNREFUSED');
      const c = fakeConnection();
      made.push(c);
      return c;
    });
    const first = await provider.get();
    made[0]?.die();
    expect(provider.current()).toBeNull();
    fail = true;
    await expect(provider.get()).rejects.toBeInstanceOf(SshUnreachableError);
    fail = false;
    const second = await provider.get();
    expect(second).not.toBe(first);
  });

  it('closes its connection, also one still being made, and refuses afterwards', async () => {
    let release: () => void = () => undefined;
    const late = fakeConnection();
    const provider = createSshConnectionProvider(
      target,
      () => new Promise<SshConnection>((resolve) => (release = () => resolve(late))),
    );
    const pending = provider.get();
    await provider.close();
    release();
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    expect(late.closed).toBe(true);
    await expect(provider.get()).rejects.toMatchObject({ code: 'closed' });
  });
});
