import { useEffect } from 'react';
import type { RefObject } from 'react';

/** Opens the dialog as a modal once it is in the page (where showModal exists; jsdom has none). */
export function useModal(dialog: RefObject<HTMLDialogElement | null>): void {
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
  }, [dialog]);
}
