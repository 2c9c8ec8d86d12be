import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FakeWindowRecord {
  options: BrowserWindowConstructorOptions;
  loadedFile?: string;
  loadedUrl?: string;
  maximized: boolean;
  focused: number;
  /** What getNormalBounds answers; starts as the constructor's bounds. */
  bounds: Rect;
}

/**
 * A stand-in for the parts of `electron` that src/main and src/preload touch: the
 * Electron binary cannot run here, so the IPC between them is wired in-process.
 */
export interface ElectronFake {
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  exposed: Map<string, unknown>;
  windows: FakeWindowRecord[];
  /** Emits on the n-th window object, as Electron would (close, ready-to-show). */
  windowEmitters: EventEmitter[];
  /** URL of the frame that the fake ipcRenderer reports as the sender. */
  senderUrl: string;
  app: EventEmitter;
  openedExternally: string[];
  /** Listeners the preload attached with ipcRenderer.on, by channel. */
  rendererListeners: Map<string, Set<(event: unknown, ...args: unknown[]) => void>>;
  /** app.getPath's folders: fresh temporary ones per fake. */
  paths: { userData: string; logs: string; downloads: string };
  /** What requestSingleInstanceLock answers. */
  singleInstanceLock: boolean;
  quitCalls: number;
  aboutPanel: Record<string, unknown> | undefined;
  menu: MenuItemConstructorOptions[] | undefined;
  /** Work areas of the screens; the first is the primary. */
  displays: Rect[];
  /** Whether safeStorage has an OS keyring to encrypt with. */
  encryptionAvailable: boolean;
}

export function createElectronFake(): { fake: ElectronFake; module: Record<string, unknown> } {
  const root = mkdtempSync(join(tmpdir(), 'setmov-electron-fake-'));
  const app = Object.assign(new EventEmitter(), {
    whenReady: () => Promise.resolve(),
    enableSandbox: () => {},
    quit: () => {
      fake.quitCalls += 1;
    },
    getVersion: () => 'not-from-package-json',
    getName: () => 'setmov-console',
    isPackaged: false,
    getPath: (name: string) => {
      if (name !== 'userData' && name !== 'logs' && name !== 'downloads') {
        throw new Error(`no fake path for ${name}`);
      }
      return fake.paths[name];
    },
    requestSingleInstanceLock: () => fake.singleInstanceLock,
    setAboutPanelOptions: (options: Record<string, unknown>) => {
      fake.aboutPanel = options;
    },
  });
  const fake: ElectronFake = {
    ipcHandlers: new Map(),
    exposed: new Map(),
    windows: [],
    windowEmitters: [],
    senderUrl: '',
    app,
    openedExternally: [],
    rendererListeners: new Map(),
    paths: {
      userData: join(root, 'userData'),
      logs: join(root, 'logs'),
      downloads: join(root, 'downloads'),
    },
    singleInstanceLock: true,
    quitCalls: 0,
    aboutPanel: undefined,
    menu: undefined,
    displays: [{ x: 0, y: 0, width: 1920, height: 1050 }],
    encryptionAvailable: true,
  };

  class BrowserWindow extends EventEmitter {
    static readonly all: BrowserWindow[] = [];
    static getAllWindows = (): BrowserWindow[] => BrowserWindow.all;
    private readonly record: ElectronFake['windows'][number];
    // Main → renderer messages land on the preload's ipcRenderer.on listeners.
    readonly webContents = Object.assign(new EventEmitter(), {
      id: fake.windows.length + 1,
      isDestroyed: () => false,
      send: (channel: string, ...args: unknown[]) => {
        for (const listener of fake.rendererListeners.get(channel) ?? []) {
          listener({ sender: 'ipc-renderer' }, ...structuredClone(args));
        }
      },
    });
    constructor(options: BrowserWindowConstructorOptions) {
      super();
      const { x = 0, y = 0, width = 800, height = 600 } = options;
      this.record = { options, maximized: false, focused: 0, bounds: { x, y, width, height } };
      fake.windows.push(this.record);
      fake.windowEmitters.push(this);
      BrowserWindow.all.push(this);
    }
    getNormalBounds(): Rect {
      return { ...this.record.bounds };
    }
    isMaximized(): boolean {
      return this.record.maximized;
    }
    maximize(): void {
      this.record.maximized = true;
    }
    isDestroyed(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {
      this.record.focused += 1;
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

  const session = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
    setDevicePermissionHandler: () => {},
    webRequest: { onHeadersReceived: () => {} },
  });

  const display = (workArea: Rect) => ({ workArea, bounds: workArea });
  const module = {
    app,
    BrowserWindow,
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
      setApplicationMenu: (menu: { template: MenuItemConstructorOptions[] } | null) => {
        fake.menu = menu?.template;
      },
    },
    // Reversible but not clear text, so a test can tell a sealed value from its secret.
    safeStorage: {
      isEncryptionAvailable: () => fake.encryptionAvailable,
      encryptString: (plain: string) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
      decryptString: (sealed: Buffer) => {
        const text = sealed.toString();
        if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext');
        return Buffer.from(text.slice('sealed:'.length), 'hex').toString();
      },
    },
    screen: {
      getAllDisplays: () => fake.displays.map(display),
      getPrimaryDisplay: () => display(fake.displays[0]!),
    },
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
        // The page of the last window opened sends: the only one the tests have.
        const sender = BrowserWindow.all.at(-1)?.webContents;
        const event = { senderFrame: { url: fake.senderUrl }, sender };
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
