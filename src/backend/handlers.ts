import type { AppVersion } from '../shared/app-version';
import type { RequestHandlers } from '../shared/contract';

export interface BackendDeps {
  appVersion: AppVersion;
}

/**
 * The backend behind the contract. It must stay free of `electron` imports: the
 * Electron main process and `setmov serve` both run it.
 */
export function createHandlers(deps: BackendDeps): RequestHandlers {
  return {
    'app.getVersion': () => ({ ...deps.appVersion }),
  };
}
