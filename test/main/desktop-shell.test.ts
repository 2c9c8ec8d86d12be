import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const { fake, module } = await vi.hoisted(async () =>
  (await import('./electron-fake')).createElectronFake(),
);
vi.mock('electron', () => module);

const statePath = (): string => join(fake.paths.userData, 'window-state.json');

// Main's real entry module with only the Electron runtime replaced. The saved window
// state is on a monitor that is no longer attached.
beforeAll(async () => {
  mkdirSync(fake.paths.userData, { recursive: true });
  writeFileSync(
    statePath(),
    JSON.stringify({ bounds: { x: 2500, y: 200, width: 1400, height: 900 }, maximized: true }),
  );
  await import('../../src/main/index');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 15_000 });
}, 30_000);

function menuRoles(items: MenuItemConstructorOptions[] = []): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? menuRoles(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

describe('the desktop shell in main', () => {
  it('installs the application menu with About, Reload and Quit, and fills About in', () => {
    expect(menuRoles(fake.menu)).toEqual(expect.arrayContaining(['about', 'reload', 'quit']));
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(fake.aboutPanel).toMatchObject({
      applicationName: 'SETMOV Console',
      applicationVersion: version,
    });
  });

  it('brings a window saved on a vanished monitor back onto the screen, still maximised', () => {
    const [window] = fake.windows;
    expect(window?.options).toMatchObject({ x: 260, y: 75, width: 1400, height: 900 });
    expect(window?.maximized).toBe(true);
  });

  it('saves the window state when the window closes', () => {
    fake.windows[0]!.bounds = { x: 40, y: 30, width: 1000, height: 700 };
    fake.windows[0]!.maximized = false;
    fake.windowEmitters[0]!.emit('close', { preventDefault: () => {} });
    expect(JSON.parse(readFileSync(statePath(), 'utf8'))).toEqual({
      bounds: { x: 40, y: 30, width: 1000, height: 700 },
      maximized: false,
    });
  });

  it('shows the existing window when the app is started a second time', () => {
    const before = fake.windows[0]!.focused;
    fake.app.emit('second-instance', {}, ['setmov'], '/');
    expect(fake.windows[0]!.focused).toBe(before + 1);
    expect(fake.windows).toHaveLength(1);
  });

  it("logs to main.log in Electron's log folder", () => {
    const text = readFileSync(join(fake.paths.logs, 'main.log'), 'utf8');
    expect(text).toMatch(/\[info\]\s+starting setmov-console/);
  });
});
