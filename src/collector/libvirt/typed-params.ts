import type { TypedParamValue } from './remote-types';

/** Per name: its slot in `names`, its lookup entry and its string's header. */
const NAME_OVERHEAD_BYTES = 64;

/**
 * The field names of a typed-parameter list, in wire order, shared by every list with the
 * same names: a domain's stats come back with the same fields poll after poll, so each reply
 * costs an array of values, not a fresh object with a few hundred keys.
 */
export class TypedParamLayout {
  private lookup: Map<string, number> | null = null;
  private wireWords: Int32Array | null = null;
  /**
   * Memory the layout holds once its wire form and lookup are built, estimated from above
   * (strings at two bytes a unit, though names shared with an interner are counted here too):
   * what a cache of layouts charges for keeping it.
   */
  readonly retainedBytes: number;

  /** `wireBytes`: the names' XDR size, when the caller has just read them and knows it. */
  constructor(
    readonly names: readonly string[],
    wireBytes = names.reduce((n, name) => n + 4 + ((Buffer.byteLength(name) + 3) & ~3), 0),
  ) {
    let textBytes = 0;
    for (const name of names) textBytes += 2 * name.length;
    this.retainedBytes = wireBytes + textBytes + NAME_OVERHEAD_BYTES * names.length;
  }

  /**
   * The names as XDR puts them on the wire, one after the other: each its byte length, then
   * its bytes zero-padded to whole big-endian 32-bit words. The decoder compares a reply's
   * names with this, in order, to confirm the layout repeats. Built on first use: only a
   * layout kept for the next reply needs it.
   */
  get wire(): Int32Array {
    if (this.wireWords === null) {
      const encoded = this.names.map((name) => Buffer.from(name, 'utf8'));
      const wire = new Int32Array(encoded.reduce((n, b) => n + 1 + ((b.length + 3) >>> 2), 0));
      let w = 0;
      for (const bytes of encoded) {
        wire[w++] = bytes.length;
        const padded = Buffer.alloc((bytes.length + 3) & ~3);
        bytes.copy(padded);
        for (let i = 0; i < padded.length; i += 4) wire[w++] = padded.readInt32BE(i);
      }
      this.wireWords = wire;
    }
    return this.wireWords;
  }

  /** Built on first use: a layout only ever decoded and printed never needs it. */
  private get index(): Map<string, number> {
    if (this.lookup === null) {
      const index = new Map<string, number>();
      this.names.forEach((name, i) => index.set(name, i));
      this.lookup = index;
    }
    return this.lookup;
  }

  /** Position of `name` (the last one when a name repeats, as an object would keep it). */
  indexOf(name: string): number {
    return this.index.get(name) ?? -1;
  }

  get distinctCount(): number {
    return this.index.size;
  }
}

/**
 * A typed-parameter list by field name (libvirt's own names: cpu.time, block.0.wr.bytes, ...).
 * Read-only; JSON.stringify gives the plain `{name: value}` object.
 */
export class TypedParams {
  constructor(
    readonly layout: TypedParamLayout,
    private readonly values: readonly TypedParamValue[],
  ) {}

  /** Built from a plain object (fixtures, JSON printed by `setmov libvirt stats --json`). */
  static fromObject(fields: Readonly<Record<string, TypedParamValue>>): TypedParams {
    return new TypedParams(new TypedParamLayout(Object.keys(fields)), Object.values(fields));
  }

  /** Distinct field names. */
  get size(): number {
    return this.layout.distinctCount;
  }

  has(name: string): boolean {
    return this.layout.indexOf(name) >= 0;
  }

  get(name: string): TypedParamValue | undefined {
    const i = this.layout.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }

  /** Field names in wire order, each once. */
  keys(): string[] {
    return this.layout.names.filter((name, i) => this.layout.indexOf(name) === i);
  }

  entries(): [string, TypedParamValue][] {
    return this.keys().map((name) => [name, this.get(name) as TypedParamValue]);
  }

  toObject(): Record<string, TypedParamValue> {
    return Object.fromEntries(this.entries());
  }

  toJSON(): Record<string, TypedParamValue> {
    return this.toObject();
  }
}
