import { useVirtualizer } from '@tanstack/react-virtual';
import type { VirtualItem } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';

/** What a row is guessed to be before it was measured; rows are measured once drawn. */
const ROW_GUESS_PX = 42;
/** Rows drawn beyond the visible ones: arrows and short scrolls never meet a blank row. */
const OVERSCAN = 10;

export interface RowWindow {
  /** The rows to draw, in order, each with its index in the whole list. */
  rows: VirtualItem[];
  /** Blank space above and below the drawn rows, in pixels: the rest of the list. */
  padTop: number;
  padBottom: number;
  /** Every drawn row's ref: its real height replaces the guess. */
  measure: (row: HTMLTableRowElement | null) => void;
  /** Brings a row into view (keyboard navigation to a row not drawn yet). */
  scrollTo: (index: number) => void;
}

/**
 * The rows of a long table that are in view, and the space the others take. The page's
 * workspace is what scrolls, so the table's distance from its top is the scroll margin.
 * A hundred desktops or hosts updating every second then cost the thirty or so in view.
 */
export function useRowWindow(count: number, body: RefObject<HTMLElement | null>): RowWindow {
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const element = body.current;
    const parent = element?.closest<HTMLElement>('.workspace') ?? null;
    setScroller(parent);
    if (element && parent) {
      const offset =
        element.getBoundingClientRect().top - parent.getBoundingClientRect().top + parent.scrollTop;
      setMargin(offset);
    }
  }, [body]);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller,
    estimateSize: () => ROW_GUESS_PX,
    // A row that is not laid out (a hidden tab) keeps its guess rather than nothing.
    measureElement: (row) => row.getBoundingClientRect().height || ROW_GUESS_PX,
    overscan: OVERSCAN,
    scrollMargin: margin,
    // Before the scroller is measured (and where nothing is laid out): a window's height.
    initialRect: { width: 0, height: typeof window === 'undefined' ? 800 : window.innerHeight },
  });
  // Stable, like measure: the rows are memoised on the handlers built from them.
  const scrollTo = useCallback(
    (index: number) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    [virtualizer],
  );
  const rows = virtualizer.getVirtualItems();
  const first = rows[0];
  const last = rows.at(-1);
  return {
    rows,
    padTop: first ? first.start - margin : 0,
    padBottom: last ? virtualizer.getTotalSize() - (last.end - margin) : 0,
    measure: virtualizer.measureElement,
    scrollTo,
  };
}
