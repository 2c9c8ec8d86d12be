import { rangeMs } from './series';
import type { Range } from './series';

/** How often a past range is read again, so its right edge stays near now. */
const REFRESH_MS = 60_000;

export interface RangeReads<T> {
  /** Asks the backend for the range's history. */
  read: (fromMs: number, toMs: number) => Promise<T>;
  onResult: (result: T, fromMs: number, toMs: number) => void;
  /** The error in words, for the page to show where the graph would be. */
  onError: (message: string, fromMs: number, toMs: number) => void;
}

/**
 * Reads a range's history now and, for a past range, again every minute; the live range
 * is read once (pushed samples extend it). The window ends a second ahead of now, so the
 * newest sample is in it. Returns the stop: no answer arriving after it is delivered.
 */
export function readRange<T>(range: Range, { read, onResult, onError }: RangeReads<T>) {
  let current = true;
  const once = (): void => {
    const toMs = Date.now() + 1000;
    const fromMs = toMs - rangeMs[range];
    read(fromMs, toMs).then(
      (result) => current && onResult(result, fromMs, toMs),
      (error: unknown) =>
        current && onError(error instanceof Error ? error.message : String(error), fromMs, toMs),
    );
  };
  once();
  const timer = range === 'live' ? undefined : setInterval(once, REFRESH_MS);
  return (): void => {
    current = false;
    clearInterval(timer);
  };
}
