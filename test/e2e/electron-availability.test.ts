import { describe, expect, it } from 'vitest';
import { electronAbi, electronVersion } from '../../scripts/native-abi-probe';
import { electronAvailability } from './electron-availability';

const display = { env: { DISPLAY: ':0' }, platform: 'linux' } as const;
const electronBuild = () =>
  ({ state: 'other-abi', compiledAbi: electronAbi(electronVersion()) }) as const;
// Any file that exists stands in for an installed binary.
const installed = () => process.execPath;

describe('electronAvailability', () => {
  it('runs the window test where binary, display and an Electron build of better-sqlite3 are there', () => {
    expect(
      electronAvailability({ ...display, electronPath: installed, nativeBuild: electronBuild }),
    ).toEqual({ runnable: true, binary: process.execPath });
  });

  it('names the missing binary and how to fetch it', () => {
    const missing = electronAvailability({
      env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      electronPath: () => {
        throw new Error(
          'Electron failed to install correctly, please delete node_modules/electron',
        );
      },
    });
    expect(missing).toEqual({
      runnable: false,
      reason: expect.stringMatching(
        /^no Electron binary in node_modules\/electron \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\): Electron failed to install correctly.*node node_modules\/electron\/install\.js/,
      ),
    });
    expect(electronAvailability({ electronPath: () => '/nowhere/electron' })).toMatchObject({
      reason: expect.stringContaining('no Electron binary'),
    });
  });

  it('names a missing display on Linux only', () => {
    const noDisplay = { env: {}, electronPath: installed, nativeBuild: electronBuild };
    expect(electronAvailability({ ...noDisplay, platform: 'linux' })).toEqual({
      runnable: false,
      reason: expect.stringContaining('no display (DISPLAY and WAYLAND_DISPLAY unset)'),
    });
    expect(electronAvailability({ ...noDisplay, platform: 'darwin' })).toMatchObject({
      runnable: true,
    });
  });

  it("says when better-sqlite3 is built for Node's ABI, which main cannot load", () => {
    const nodeBuild = () => ({ state: 'loads' }) as const;
    expect(
      electronAvailability({ ...display, electronPath: installed, nativeBuild: nodeBuild }),
    ).toEqual({
      runnable: false,
      reason: expect.stringContaining('run `npm run native:electron`'),
    });
  });
});
