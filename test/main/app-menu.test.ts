import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildAppMenuTemplate } from '../../src/main/app-menu';

/** Every role in the menu, depth first. */
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

describe('buildAppMenuTemplate', () => {
  it('has About, Reload and Quit on Linux and Windows, About under Help', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const menu = buildAppMenuTemplate({ appName: 'SETMOV Console', platform, isPackaged: true });
      expect(roles(menu)).toEqual(expect.arrayContaining(['about', 'reload', 'quit', 'editMenu']));
      expect(menu[0]).toMatchObject({ label: '&File', submenu: [{ role: 'quit' }] });
      expect(menu.at(-1)).toMatchObject({
        role: 'help',
        submenu: [{ role: 'about', label: 'About SETMOV Console' }],
      });
    }
  });

  it('puts About and Quit in the app menu on macOS', () => {
    const menu = buildAppMenuTemplate({
      appName: 'SETMOV Console',
      platform: 'darwin',
      isPackaged: true,
    });
    expect(menu[0]?.label).toBe('SETMOV Console');
    expect(roles([menu[0]!])).toEqual(['about', 'hide', 'unhide', 'quit']);
    expect(roles(menu).filter((role) => role === 'about' || role === 'quit')).toEqual([
      'about',
      'quit',
    ]);
  });

  it('offers developer tools only in an unpackaged build', () => {
    const menu = (isPackaged: boolean) =>
      roles(buildAppMenuTemplate({ appName: 'x', platform: 'linux', isPackaged }));
    expect(menu(false)).toContain('toggleDevTools');
    expect(menu(true)).not.toContain('toggleDevTools');
  });
});
