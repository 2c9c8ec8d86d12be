import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import type { FleetSnapshot, FleetStore } from './fleet-store';

export const FleetContext = createContext<FleetStore | null>(null);

function useStore(): FleetStore {
  const store = useContext(FleetContext);
  if (!store) throw new Error('useFleet needs a FleetContext provider');
  return store;
}

/** The hosts and desktops now; re-renders at most once a frame. */
export function useFleet(): FleetSnapshot {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** While the calling view is shown, every desktop's figures are kept live. */
export function useLiveDesktops(): void {
  const store = useStore();
  useEffect(() => store.watchDesktops(), [store]);
}
