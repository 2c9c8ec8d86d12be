import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ElectronAvailability =
  { runnable: true; binary: string } | { runnable: false; reason: string };

/**
 * Whether the Electron window can be launched here, and if not, why: the binary is
 * missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download failed), or a
 * Linux machine has no display to open it on.
 */
export function electronAvailability(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ElectronAvailability {
  let binary: unknown;
  let loadError = '';
  try {
    binary = createRequire(import.meta.url)('electron');
  } catch (error) {
    loadError = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    const skipped = env['ELECTRON_SKIP_BINARY_DOWNLOAD']
      ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD is set)'
      : '';
    return {
      runnable: false,
      reason:
        `no Electron binary in node_modules/electron${skipped}: ${loadError || 'its path is missing'}. ` +
        'Where its download is reachable, `node node_modules/electron/install.js` fetches it.',
    };
  }
  if (platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    return {
      runnable: false,
      reason: 'no display (DISPLAY and WAYLAND_DISPLAY unset): run the tests under `xvfb-run -a`.',
    };
  }
  return { runnable: true, binary };
}
