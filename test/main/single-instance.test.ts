import { describe, expect, it, vi } from 'vitest';

const { fake, module } = await vi.hoisted(async () =>
  (await import('./electron-fake')).createElectronFake(),
);
vi.mock('electron', () => module);

describe('a second start of the app', () => {
  it('quits without opening a window or answering requests', async () => {
    fake.singleInstanceLock = false;
    await import('../../src/main/index');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.quitCalls).toBe(1);
    expect(fake.windows).toEqual([]);
    expect(fake.ipcHandlers.size).toBe(0);
  });
});
