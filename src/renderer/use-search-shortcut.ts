import { useEffect } from 'react';

const typing = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * "/" (outside a field) or Ctrl+K / Cmd+K: show the desktops and put the cursor in their
 * search box, from any view.
 */
export function useSearchShortcut(showDesktops: () => void): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const slash = event.key === '/' && !typing(event.target);
      const ctrlK = event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey);
      if (!slash && !ctrlK) return;
      event.preventDefault();
      showDesktops();
      // The box exists once the desktops view has rendered.
      requestAnimationFrame(() => document.getElementById('desktops-search')?.focus());
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [showDesktops]);
}
