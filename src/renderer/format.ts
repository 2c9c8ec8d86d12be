/**
 * Human units for the console, numbers through Intl in the user's locale and time zone:
 * percentages, byte rates (KB/s, MB/s: decimal, as network and disk tools show them),
 * sizes (KiB, MiB, GiB: binary, as memory is sized) and times.
 */

// Making an Intl formatter costs tens of microseconds, using one about one: a table of
// a hundred rows redrawn every second would spend more making them than formatting.
type Formatter = Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.Collator;
const cache = new Map<string, Formatter>();

function cached<F extends Formatter>(
  kind: string,
  locale: string,
  options: object,
  make: () => F,
): F {
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key) as F | undefined;
  if (!format) {
    format = make();
    cache.set(key, format);
  }
  return format;
}

/** One Intl.NumberFormat per locale and options, made once. */
export function numberFormat(
  locale: string,
  options: Intl.NumberFormatOptions = {},
): Intl.NumberFormat {
  return cached('n', locale, options, () => new Intl.NumberFormat(locale, options));
}

/**
 * Names compared as people read them in the locale: digits by value ("vm-2" before
 * "vm-10"), case and accents aside. One Collator per locale; it is also several times
 * faster than comparing the strings piece by piece.
 */
export function textCollator(locale: string): Intl.Collator {
  return cached(
    'c',
    locale,
    {},
    () => new Intl.Collator(locale, { numeric: true, sensitivity: 'base' }),
  );
}

const dateTimeFormat = (locale: string, options: Intl.DateTimeFormatOptions) =>
  cached('d', locale, options, () => new Intl.DateTimeFormat(locale, options));

/** '—' for a value the backend could not measure: never a zero that was not measured. */
export const MISSING = '—';

export function formatPercent(locale: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return numberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value / 100);
}

// Intl's unit styles differ by locale ("4.2 MB/s", "4.2MB/s", "byte/s"); the number is
// Intl's, the unit one spelling everywhere, as disk and network tools write it.
const rateUnits = ['B/s', 'kB/s', 'MB/s', 'GB/s'];

/** Bytes per second in decimal units: 950 B/s, 12 kB/s, 3.4 MB/s. */
export function formatByteRate(locale: string, bytesPerSec: number | null | undefined): string {
  if (bytesPerSec === null || bytesPerSec === undefined || !Number.isFinite(bytesPerSec)) {
    return MISSING;
  }
  let value = Math.max(0, bytesPerSec);
  let unit = 0;
  while (value >= 1000 && unit < rateUnits.length - 1) {
    value /= 1000;
    unit++;
  }
  const number = numberFormat(locale, { maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 });
  return `${number.format(value)} ${rateUnits[unit]}`;
}

/** A count per second in short form, as iostat and sar write them: 12 IOPS, 3.4K pkt/s. */
export function formatPerSecond(
  locale: string,
  value: number | null | undefined,
  unit: 'IOPS' | 'pkt/s',
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const number = numberFormat(locale, {
    notation: 'compact',
    maximumFractionDigits: value < 10 ? 1 : 0,
  });
  return `${number.format(Math.max(0, value))} ${unit}`;
}

const sizeUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units: 512 MiB, 3.8 GiB (Intl has no binary units: the number is its). */
export function formatBytes(locale: string, bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return MISSING;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < sizeUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  const number = numberFormat(locale, { maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 });
  return `${number.format(value)} ${sizeUnits[unit]}`;
}

/** A clock time in the user's zone, with seconds: what a live figure's "updated" shows. */
export function formatClock(locale: string, ms: number): string {
  return dateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
    ms,
  );
}

const relativeSteps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/**
 * How long ago a time is, in the largest unit that fits: "3 hours ago". A time a little
 * ahead of this clock (the backend's clock runs ahead of the page's) reads as "now".
 */
export function formatRelative(locale: string, ms: number, now = Date.now()): string {
  let value = (Math.min(ms, now) - now) / 1000;
  for (const [unit, size] of relativeSteps) {
    if (Math.abs(value) < size) {
      return cached(
        'r',
        locale,
        {},
        () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
      ).format(Math.round(value), unit);
    }
    value /= size;
  }
  return MISSING;
}

/** A date and time in the user's zone: what a tooltip of a relative time shows. */
export function formatDateTime(locale: string, ms: number): string {
  return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);
}

/**
 * Makes the formatters the console uses for a locale ahead of time, one a task, 50 ms
 * apart, starting half a second after the page is drawn.
 * An Intl formatter's first use in a page loads its locale data: 15–30 ms, long enough
 * to turn the frame that happens to show the first "3.4 MB/s" into a long task.
 */
export function warmFormatters(locale: string): () => void {
  const warmups: (() => unknown)[] = [
    () => formatPercent(locale, 5),
    () => formatPercent(locale, 50),
    () => formatBytes(locale, 5 * 1024),
    () => formatBytes(locale, 500),
    () => formatPerSecond(locale, 5, 'IOPS'),
    () => formatPerSecond(locale, 50, 'IOPS'),
    () => numberFormat(locale, { maximumFractionDigits: 2 }).format(1),
    () => numberFormat(locale).format(1),
    () => formatClock(locale, 0),
    () => formatDateTime(locale, 0),
    () => formatRelative(locale, 0, 0),
  ];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = (): void => {
    warmups.shift()?.();
    if (warmups.length > 0) timer = setTimeout(next, 50);
  };
  timer = setTimeout(next, 500);
  return () => clearTimeout(timer);
}
