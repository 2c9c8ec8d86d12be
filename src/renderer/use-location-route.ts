import { useCallback, useEffect, useRef, useState } from 'react';
import type { Route } from './navigation';
import { formatRoute, parseRoute } from './route-url';

/**
 * How a change of place goes into the browser's history: 'push' for another page (a
 * view, a host, a desktop), so Back returns; 'replace' for another way of showing the
 * same one (the search, a filter, the range), so Back still leaves the page in one step.
 */
export type HistoryMode = 'push' | 'replace';

export type Navigate = (to: Route | ((current: Route | null) => Route), mode?: HistoryMode) => void;

/**
 * Replaces are written at most this often, the first at once (a reload just after it
 * keeps it) and the last when it is due: typing a search changes the route at every key,
 * and browsers refuse (Safari throws) a hundred history writes in 30 seconds.
 */
const REPLACE_EVERY_MS = 500;

/** Writes the hash into the history; a browser refusing it leaves the address as it was. */
function writeHistory(mode: HistoryMode, hash: string): void {
  try {
    // A URL of the hash alone keeps the path and the query as they are.
    if (mode === 'push') window.history.pushState(null, '', hash);
    else window.history.replaceState(null, '', hash);
  } catch {
    // Throttled or not allowed: the page is still where the admin went.
  }
}

/**
 * The console's route, kept in the location's hash: read at the start, followed through
 * Back, Forward and a hash typed or pasted in the address bar, and written by navigate.
 * Null while the hash is not a route of the console (a damaged or foreign link).
 */
export function useLocationRoute(): { route: Route | null; navigate: Navigate } {
  const [route, setRoute] = useState<Route | null>(() => parseRoute(window.location.hash));
  const current = useRef(route);
  // The hash last read or written: Back fires popstate and hashchange both, read once.
  const seen = useRef(window.location.hash);
  const pending = useRef<{ hash: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const lastReplaceMs = useRef(-Infinity);

  const replace = useCallback((hash: string): void => {
    lastReplaceMs.current = Date.now();
    if (hash !== window.location.hash) writeHistory('replace', hash);
    seen.current = window.location.hash;
  }, []);

  /** Writes the replace that waits for its turn, if one does. */
  const flush = useCallback((): void => {
    const write = pending.current;
    if (!write) return;
    clearTimeout(write.timer);
    pending.current = null;
    replace(write.hash);
  }, [replace]);

  useEffect(() => {
    const follow = (): void => {
      // The admin moved on before a replace was written: it belonged to the entry left.
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = null;
      if (window.location.hash === seen.current) return;
      seen.current = window.location.hash;
      const next = parseRoute(window.location.hash);
      current.current = next;
      setRoute(next);
    };
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
      flush();
    };
  }, [flush]);

  const navigate = useCallback<Navigate>(
    (to, mode = 'push') => {
      const next = typeof to === 'function' ? to(current.current) : to;
      current.current = next;
      setRoute(next);
      const hash = formatRoute(next);
      if (mode === 'replace') {
        if (pending.current) clearTimeout(pending.current.timer);
        pending.current = null;
        const waitMs = lastReplaceMs.current + REPLACE_EVERY_MS - Date.now();
        if (waitMs <= 0) replace(hash);
        else pending.current = { hash, timer: setTimeout(flush, waitMs) };
        return;
      }
      // The entry being left keeps its last search and filters: Back comes to them.
      flush();
      if (hash !== window.location.hash) writeHistory('push', hash);
      seen.current = window.location.hash;
    },
    [flush, replace],
  );

  return { route, navigate };
}
