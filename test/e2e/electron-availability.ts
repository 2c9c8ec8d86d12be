import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { planNativeBuild } from '../../scripts/native-abi-plan';
import type { NativeProbe } from '../../scripts/native-abi-plan';
import { electronAbi, electronVersion, probeNativeBuild } from '../../scripts/native-abi-probe';

export type ElectronAvailability =
  { runnable: true; binary: string } | { runnable: false; reason: string };

export interface AvailabilityInputs {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** What node_modules' better-sqlite3 is built for (probed when not given). */
  nativeBuild?: () => NativeProbe;
  /** The Electron binary's path, as `require('electron')` gives it (the default). */
  electronPath?: () => unknown;
}

const requireElectron = (): unknown => createRequire(import.meta.url)('electron');

/**
 * Whether the Electron window can be launched here, and if not, why: the binary is
 * missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download failed), a
 * Linux machine has no display to open it on, or better-sqlite3 is built for Node's
 * ABI, which main (opening the history) cannot load. The test does not rebuild it
 * itself: that would swap the binary under the unit tests running beside it.
 */
export function electronAvailability(inputs: AvailabilityInputs = {}): ElectronAvailability {
  const env = inputs.env ?? process.env;
  const platform = inputs.platform ?? process.platform;
  let binary: unknown;
  let loadError = '';
  try {
    binary = (inputs.electronPath ?? requireElectron)();
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
  const native = (inputs.nativeBuild ?? probeNativeBuild)();
  if (planNativeBuild('electron', native, electronAbi(electronVersion())) !== 'none') {
    return {
      runnable: false,
      reason:
        "better-sqlite3 is not built for Electron's ABI (npm test's pretest builds it for Node): " +
        'run `npm run native:electron`, then this test file alone, then `npm run native:node`.',
    };
  }
  return { runnable: true, binary };
}
