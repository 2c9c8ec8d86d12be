/** What stands in a log line where a secret was. */
export const REDACTED = '[redacted]';

/** Keys whose values are secrets whatever they hold (compared without case, - or _). */
const secretKeys = new Set([
  'password',
  'passphrase',
  'passwd',
  'secret',
  'token',
  'privatekey',
  'authorization',
  'cookie',
  'setcookie',
]);

const normaliseKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

export const isSecretKey = (key: string): boolean => secretKeys.has(normaliseKey(key));

/**
 * Secrets that can sit in free text: the password of a URL (mysql://user:pw@host),
 * `password=...`/`"passphrase": "..."` pairs, a query's token, a bearer header and
 * a PEM private key block.
 */
const textPatterns: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  [
    /((?:pass(?:word|phrase|wd)?|secret|token|private[-_]?key)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
    `$1${REDACTED}`,
  ],
  [/(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
];

/**
 * Takes secrets out of whatever is about to be logged. It knows secrets two ways: by
 * shape (see textPatterns, and any object key such as `password`), and by value: the
 * backend tells it every password and passphrase it holds (remember), so one that
 * turns up in an error message from a library is caught too.
 */
export class SecretRedactor {
  private readonly known = new Set<string>();

  /** Values shorter than this would blank ordinary words out of every line. */
  static readonly minimumLength = 4;

  remember(secret: string): void {
    if (secret.length >= SecretRedactor.minimumLength) this.known.add(secret);
  }

  forget(secret: string): void {
    this.known.delete(secret);
  }

  text(input: string): string {
    let output = input;
    // Longest first, so a secret containing a shorter one is replaced whole.
    for (const secret of [...this.known].sort((a, b) => b.length - a.length)) {
      output = output.split(secret).join(REDACTED);
    }
    for (const [pattern, replacement] of textPatterns)
      output = output.replace(pattern, replacement);
    return output;
  }

  /** A redacted copy of any value a log call was given; the original is left as it was. */
  value(input: unknown, seen = new WeakSet<object>()): unknown {
    if (typeof input === 'string') return this.text(input);
    if (typeof input !== 'object' || input === null) return input;
    if (seen.has(input)) return '[circular]';
    seen.add(input);
    if (input instanceof Error) return this.error(input, seen);
    if (Array.isArray(input)) return input.map((item) => this.value(item, seen));
    if (input instanceof Map) {
      return new Map([...input].map(([k, v]) => [k, this.entry(String(k), v, seen)]));
    }
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input)) copy[key] = this.entry(key, item, seen);
    return copy;
  }

  private entry(key: string, item: unknown, seen: WeakSet<object>): unknown {
    return isSecretKey(key) && item !== undefined && item !== null
      ? REDACTED
      : this.value(item, seen);
  }

  private error(input: Error, seen: WeakSet<object>): Error {
    const copy = new Error(this.text(input.message));
    copy.name = input.name;
    copy.stack = input.stack === undefined ? undefined : this.text(input.stack);
    for (const [key, item] of Object.entries(input)) {
      (copy as unknown as Record<string, unknown>)[key] = this.entry(key, item, seen);
    }
    if (input.cause !== undefined) copy.cause = this.value(input.cause, seen);
    return copy;
  }
}
