import { describe, expect, it } from 'vitest';
import { createWindowOptions } from '../../src/main/window-options';

describe('createWindowOptions', () => {
  it('gives the renderer no Node, a sandbox and an isolated preload', () => {
    const options = createWindowOptions('/app/out/preload/index.cjs');
    expect(options.webPreferences).toEqual(
      expect.objectContaining({
        preload: '/app/out/preload/index.cjs',
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      }),
    );
  });
});
