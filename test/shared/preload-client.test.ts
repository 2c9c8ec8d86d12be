import { describe, expect, it } from 'vitest';
import type { SetmovBridge } from '../../src/shared/contract/bridge';
import { createPreloadClient } from '../../src/shared/contract';

function bridgeAnswering(reply: unknown): SetmovBridge {
  return { request: () => Promise.resolve(reply as never), onEvent: () => () => {} };
}

describe('preload contract client', () => {
  it('unwraps ok replies and throws typed errors', async () => {
    await expect(
      createPreloadClient(bridgeAnswering({ ok: { version: '2.0.0' } })).request('app.getVersion'),
    ).resolves.toEqual({ version: '2.0.0' });
    await expect(
      createPreloadClient(
        bridgeAnswering({ error: { code: 'forbidden', message: 'not the console page' } }),
      ).request('app.getVersion'),
    ).rejects.toMatchObject({ name: 'ContractError', code: 'forbidden' });
  });

  it('refuses something that is not a reply', async () => {
    for (const reply of [undefined, 'x', { error: 'boom' }, { error: { code: 1 } }]) {
      await expect(
        createPreloadClient(bridgeAnswering(reply)).request('app.getVersion'),
      ).rejects.toMatchObject({
        code: 'internal',
        message: 'app.getVersion: malformed reply from main',
      });
    }
  });

  it('attaches to the bridge once, routes events by name, and detaches with the last listener', () => {
    let emit: (name: string, payload: unknown) => void = () => {};
    let attached = 0;
    const bridge: SetmovBridge = {
      request: () => Promise.reject(new Error('unused')),
      onEvent: (listener) => {
        attached += 1;
        emit = listener;
        return () => {
          attached -= 1;
        };
      },
    };
    const client = createPreloadClient(bridge);
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = client.subscribe('app.stopping', (p) => first.push(p));
    const stopSecond = client.subscribe('app.stopping', (p) => second.push(p));
    expect(attached).toBe(1);
    emit('app.stopping', { reason: 'quit' });
    emit('hosts.changed', { id: 1 });
    stopFirst();
    emit('app.stopping', { reason: 'signal' });
    expect(first).toEqual([{ reason: 'quit' }]);
    expect(second).toEqual([{ reason: 'quit' }, { reason: 'signal' }]);
    stopSecond();
    expect(attached).toBe(0);
  });

  it('keeps delivering to the others when one listener throws', () => {
    let emit: (name: string, payload: unknown) => void = () => {};
    const client = createPreloadClient({
      request: () => Promise.reject(new Error('unused')),
      onEvent: (listener) => ((emit = listener), () => {}),
    });
    const seen: unknown[] = [];
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      client.subscribe('app.stopping', () => {
        throw new Error('listener bug');
      });
      client.subscribe('app.stopping', (p) => seen.push(p));
      emit('app.stopping', { reason: 'quit' });
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([{ reason: 'quit' }]);
    expect(errors).toHaveLength(1);
  });

  it('sends the whole set of watched topics, in order, once for the changes made together', async () => {
    const sent: unknown[] = [];
    const bridge: SetmovBridge = {
      request: (name, params) => {
        sent.push([name, params]);
        return Promise.resolve({ ok: params } as never);
      },
      onEvent: () => () => {},
    };
    const client = createPreloadClient(bridge);
    const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
    const stopOverview = client.watch('overview');
    await turn();
    const stopHost = client.watch('host:h1');
    const again = client.watch('overview');
    await turn();
    stopOverview();
    again();
    await turn();
    // Watched and dropped together: nothing to tell.
    client.watch('host:h2')();
    stopHost();
    await expect.poll(() => sent.length).toBe(4);
    expect(sent).toEqual([
      ['events.subscribe', { topics: ['overview'] }],
      ['events.subscribe', { topics: ['overview', 'host:h1'] }],
      ['events.subscribe', { topics: ['host:h1'] }],
      ['events.subscribe', { topics: [] }],
    ]);
  });
});
