import type { SetmovBridge } from '../preload/api';

declare global {
  interface Window {
    /** Present only inside the Electron window, put there by the preload. */
    setmov?: SetmovBridge;
  }
}
