import type { SetmovBridge } from '../shared/contract/bridge';

declare global {
  interface Window {
    /** Present only inside the Electron window, put there by the preload. */
    setmov?: SetmovBridge;
  }
}
