import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SetmovBridge } from '../../src/shared/contract/bridge';

const { fake, module } = await vi.hoisted(async () =>
  (await import('./electron-fake')).createElectronFake(),
);
vi.mock('electron', () => module);

let bridge: SetmovBridge;

// The page's side of the IPC: whatever it passes, window.setmov.request resolves to an
// envelope. The preload is loaded before main, so the first request finds no handler.
beforeAll(async () => {
  await import('../../src/preload/index');
  bridge = fake.exposed.get('setmov') as SetmovBridge;
});

describe('the IPC between page and main', () => {
  it('answers a request main cannot receive yet with a typed error, not a rejection', async () => {
    await expect(bridge.request('app.getVersion')).resolves.toEqual({
      error: { code: 'internal', message: 'app.getVersion: the request did not reach main' },
    });
  });

  it('answers params IPC cannot carry with bad-request, not a rejection', async () => {
    await import('../../src/main/index');
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 15_000 });
    fake.senderUrl = pathToFileURL(fake.windows[0]!.loadedFile!).href;
    for (const params of [{ callback: () => 1 }, { when: Symbol('x') }, [() => 1]]) {
      await expect(bridge.request('app.getVersion', params as never)).resolves.toEqual({
        error: {
          code: 'bad-request',
          message: 'app.getVersion: params must be plain data (JSON values)',
        },
      });
    }
    await expect(bridge.request('app.getVersion')).resolves.toHaveProperty('ok');
  });

  it('answers every malformed request with an envelope', async () => {
    const bad: [unknown, unknown][] = [
      [undefined, undefined],
      [42, null],
      ['x'.repeat(10_000), {}],
      ['app.getVersion', 'a string'],
      ['app.getVersion', { nested: { deep: [1, 2, { x: null }] } }],
      ['hosts.add', { host: 1 }],
      ['__proto__', {}],
    ];
    for (const [name, params] of bad) {
      const reply = await bridge.request(name as never, params as never);
      expect(reply, String(name).slice(0, 20)).toMatchObject({
        error: { code: 'bad-request', message: expect.any(String) },
      });
      expect(JSON.stringify(reply).length).toBeLessThan(2_000);
    }
  });
});
