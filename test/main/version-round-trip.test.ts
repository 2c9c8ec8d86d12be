import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SetmovBridge } from '../../src/shared/contract/bridge';
import {
  ContractError,
  createPreloadClient,
  EVENT_CHANNEL,
  REQUEST_CHANNEL,
} from '../../src/shared/contract';

const { fake, module } = await vi.hoisted(async () =>
  (await import('./electron-fake')).createElectronFake(),
);
vi.mock('electron', () => module);

const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { name: string; version: string };

let bridge: SetmovBridge;

// The whole path of a request, renderer → preload → IPC → main → reply, with only the
// Electron runtime replaced: main's and preload's real entry modules are loaded.
beforeAll(async () => {
  await import('../../src/main/index');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 15_000 });
  await import('../../src/preload/index');
  bridge = fake.exposed.get('setmov') as SetmovBridge;
  const loaded = fake.windows[0]?.loadedFile;
  if (!loaded) throw new Error('main did not load the renderer');
  fake.senderUrl = pathToFileURL(loaded).href;
}, 30_000);

describe('version round trip through main and preload', () => {
  it('registers one request channel and exposes only `setmov` with `request` and `onEvent`', () => {
    expect([...fake.ipcHandlers.keys()]).toEqual([REQUEST_CHANNEL]);
    expect([...fake.exposed.keys()]).toEqual(['setmov']);
    expect(Object.keys(bridge)).toEqual(['request', 'onEvent']);
  });

  it("answers app.getVersion with package.json's version", async () => {
    await expect(bridge.request('app.getVersion')).resolves.toEqual({
      ok: { version: packageJson.version, name: packageJson.name },
    });
    const client = createPreloadClient(bridge);
    await expect(client.request('app.getVersion')).resolves.toMatchObject({
      version: packageJson.version,
    });
  });

  it('rejects params the request does not take with a typed error', async () => {
    const reply = await bridge.request('app.getVersion', { evil: true } as never);
    expect(reply).toMatchObject({
      error: { code: 'bad-request', message: expect.stringContaining('app.getVersion') },
    });
    const failure = await createPreloadClient(bridge)
      .request('app.getVersion', { evil: true } as never)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ContractError);
    expect(failure).toMatchObject({ code: 'bad-request' });
  });

  it('rejects unknown request names and non-string names', async () => {
    await expect(bridge.request('host.delete' as never)).resolves.toEqual({
      error: { code: 'bad-request', message: "unknown request 'host.delete'" },
    });
    await expect(bridge.request({ toString: 1 } as never)).resolves.toMatchObject({
      error: { code: 'bad-request', message: 'unknown request object' },
    });
  });

  it('refuses requests from a frame that is not the console page', async () => {
    const trusted = fake.senderUrl;
    try {
      fake.senderUrl = 'https://attacker.example/';
      await expect(bridge.request('app.getVersion')).resolves.toMatchObject({
        error: { code: 'forbidden' },
      });
    } finally {
      fake.senderUrl = trusted;
    }
  });

  it('delivers events from main to a subscriber, without the IPC event object', async () => {
    const client = createPreloadClient(bridge);
    const raw: unknown[][] = [];
    const stopRaw = bridge.onEvent((...args) => raw.push(args));
    const received: unknown[] = [];
    const unsubscribe = client.subscribe('app.stopping', (payload) => received.push(payload));
    fake.app.emit('before-quit', { preventDefault: () => {} });
    expect(received).toEqual([{ reason: 'quit' }]);
    expect(raw).toEqual([['app.stopping', { reason: 'quit' }]]);
    unsubscribe();
    stopRaw();
    expect(fake.rendererListeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });

  it('opens a sandboxed, isolated window with the CommonJS preload', () => {
    const prefs = fake.windows[0]?.options.webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(prefs?.preload).toMatch(/[/\\]preload[/\\]index\.cjs$/);
  });
});
