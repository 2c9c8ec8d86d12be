import { describe, expect, it } from 'vitest';
import { electronAvailability } from './electron-availability';

describe('electronAvailability', () => {
  const found = electronAvailability({ DISPLAY: ':0' }, 'linux');

  it('says why the Electron window test cannot run, or that it can', () => {
    if (found.runnable) {
      expect(found.binary).toMatch(/electron/i);
      expect(electronAvailability({}, 'linux')).toEqual({
        runnable: false,
        reason: expect.stringContaining('no display (DISPLAY and WAYLAND_DISPLAY unset)'),
      });
    } else {
      expect(found.reason).toMatch(/^no Electron binary in node_modules\/electron: /);
      expect(found.reason).toContain('node node_modules/electron/install.js');
      const skipped = electronAvailability({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, 'linux');
      expect(skipped).toMatchObject({
        reason: expect.stringContaining('(ELECTRON_SKIP_BINARY_DOWNLOAD is set)'),
      });
    }
  });
});
