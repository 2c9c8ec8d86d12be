import { createHash } from 'node:crypto';

/**
 * The value boundary of the sync: whatever SQLite holds (it is dynamically typed, and a
 * broken or hostile host reaches it through /proc and libvirt), what leaves here is a
 * valid SQL literal for its column (central-columns.ts), or NULL, or a reason the row
 * cannot be sent. Nothing is built by gluing text onto a number, and no string literal
 * depends on the server's sql_mode.
 */

const INT32_LIMIT = 2 ** 31;
const INT64_LIMIT = 2 ** 63;
/** DATETIME's range on MySQL and MariaDB, as ms since the epoch. */
const DATETIME_FIRST_MS = Date.UTC(1000, 0, 1);
const DATETIME_LAST_MS = Date.UTC(10000, 0, 1) - 1;

/**
 * A DOUBLE literal. JavaScript's shortest round-trip text of a finite double is either
 * plain digits or `<mantissa>e<exponent>`, both of which MySQL reads as that same double;
 * anything else (a string, NaN, ±Infinity) is NULL: not measured.
 */
export function sqlDouble(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : 'NULL';
}

/**
 * An INT (32) or BIGINT (64) literal, rounded; NULL outside the column's range. Every
 * double below 2^63 prints as plain digits, so the text is always an integer literal.
 */
export function sqlInteger(value: unknown, bits: 32 | 64): string {
  const text = integerValue(value, bits);
  return text === null ? 'NULL' : String(text);
}

/** The integer in range, or null (see sqlInteger). */
export function integerValue(value: unknown, bits: 32 | 64): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const limit = bits === 32 ? INT32_LIMIT : INT64_LIMIT;
  const rounded = Math.round(value);
  return rounded >= -limit && rounded < limit ? rounded : null;
}

const CENTS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `.0${i}` : `.${i}`));

/**
 * A figure SQLite keeps in hundredths (percent, per-second counts), as a plain decimal:
 * 2315 → `23.15`. Integers are printed by integer division, several times cheaper than
 * printing the fraction 23.15; anything not an exact integer goes through sqlDouble.
 */
export function sqlHundredths(stored: unknown): string {
  if (typeof stored !== 'number') return 'NULL';
  if (!Number.isSafeInteger(stored)) return sqlDouble(stored / 100);
  const magnitude = stored < 0 ? -stored : stored;
  const whole = Math.floor(magnitude / 100);
  return `${stored < 0 ? '-' : ''}${whole}${CENTS[magnitude - whole * 100] as string}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as valid utf8mb4 (a lone surrogate, which has no UTF-8 form, becomes U+FFFD) of at
 * most `chars` characters, as VARCHAR(n) counts them (code points).
 */
export function fitText(text: string, chars: number): string {
  const whole = text.replace(LONE_SURROGATE, '\uFFFD');
  // UTF-16 length ≥ code points: most values are decided without splitting them.
  if (whole.length <= chars) return whole;
  const points = Array.from(whole);
  return points.length <= chars ? whole : points.slice(0, chars).join('');
}

/**
 * A key column's text fitted to its width. Two long keys that share their first
 * characters must not become one row, so a key that does not fit keeps its start and
 * ends in `~` and 8 hex digits of its SHA-256: the same key always gives the same text.
 */
export function fitKey(text: string, chars: number): string {
  const whole = fitText(text, Number.MAX_SAFE_INTEGER);
  if (fitText(whole, chars) === whole) return whole;
  const digest = createHash('sha256').update(whole).digest('hex').slice(0, 8);
  return `${fitText(whole, chars - 9)}~${digest}`;
}

/** Printable ASCII with no quote and no backslash: the same text under every sql_mode. */
const PLAIN = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/**
 * A string literal that means the same under every sql_mode: `'…'` where the text needs
 * no escape at all (UUIDs, addresses, most names), else `_utf8mb4 X'…'`. Quoting with
 * backslash escapes (mysql2's client-side escape) is read differently when the server
 * runs with NO_BACKSLASH_ESCAPES, which turns a quote in a name into SQL.
 * The text must have been fitted (fitText / fitKey) first.
 */
export function sqlString(text: string): string {
  return PLAIN.test(text)
    ? `'${text}'`
    : `_utf8mb4 X'${Buffer.from(text, 'utf8').toString('hex')}'`;
}

/** Why a UUID cannot be the CHAR(36) ASCII key of t3/t4, or null when it can. */
export function uuidProblem(uuid: unknown): string | null {
  if (typeof uuid !== 'string') return `the VM has no UUID`;
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(uuid)) return `UUID ${JSON.stringify(uuid)} is not ASCII`;
  if (uuid.length > 36) return `UUID ${JSON.stringify(uuid)} is longer than 36 characters`;
  return null;
}

/** A UTC DATETIME(3) text for a time inside DATETIME's range. */
export function mysqlDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** DATETIME(3) text, or null for a time MySQL cannot hold (before 1000 or after 9999). */
export function datetimeText(ms: unknown): string | null {
  if (typeof ms !== 'number' || !(ms >= DATETIME_FIRST_MS && ms <= DATETIME_LAST_MS)) return null;
  return mysqlDatetime(ms);
}
