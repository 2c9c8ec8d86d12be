/** One interned string and its XDR bytes as big-endian 32-bit words (zero padding included). */
interface InternedEntry {
  readonly text: string;
  readonly byteLength: number;
  readonly words: Int32Array;
}

/**
 * Longest string kept, bytes. The strings that recur are typed-parameter names (libvirt's own
 * client refuses any of VIR_TYPED_PARAM_FIELD_LENGTH, 80, or more) and domain names (file names
 * on the host, so under 256); a longer one is read like any other string.
 */
export const INTERNED_STRING_MAX_BYTES = 255;
/** What one table may hold, bytes (see entryBytes): a few thousand names of any kind. */
export const INTERNER_MAX_BYTES = 1 << 20;
/** A Map entry, the entry object, the string's and the Int32Array's headers. */
const ENTRY_OVERHEAD_BYTES = 160;

/** Memory an entry holds: its words, its text (two bytes a unit at worst), the headers. */
function entryBytes(length: number, wordCount: number): number {
  return ENTRY_OVERHEAD_BYTES + 4 * wordCount + 2 * length;
}

/**
 * Strings that recur from message to message (typed-parameter names, domain names), found
 * again by their wire bytes instead of being decoded each time. XDR pads a string with zeros
 * to whole 4-byte words, so the bytes are hashed and compared a word at a time: the stats hot
 * path reads a few hundred names per reply, and a byte loop over them was most of its
 * decoding time. Only short strings are kept and the table stops growing at `maxTotalBytes`,
 * so what a hostile daemon sends costs it no more than that: the protocol allows 4 MiB strings,
 * and a table of 4,096 of them would hold 32 GiB.
 */
export class StringInterner {
  private readonly entries = new Map<number, InternedEntry>();
  private heldBytes = 0;

  constructor(
    private readonly maxStringBytes = INTERNED_STRING_MAX_BYTES,
    private readonly maxTotalBytes = INTERNER_MAX_BYTES,
  ) {}

  /** Memory the table holds, by entryBytes' estimate. */
  get retainedBytes(): number {
    return this.heldBytes;
  }

  /**
   * The string of `length` bytes at `at`; the caller has checked that the padded length is
   * in bounds and that the padding is zero.
   */
  intern(buf: Buffer, view: DataView, at: number, length: number): string {
    if (length > this.maxStringBytes) return buf.toString('utf8', at, at + length);
    const wordCount = (length + 3) >>> 2;
    let hash = length;
    for (let i = 0; i < wordCount; i++) {
      hash = Math.imul(hash ^ view.getInt32(at + 4 * i), 0x01000193);
      hash ^= hash >>> 15;
    }
    // A small-integer key: a wider one would be boxed as a heap number on every lookup.
    hash &= 0x3fffffff;
    const hit = this.entries.get(hash);
    if (hit !== undefined && hit.byteLength === length) {
      const words = hit.words;
      let i = 0;
      while (i < wordCount && words[i] === view.getInt32(at + 4 * i)) i++;
      if (i === wordCount) return hit.text;
    }
    const text = buf.toString('utf8', at, at + length);
    // A colliding entry gives way: the newer string is the likelier to come again.
    const freed = hit === undefined ? 0 : entryBytes(hit.byteLength, hit.words.length);
    const cost = entryBytes(length, wordCount);
    if (this.heldBytes - freed + cost <= this.maxTotalBytes) {
      const words = new Int32Array(wordCount);
      for (let i = 0; i < wordCount; i++) words[i] = view.getInt32(at + 4 * i);
      this.entries.set(hash, { text, byteLength: length, words });
      this.heldBytes += cost - freed;
    }
    return text;
  }
}
