import { useEffect } from 'react';
import type { Settings } from '../shared/contract/browser';

const darkQuery = '(prefers-color-scheme: dark)';

/**
 * Puts the theme on <html data-theme>: the setting's, or the OS's while the setting is
 * "system", following the OS when it changes.
 */
export function useTheme(theme: Settings['theme']): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme !== 'system') {
      root.dataset.theme = theme;
      return;
    }
    const media = window.matchMedia(darkQuery);
    const apply = (): void => {
      root.dataset.theme = media.matches ? 'dark' : 'light';
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
