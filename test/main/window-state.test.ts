import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadWindowState,
  parseWindowState,
  placeWindow,
  saveWindowState,
} from '../../src/main/window-state';
import type { Rect, WindowState } from '../../src/main/window-state';

const limits = { defaultWidth: 1280, defaultHeight: 800, minWidth: 800, minHeight: 500 };
const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1410 };
const saved = (bounds: Rect, maximized = false): WindowState => ({ bounds, maximized });

/** Whether a user can grab the window: some of its top edge is on a screen. */
function reachable({ bounds }: WindowState, areas: Rect[]): boolean {
  return areas.some(
    (a) =>
      bounds.x < a.x + a.width - 50 &&
      bounds.x + bounds.width > a.x + 50 &&
      bounds.y >= a.y &&
      bounds.y < a.y + a.height - 20,
  );
}

describe('placeWindow', () => {
  it('opens at the default size, centred on the primary screen, the first time', () => {
    expect(placeWindow(undefined, [laptop], laptop, limits)).toEqual(
      saved({ x: 320, y: 125, width: 1280, height: 800 }),
    );
  });

  it('keeps a saved place that is still on a screen, maximised flag included', () => {
    const onRight = saved({ x: 2100, y: 100, width: 1400, height: 900 }, true);
    expect(placeWindow(onRight, [laptop, rightMonitor], laptop, limits)).toEqual(onRight);
  });

  it('brings a window from a monitor that is gone back onto the primary screen', () => {
    const onRight = saved({ x: 2100, y: 100, width: 2400, height: 1300 });
    const placed = placeWindow(onRight, [laptop], laptop, limits);
    expect(placed.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1050 });
    expect(reachable(placed, [laptop])).toBe(true);
  });

  it('never leaves the title bar off every screen', () => {
    const cases: Rect[] = [
      { x: -5000, y: -5000, width: 1000, height: 700 },
      { x: 100, y: -690, width: 1000, height: 700 }, // title bar above the screen
      { x: 1900, y: 1040, width: 1000, height: 700 }, // a corner of it only
      { x: -990, y: 200, width: 1000, height: 700 },
    ];
    for (const bounds of cases) {
      const placed = placeWindow(saved(bounds), [laptop], laptop, limits);
      expect(reachable(placed, [laptop]), JSON.stringify(bounds)).toBe(true);
    }
  });

  it('moves a window partly off its screen just enough to fit, and keeps the minimum size', () => {
    const placed = placeWindow(
      saved({ x: 1500, y: 600, width: 900, height: 300 }),
      [laptop],
      laptop,
      limits,
    );
    expect(placed.bounds).toEqual({ x: 1020, y: 550, width: 900, height: 500 });
  });

  it('handles screens left of and above the primary (negative coordinates)', () => {
    const left: Rect = { x: -1280, y: -200, width: 1280, height: 1000 };
    const there = saved({ x: -1200, y: -150, width: 1000, height: 700 });
    expect(placeWindow(there, [laptop, left], laptop, limits)).toEqual(there);
  });
});

describe('parseWindowState', () => {
  it('accepts what saveWindowState writes', () => {
    const state = saved({ x: -10, y: 20, width: 900, height: 600 }, true);
    expect(parseWindowState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('rejects anything else', () => {
    const bounds = { x: 0, y: 0, width: 900, height: 600 };
    for (const bad of [
      null,
      [],
      'x',
      { bounds },
      { bounds, maximized: 'yes' },
      { bounds: { ...bounds, width: 0 }, maximized: false },
      { bounds: { ...bounds, height: -5 }, maximized: false },
      { bounds: { ...bounds, x: 1.5 }, maximized: false },
      { bounds: { ...bounds, y: 1e12 }, maximized: false },
      { bounds: { ...bounds, x: '0' }, maximized: false },
      { bounds: { x: 0, y: 0, width: 900 }, maximized: false },
    ]) {
      expect(parseWindowState(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe('loadWindowState and saveWindowState', () => {
  const dir = (): string => mkdtempSync(join(tmpdir(), 'setmov-window-state-'));

  it('round-trips through a private file, creating its folder', () => {
    const path = join(dir(), 'nested', 'window-state.json');
    const state = saved({ x: 5, y: 6, width: 1000, height: 700 });
    saveWindowState(path, state);
    expect(loadWindowState(path)).toEqual(state);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('reads a missing, truncated or foreign file as no state', () => {
    const d = dir();
    expect(loadWindowState(join(d, 'none.json'))).toBeUndefined();
    writeFileSync(join(d, 'half.json'), '{"bounds":{"x":1,');
    expect(loadWindowState(join(d, 'half.json'))).toBeUndefined();
    writeFileSync(join(d, 'other.json'), '{"width":1}');
    expect(loadWindowState(join(d, 'other.json'))).toBeUndefined();
  });
});
