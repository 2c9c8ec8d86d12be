import { describe, expect, it, vi } from 'vitest';
import type { SetmovBridge } from '../../src/preload/api';
import { REQUEST_CHANNEL } from '../../src/shared/contract';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
}));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      electron.invoked.push(args);
      return Promise.resolve({ ok: { version: '1.2.3' } });
    },
  },
}));

describe('preload bridge', () => {
  it('exposes exactly window.setmov.request, forwarding on the contract channel', async () => {
    await import('../../src/preload/index');
    expect([...electron.exposed.keys()]).toEqual(['setmov']);
    const bridge = electron.exposed.get('setmov') as SetmovBridge;
    expect(Object.keys(bridge)).toEqual(['request']);
    await expect(bridge.request('app.getVersion')).resolves.toEqual({ ok: { version: '1.2.3' } });
    expect(electron.invoked).toEqual([[REQUEST_CHANNEL, 'app.getVersion', undefined]]);
  });
});
