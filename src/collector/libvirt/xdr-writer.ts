import { XdrEncodeError } from './xdr-error';

const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const UINT_MAX = 0xffffffff;

/** Writes XDR (RFC 4506) into a growing buffer. Out-of-range values throw XdrEncodeError. */
export class XdrWriter {
  private buf: Buffer;
  private view: DataView;
  private pos = 0;

  constructor(initialBytes = 256) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  get length(): number {
    return this.pos;
  }

  private reserve(bytes: number): number {
    if (this.pos + bytes > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
      this.view = new DataView(grown.buffer, grown.byteOffset, grown.length);
    }
    const at = this.pos;
    this.pos += bytes;
    return at;
  }

  int(value: number): this {
    if (!Number.isInteger(value) || value < INT_MIN || value > INT_MAX) {
      throw new XdrEncodeError(`${value} is not a 32-bit signed integer`);
    }
    const at = this.reserve(4);
    this.view.setInt32(at, value);
    return this;
  }

  uint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > UINT_MAX) {
      throw new XdrEncodeError(`${value} is not a 32-bit unsigned integer`);
    }
    const at = this.reserve(4);
    this.view.setUint32(at, value);
    return this;
  }

  hyper(value: bigint): this {
    if (value < -(1n << 63n) || value >= 1n << 63n) {
      throw new XdrEncodeError(`${value} is not a 64-bit signed integer`);
    }
    const at = this.reserve(8);
    this.view.setBigInt64(at, value);
    return this;
  }

  uhyper(value: bigint): this {
    if (value < 0n || value >= 1n << 64n) {
      throw new XdrEncodeError(`${value} is not a 64-bit unsigned integer`);
    }
    const at = this.reserve(8);
    this.view.setBigUint64(at, value);
    return this;
  }

  double(value: number): this {
    const at = this.reserve(8);
    this.view.setFloat64(at, value);
    return this;
  }

  bool(value: boolean): this {
    return this.int(value ? 1 : 0);
  }

  private pad(length: number): void {
    const pad = (4 - (length % 4)) % 4;
    const at = this.reserve(pad);
    this.buf.fill(0, at, at + pad);
  }

  string(value: string, max: number): this {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > max)
      throw new XdrEncodeError(`string of ${bytes} bytes exceeds its maximum ${max}`);
    this.uint(bytes);
    const at = this.reserve(bytes);
    this.buf.write(value, at, 'utf8');
    this.pad(bytes);
    return this;
  }

  opaqueFixed(value: Uint8Array, length: number): this {
    if (value.length !== length) {
      throw new XdrEncodeError(`fixed opaque must be ${length} bytes, got ${value.length}`);
    }
    const at = this.reserve(length);
    this.buf.set(value, at);
    this.pad(length);
    return this;
  }

  opaqueVar(value: Uint8Array, max: number): this {
    if (value.length > max) {
      throw new XdrEncodeError(`opaque of ${value.length} bytes exceeds its maximum ${max}`);
    }
    this.uint(value.length);
    return this.opaqueFixed(value, value.length);
  }

  optional<T>(value: T | null | undefined, item: (w: XdrWriter, v: T) => void): this {
    if (value === null || value === undefined) return this.bool(false);
    this.bool(true);
    item(this, value);
    return this;
  }

  array<T>(values: readonly T[], max: number, item: (w: XdrWriter, v: T) => void): this {
    if (values.length > max) {
      throw new XdrEncodeError(`array of ${values.length} items exceeds its maximum ${max}`);
    }
    this.uint(values.length);
    for (const value of values) item(this, value);
    return this;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
