import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Developer tools only outside a packaged build: an admin's console has no use for them. */
  isPackaged: boolean;
}

/**
 * The application menu: About, Reload and Quit, the Edit roles that make copy and
 * paste work in the page's fields (on macOS only menu roles carry those shortcuts),
 * and the View and Window basics. Every item is a role, so Electron supplies the
 * platform's labels and accelerators.
 */
export function buildAppMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const about: MenuItemConstructorOptions = { role: 'about', label: `About ${options.appName}` };
  const quit: MenuItemConstructorOptions = { role: 'quit' };
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(options.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac
      ? [
          {
            label: options.appName,
            submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'unhide' }, quit],
          } satisfies MenuItemConstructorOptions,
        ]
      : [{ label: '&File', submenu: [quit] } satisfies MenuItemConstructorOptions]),
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    ...(mac ? [] : [{ role: 'help', submenu: [about] } satisfies MenuItemConstructorOptions]),
  ];
}
