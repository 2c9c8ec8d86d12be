import { createContext, useEffect, useLayoutEffect, useState } from 'react';
import type { Settings } from '../shared/contract/browser';

const darkQuery = '(prefers-color-scheme: dark)';

export type ResolvedTheme = 'light' | 'dark';

/** The theme in use, for what draws its own colours (the charts' canvases). */
export const ThemeContext = createContext<ResolvedTheme>('light');

function osTheme(): ResolvedTheme {
  return window.matchMedia(darkQuery).matches ? 'dark' : 'light';
}

/**
 * Puts the theme on <html data-theme>: the setting's, or the OS's while the setting is
 * "system", following the OS when it changes. Returns the theme in use.
 */
export function useTheme(theme: Settings['theme']): ResolvedTheme {
  const [os, setOs] = useState<ResolvedTheme>(osTheme);
  useEffect(() => {
    const media = window.matchMedia(darkQuery);
    const follow = (): void => setOs(osTheme());
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
  const resolved = theme === 'system' ? os : theme;
  // A layout effect: it runs before every passive one, so a chart made in its own
  // effect reads the new theme's colours, not the old ones.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);
  return resolved;
}
