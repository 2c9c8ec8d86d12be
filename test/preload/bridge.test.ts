import { describe, expect, it, vi } from 'vitest';
import type { SetmovBridge } from '../../src/shared/contract/bridge';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from '../../src/shared/contract';

type Listener = (event: unknown, ...args: unknown[]) => void;

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  listeners: new Map<string, Set<Listener>>(),
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
    on: (channel: string, listener: Listener) => {
      const set = electron.listeners.get(channel) ?? new Set();
      electron.listeners.set(channel, set.add(listener));
    },
    removeListener: (channel: string, listener: Listener) =>
      electron.listeners.get(channel)?.delete(listener),
  },
}));

async function loadBridge(): Promise<SetmovBridge> {
  await import('../../src/preload/index');
  return electron.exposed.get('setmov') as SetmovBridge;
}

describe('preload bridge', () => {
  it('exposes exactly window.setmov with request and onEvent', async () => {
    await loadBridge();
    expect([...electron.exposed.keys()]).toEqual(['setmov']);
    expect(Object.keys(electron.exposed.get('setmov') as object)).toEqual(['request', 'onEvent']);
  });

  it('forwards requests on the request channel untouched', async () => {
    const bridge = await loadBridge();
    await expect(bridge.request('app.getVersion')).resolves.toEqual({ ok: { version: '1.2.3' } });
    expect(electron.invoked).toEqual([[REQUEST_CHANNEL, 'app.getVersion', undefined]]);
  });

  it('hands the page the event name and payload, never the IPC event, until stopped', async () => {
    const bridge = await loadBridge();
    const seen: unknown[][] = [];
    const stop = bridge.onEvent((...args) => seen.push(args));
    const send = (...args: unknown[]) =>
      electron.listeners.get(EVENT_CHANNEL)?.forEach((l) => l({ sender: 'secret' }, ...args));
    send('app.stopping', { reason: 'quit' });
    stop();
    send('app.stopping', { reason: 'quit' });
    expect(seen).toEqual([['app.stopping', { reason: 'quit' }]]);
  });
});
