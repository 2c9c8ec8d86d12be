/** One interned string and its XDR bytes as big-endian 32-bit words (zero padding included). */
interface InternedEntry {
  readonly text: string;
  readonly byteLength: number;
  readonly words: Int32Array;
}

/**
 * Strings that recur from message to message (typed-parameter names, domain names), found
 * again by their wire bytes instead of being decoded each time. XDR pads a string with zeros
 * to whole 4-byte words, so the bytes are hashed and compared a word at a time: the stats hot
 * path reads a few hundred names per reply, and a byte loop over them was most of its
 * decoding time. The table stops growing at `capacity` so hostile input cannot bloat it.
 */
export class StringInterner {
  private readonly entries = new Map<number, InternedEntry>();

  constructor(private readonly capacity = 4096) {}

  /**
   * The string of `length` bytes at `at`; the caller has checked that the padded length is
   * in bounds and that the padding is zero.
   */
  intern(buf: Buffer, view: DataView, at: number, length: number): string {
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
    if (this.entries.size < this.capacity) {
      const words = new Int32Array(wordCount);
      for (let i = 0; i < wordCount; i++) words[i] = view.getInt32(at + 4 * i);
      this.entries.set(hash, { text, byteLength: length, words });
    }
    return text;
  }
}
