import type { StringInterner } from './string-interner';
import { XdrDecodeError } from './xdr-error';

/** The hyper at `at` (bounds already checked): a number in [-2^53, 2^53), else a bigint. */
export function hyperAt(view: DataView, at: number): number | bigint {
  const high = view.getInt32(at);
  return high >= -0x200000 && high < 0x200000
    ? high * 0x100000000 + view.getUint32(at + 4)
    : view.getBigInt64(at);
}

/** The unsigned hyper at `at` (bounds already checked): a number below 2^53, else a bigint. */
export function uhyperAt(view: DataView, at: number): number | bigint {
  const high = view.getUint32(at);
  return high < 0x200000 ? high * 0x100000000 + view.getUint32(at + 4) : view.getBigUint64(at);
}

/**
 * Reads XDR (RFC 4506) from a buffer. Every read checks the remaining length first and every
 * variable-length item checks its declared maximum before anything is allocated, so hostile
 * input yields an XdrDecodeError, never an out-of-bounds read or a huge allocation.
 */
export class XdrReader {
  private readonly view: DataView;
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    this.pos = start;
    this.end = end;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /**
   * The bytes still to read, for a hot-path decoder that walks them itself (it must check
   * bounds as this class does) and then calls seek() with where it stopped.
   */
  span(): { buf: Buffer; view: DataView; end: number } {
    return { buf: this.buf, view: this.view, end: this.end };
  }

  /** Moves to `offset`, which must lie between the current offset and the end. */
  seek(offset: number): void {
    if (!(offset >= this.pos && offset <= this.end)) {
      throw new RangeError(`seek to ${offset} outside ${this.pos}..${this.end}`);
    }
    this.pos = offset;
  }

  private need(bytes: number, what: string): number {
    if (bytes > this.end - this.pos) {
      throw new XdrDecodeError(
        `truncated ${what}: need ${bytes} bytes, have ${this.remaining}`,
        this.pos,
      );
    }
    const at = this.pos;
    this.pos += bytes;
    return at;
  }

  /** The next int, left unread (a union's discriminant, read again by its arm's reader). */
  peekInt(): number {
    const value = this.int();
    this.pos -= 4;
    return value;
  }

  int(): number {
    return this.view.getInt32(this.need(4, 'int'));
  }

  uint(): number {
    return this.view.getUint32(this.need(4, 'unsigned int'));
  }

  hyper(): bigint {
    return this.view.getBigInt64(this.need(8, 'hyper'));
  }

  uhyper(): bigint {
    return this.view.getBigUint64(this.need(8, 'unsigned hyper'));
  }

  /**
   * A hyper as a number when it lies in [-2^53, 2^53), where every integer is exact, else as a
   * bigint:
   * the stats hot path, where making a BigInt for every counter cost more than the rest of
   * the decoding together, while real counters stay far below 2^53.
   */
  hyperValue(): number | bigint {
    return hyperAt(this.view, this.need(8, 'hyper'));
  }

  /** An unsigned hyper as a number when below 2^53, else as a bigint (see hyperValue). */
  uhyperValue(): number | bigint {
    return uhyperAt(this.view, this.need(8, 'unsigned hyper'));
  }

  double(): number {
    return this.view.getFloat64(this.need(8, 'double'));
  }

  bool(): boolean {
    const at = this.pos;
    const value = this.int();
    if (value !== 0 && value !== 1) throw new XdrDecodeError(`bool is ${value}, not 0 or 1`, at);
    return value === 1;
  }

  /** A C enum on the wire: an int that must be one of `allowed`. */
  enumValue<T extends number>(allowed: ReadonlySet<number>, what: string): T {
    const at = this.pos;
    const value = this.int();
    if (!allowed.has(value)) throw new XdrDecodeError(`${what} ${value} is not a known value`, at);
    return value as T;
  }

  private length(max: number, what: string): number {
    const at = this.pos;
    const length = this.uint();
    if (length > max)
      throw new XdrDecodeError(`${what} length ${length} exceeds its maximum ${max}`, at);
    return length;
  }

  private padding(length: number, what: string): void {
    const pad = (4 - (length % 4)) % 4;
    const at = this.need(pad, `${what} padding`);
    for (let i = 0; i < pad; i++) {
      if (this.buf[at + i] !== 0) throw new XdrDecodeError(`non-zero ${what} padding`, at + i);
    }
  }

  string(max: number): string {
    const length = this.length(max, 'string');
    const at = this.need(length, 'string');
    this.padding(length, 'string');
    return this.buf.toString('utf8', at, at + length);
  }

  /** A string that recurs from message to message, looked up in `interner` by its bytes. */
  internedString(max: number, interner: StringInterner): string {
    const length = this.length(max, 'string');
    const at = this.need(length, 'string');
    this.padding(length, 'string');
    return interner.intern(this.buf, this.view, at, length);
  }

  /** Fixed-length opaque data, copied out so the packet buffer can be released. */
  opaqueFixed(length: number): Buffer {
    const at = this.need(length, 'opaque');
    this.padding(length, 'opaque');
    return Buffer.from(this.buf.subarray(at, at + length));
  }

  /** Fixed-length opaque data as a latin1 string (one char per byte): a cheap lookup key. */
  latin1Fixed(length: number): string {
    const at = this.need(length, 'opaque');
    this.padding(length, 'opaque');
    return this.buf.toString('latin1', at, at + length);
  }

  opaqueVar(max: number): Buffer {
    return this.opaqueFixed(this.length(max, 'opaque'));
  }

  optional<T>(item: (r: XdrReader) => T): T | null {
    return this.bool() ? item(this) : null;
  }

  /**
   * The item count of a variable-length array. Besides the declared maximum, it cannot exceed
   * what the remaining bytes could hold (each item takes at least minItemBytes), so a forged
   * count cannot make us allocate.
   */
  count(max: number, minItemBytes = 4): number {
    const at = this.pos;
    const count = this.length(max, 'array');
    if (count * minItemBytes > this.remaining) {
      throw new XdrDecodeError(`array of ${count} items cannot fit in ${this.remaining} bytes`, at);
    }
    return count;
  }

  array<T>(max: number, item: (r: XdrReader) => T, minItemBytes = 4): T[] {
    const count = this.count(max, minItemBytes);
    const items = new Array<T>(count);
    for (let i = 0; i < count; i++) items[i] = item(this);
    return items;
  }

  fixedArray<T>(count: number, item: (r: XdrReader) => T): T[] {
    const items = new Array<T>(count);
    for (let i = 0; i < count; i++) items[i] = item(this);
    return items;
  }

  /** Fails unless every byte was consumed: trailing bytes mean the layout was misread. */
  done(what: string): void {
    if (this.pos !== this.end) {
      throw new XdrDecodeError(
        `${this.end - this.pos} unexpected trailing bytes after ${what}`,
        this.pos,
      );
    }
  }
}
