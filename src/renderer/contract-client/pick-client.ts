import type { ContractClient } from '../../shared/contract/browser';
import { createHttpClient, createPreloadClient } from '../../shared/contract/browser';

export type ClientKind = 'desktop' | 'web';

/** The preload bridge when running in Electron, else the server the page came from. */
export function pickClient(win: Window): { client: ContractClient; kind: ClientKind } {
  if (win.setmov) return { client: createPreloadClient(win.setmov), kind: 'desktop' };
  return { client: createHttpClient(win.location.origin), kind: 'web' };
}
