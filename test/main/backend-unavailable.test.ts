import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SetmovBridge } from '../../src/shared/contract/bridge';

const { fake, module } = await vi.hoisted(async () =>
  (await import('./electron-fake')).createElectronFake(),
);
vi.mock('electron', () => module);

let bridge: SetmovBridge;

// A settings file the backend cannot use: main must still open its window, and say why.
beforeAll(async () => {
  mkdirSync(fake.paths.userData, { recursive: true });
  writeFileSync(join(fake.paths.userData, 'settings.json'), '{"theme": "neon"');
  await import('../../src/preload/index');
  bridge = fake.exposed.get('setmov') as SetmovBridge;
  await import('../../src/main/index');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 15_000 });
  fake.senderUrl = pathToFileURL(fake.windows[0]!.loadedFile!).href;
}, 30_000);

describe('main when the backend cannot start', () => {
  it('opens the window and answers the version', async () => {
    await expect(bridge.request('app.getVersion')).resolves.toHaveProperty('ok');
  });

  it('answers every other request with the reason, not a hang or a throw', async () => {
    for (const name of ['hosts.list', 'inventory', 'sync.get', 'settings.get'] as const) {
      await expect(bridge.request(name)).resolves.toEqual({
        error: {
          code: 'failed',
          message: expect.stringMatching(
            /^SETMOV could not start: .*settings\.json: not valid JSON/,
          ),
        },
      });
    }
  });

  it('quits at once: there is no backend to close', async () => {
    const quits = fake.quitCalls;
    const event = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', event);
    await vi.waitFor(() => expect(fake.quitCalls).toBe(quits + 1));
  });
});
