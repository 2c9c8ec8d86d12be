import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * A stand-in for the parts of `electron` that src/main and src/preload touch: the
 * Electron binary cannot run here, so the IPC between them is wired in-process.
 */
export interface ElectronFake {
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  exposed: Map<string, unknown>;
  windows: { options: BrowserWindowConstructorOptions; loadedFile?: string; loadedUrl?: string }[];
  /** URL of the frame that the fake ipcRenderer reports as the sender. */
  senderUrl: string;
  app: EventEmitter;
  openedExternally: string[];
  /** Listeners the preload attached with ipcRenderer.on, by channel. */
  rendererListeners: Map<string, Set<(event: unknown, ...args: unknown[]) => void>>;
}

export function createElectronFake(): { fake: ElectronFake; module: Record<string, unknown> } {
  const app = Object.assign(new EventEmitter(), {
    whenReady: () => Promise.resolve(),
    enableSandbox: () => {},
    quit: () => {},
    getVersion: () => 'not-from-package-json',
  });
  const fake: ElectronFake = {
    ipcHandlers: new Map(),
    exposed: new Map(),
    windows: [],
    senderUrl: '',
    app,
    openedExternally: [],
    rendererListeners: new Map(),
  };

  class BrowserWindow extends EventEmitter {
    static readonly all: BrowserWindow[] = [];
    static getAllWindows = (): BrowserWindow[] => BrowserWindow.all;
    private readonly record: ElectronFake['windows'][number];
    // Main → renderer messages land on the preload's ipcRenderer.on listeners.
    readonly webContents = {
      isDestroyed: () => false,
      send: (channel: string, ...args: unknown[]) => {
        for (const listener of fake.rendererListeners.get(channel) ?? []) {
          listener({ sender: 'ipc-renderer' }, ...structuredClone(args));
        }
      },
    };
    constructor(options: BrowserWindowConstructorOptions) {
      super();
      this.record = { options };
      fake.windows.push(this.record);
      BrowserWindow.all.push(this);
    }
    loadFile(path: string): Promise<void> {
      this.record.loadedFile = path;
      return Promise.resolve();
    }
    loadURL(url: string): Promise<void> {
      this.record.loadedUrl = url;
      return Promise.resolve();
    }
    show(): void {}
  }

  const session = {
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
    setDevicePermissionHandler: () => {},
    webRequest: { onHeadersReceived: () => {} },
  };

  const module = {
    app,
    BrowserWindow,
    session: { defaultSession: session },
    shell: { openExternal: (url: string) => fake.openedExternally.push(url) },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
        if (fake.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        fake.ipcHandlers.set(channel, handler);
      },
    },
    ipcRenderer: {
      on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        const set = fake.rendererListeners.get(channel) ?? new Set();
        fake.rendererListeners.set(channel, set.add(listener));
      },
      removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        fake.rendererListeners.get(channel)?.delete(listener);
      },
      // Structured clone, as Electron's IPC does: only plain data crosses.
      invoke: async (channel: string, ...args: unknown[]) => {
        const handler = fake.ipcHandlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        const event = { senderFrame: { url: fake.senderUrl } };
        return structuredClone(await handler(event, ...structuredClone(args)));
      },
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        if (fake.exposed.has(key)) throw new Error(`${key} exposed twice`);
        fake.exposed.set(key, api);
      },
    },
  };
  return { fake, module };
}
