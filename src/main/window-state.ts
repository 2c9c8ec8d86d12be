import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A rectangle in Electron's screen coordinates (device-independent pixels). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered of the console window between runs. */
export interface WindowState {
  /** The window's normal (not maximised) bounds. */
  bounds: Rect;
  maximized: boolean;
}

export interface WindowSizeLimits {
  defaultWidth: number;
  defaultHeight: number;
  minWidth: number;
  minHeight: number;
}

/** Past this, a saved number is not a window size or position on any real screen set. */
const maxCoordinate = 100_000;
/** How much of the window's top must be on a screen for the user to grab and move it. */
const minVisibleWidth = 100;
const minVisibleHeight = 40;

const isCoordinate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= maxCoordinate;

/**
 * The window state in a saved file's JSON, or undefined when it is not one (a file
 * from another version, a hand edit, a half-written file): the window then opens at
 * its default size, as on a first start.
 */
export function parseWindowState(json: unknown): WindowState | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { bounds, maximized } = json as { bounds?: unknown; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null || typeof maximized !== 'boolean') {
    return undefined;
  }
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (![x, y, width, height].every(isCoordinate)) return undefined;
  if ((width as number) <= 0 || (height as number) <= 0) return undefined;
  return { bounds: { x, y, width, height } as Rect, maximized };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

const clamp = (value: number, low: number, high: number): number =>
  Math.min(Math.max(value, low), Math.max(low, high));

function centredIn(area: Rect, width: number, height: number): Rect {
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where the window opens, given what was saved and the screens' work areas now. A
 * window whose title bar is still on a screen keeps its place (shrunk to fit that
 * screen); one on a screen that is gone, or far off every screen, opens centred on
 * the primary screen at its saved size, so it is never out of reach.
 */
export function placeWindow(
  saved: WindowState | undefined,
  workAreas: readonly Rect[],
  primaryWorkArea: Rect,
  limits: WindowSizeLimits,
): WindowState {
  const wanted = saved?.bounds ?? {
    x: 0,
    y: 0,
    width: limits.defaultWidth,
    height: limits.defaultHeight,
  };
  const maximized = saved?.maximized ?? false;
  const titleBar: Rect = { ...wanted, height: Math.min(wanted.height, minVisibleHeight) };
  const home =
    saved === undefined
      ? undefined
      : workAreas.find((area) => {
          const visible = overlap(titleBar, area);
          return (
            visible.width >= Math.min(minVisibleWidth, wanted.width) &&
            visible.height >= Math.min(minVisibleHeight, wanted.height)
          );
        });
  const area = home ?? primaryWorkArea;
  const width = clamp(wanted.width, limits.minWidth, area.width);
  const height = clamp(wanted.height, limits.minHeight, area.height);
  if (home === undefined) return { bounds: centredIn(area, width, height), maximized };
  return {
    bounds: {
      x: clamp(wanted.x, area.x, area.x + area.width - width),
      y: clamp(wanted.y, area.y, area.y + area.height - height),
      width,
      height,
    },
    maximized,
  };
}

/** The saved state, or undefined when there is none or it is not valid (see parseWindowState). */
export function loadWindowState(path: string): WindowState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parseWindowState(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file, so a crash mid-write leaves the old state, not half a file. */
export function saveWindowState(path: string, state: WindowState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
