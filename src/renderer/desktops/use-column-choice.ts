import { useEffect, useState } from 'react';
import type { VisibilityState } from '@tanstack/react-table';
import { defaultHiddenColumns, desktopColumnIds } from './desktop-columns';

const STORAGE_KEY = 'setmov.desktops.hiddenColumns';

function load(): VisibilityState {
  let hidden: unknown = defaultHiddenColumns;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved !== null) hidden = JSON.parse(saved);
  } catch {
    // Storage refused or garbled: the defaults.
  }
  const hiddenSet = new Set(Array.isArray(hidden) ? hidden : defaultHiddenColumns);
  return Object.fromEntries(desktopColumnIds.map((id) => [id, !hiddenSet.has(id)]));
}

/** Which columns the user shows, remembered in this browser or window. */
export function useColumnChoice(): [VisibilityState, (next: VisibilityState) => void] {
  const [visibility, setVisibility] = useState<VisibilityState>(load);
  useEffect(() => {
    const hidden = Object.entries(visibility)
      .filter(([, shown]) => !shown)
      .map(([id]) => id);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(hidden));
    } catch {
      // Not remembered: the choice still holds for this page.
    }
  }, [visibility]);
  return [visibility, setVisibility];
}
