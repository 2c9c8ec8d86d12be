import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// electron-builder's own config loader and schema check (app-builder-lib is its core;
// it has no exports map, so the deep path is its public module layout).
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../e2e/ensure-build';

// electron-builder cannot run to completion here (no Electron binary, no network for
// its tools), so the configuration it would read is checked instead.
let config: Configuration;

// Loading electron-builder takes seconds, more on a machine busy with the bed's guests.
beforeAll(async () => {
  config = await getConfig(projectRoot, null, null);
}, 60_000);

/** Glob patterns of a files-like option, as strings or the loader's normalised {filter} sets. */
const patterns = (option: unknown): string[] =>
  [option ?? []]
    .flat()
    .flatMap((entry) =>
      typeof entry === 'string' ? [entry] : [(entry as { filter?: string[] }).filter ?? []].flat(),
    );

const targets = (platform: unknown): string[] =>
  ((platform as { target?: unknown } | undefined)?.target as string[] | undefined) ?? [];

describe('electron-builder configuration', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  }, 60_000);

  it('builds AppImage and deb for Linux, dmg for macOS, nsis for Windows', () => {
    expect(targets(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targets(config.mac)).toEqual(['dmg']);
    expect(targets(config.win)).toEqual(['nsis']);
    expect(config.publish).toBeNull();
  });

  it('packs the built app only, with the native module outside the asar', () => {
    expect(patterns(config.files)).toEqual(['out/**', 'package.json', '!**/*.map']);
    expect(patterns(config.asarUnpack)).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3/**', '**/*.node']),
    );
  });

  it('leaves the Electron rebuild to the package script, and never to postinstall', () => {
    expect(config.npmRebuild).toBe(false);
    const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['postinstall']).toBeUndefined();
    expect(scripts['package']).toMatch(
      /^electron-vite build && tsx scripts\/native-abi\.ts electron && electron-builder /,
    );
    for (const launch of ['start', 'dev']) {
      expect(scripts[launch]).toMatch(/^tsx scripts\/native-abi\.ts electron && electron-vite /);
    }
    expect(scripts['pretest']).toBe('tsx scripts/native-abi.ts node');
  });
});
