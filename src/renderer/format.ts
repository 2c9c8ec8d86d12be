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

/**
 * The digits an axis label needs so that ticks `stepOf` apart never read alike: 1,000
 * and 1,500 need two significant digits ("1.5K"), which "at most one decimal below 10"
 * rounds to "2K". Significant digits, since a unit of 1000 (kB/s, K) moves the point
 * and not the digits; 0 for a value without a step (a tooltip, a caption).
 */
function significantDigitsFor(value: number, stepOf: number | undefined): number {
  if (stepOf === undefined || !(stepOf > 0) || !(value > 0)) return 0;
  // The place of the step's last digit: 10² for 500, 10¹ for 250.
  let place = Math.floor(Math.log10(stepOf));
  while (place > -20 && Math.abs(stepOf / 10 ** place - Math.round(stepOf / 10 ** place)) > 1e-6) {
    place--;
  }
  const digits = Math.floor(Math.log10(value)) - place + 1;
  return Math.min(21, Math.max(1, digits));
}

/**
 * Bytes per second in decimal units: 950 B/s, 12 kB/s, 3.4 MB/s. `stepOf`, on an axis:
 * the ticks' step, so that 1 MB/s and 1.5 MB/s stay apart.
 */
export function formatByteRate(
  locale: string,
  bytesPerSec: number | null | undefined,
  stepOf?: number,
): string {
  if (bytesPerSec === null || bytesPerSec === undefined || !Number.isFinite(bytesPerSec)) {
    return MISSING;
  }
  let value = Math.max(0, bytesPerSec);
  const digits = significantDigitsFor(value, stepOf);
  let unit = 0;
  while (value >= 1000 && unit < rateUnits.length - 1) {
    value /= 1000;
    unit++;
  }
  const number = numberFormat(
    locale,
    digits > 0
      ? { maximumSignificantDigits: digits }
      : { maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 },
  );
  return `${number.format(value)} ${rateUnits[unit]}`;
}

/**
 * A pair of rates (read / write, in / out) as text; where only their sum is known (a host or
 * VM read from the central database, which keeps sums), the sum alone.
 */
export function formatRatePair(
  locale: string,
  a: number | null | undefined,
  b: number | null | undefined,
  sum: number | null | undefined,
): string {
  if ((a === null || a === undefined) && (b === null || b === undefined) && sum != null) {
    return formatByteRate(locale, sum);
  }
  return `${formatByteRate(locale, a)} / ${formatByteRate(locale, b)}`;
}

/**
 * A count per second in short form, as iostat and sar write them: 12 IOPS, 3.4K pkt/s.
 * `stepOf`, on an axis: the ticks' step, so that 1K and 1.5K stay apart.
 */
export function formatPerSecond(
  locale: string,
  value: number | null | undefined,
  unit: 'IOPS' | 'pkt/s',
  stepOf?: number,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const shown = Math.max(0, value);
  const digits = significantDigitsFor(shown, stepOf);
  const number = numberFormat(
    locale,
    digits > 0
      ? { notation: 'compact', maximumSignificantDigits: digits }
      : { notation: 'compact', maximumFractionDigits: value < 10 ? 1 : 0 },
  );
  return `${number.format(shown)} ${unit}`;
}

const sizeUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * Bytes in binary units: 512 MiB, 3.8 GiB (Intl has no binary units: the number is its).
 * `stepOf`, on an axis: the ticks' step, a power of two, so that 1 GiB and 1.25 GiB
 * stay apart (a step of a quarter of the unit needs two decimals).
 */
export function formatBytes(
  locale: string,
  bytes: number | null | undefined,
  stepOf?: number,
): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return MISSING;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < sizeUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  const stepInUnit = stepOf !== undefined && stepOf > 0 ? stepOf / 1024 ** unit : undefined;
  const number = numberFormat(locale, {
    maximumFractionDigits:
      stepInUnit === undefined
        ? value < 10 && unit > 0
          ? 1
          : 0
        : Math.min(3, Math.max(0, Math.ceil(-Math.log2(stepInUnit)))),
  });
  return `${number.format(value)} ${sizeUnits[unit]}`;
}

// Every time of the console is written in the locale's own order and hour style
// ("8:50 PM", "오후 8:50"): the graphs' axes and tooltips too, so one page never shows
// "8PM" beside "8:54:53 PM". Hours are numeric, as the locale's short time style has them.

/** A clock time in the user's zone, with seconds: what a live figure's "updated" shows. */
export function formatClock(locale: string, ms: number): string {
  return dateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(
    ms,
  );
}

/** A time of day to the minute in the user's zone: a graph's time axis. */
export function formatTime(locale: string, ms: number): string {
  return dateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(ms);
}

/** A day in the user's zone, month and day ("Dec 6", "12월 6일"): a graph's axis of days. */
export function formatDay(locale: string, ms: number): string {
  return dateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(ms);
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
    () => formatTime(locale, 0),
    () => formatDay(locale, 0),
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
