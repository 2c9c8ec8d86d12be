import { describe, expect, it } from 'vitest';
import {
  INTERNED_STRING_MAX_BYTES,
  StringInterner,
} from '../../../src/collector/libvirt/string-interner';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';

/** Interns the XDR string `text` as the decoder does: its bytes after the length word. */
function intern(names: StringInterner, text: string): string {
  const buf = new XdrWriter().string(text, 1 << 22).bytes();
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  return names.intern(buf, view, 4, buf.readUInt32BE(0));
}

describe('StringInterner', () => {
  it('finds a name again by its bytes, across every padding and multi-byte case', () => {
    const names = new StringInterner();
    const texts = ['', 'a', 'ab', 'abc', 'cpu.time', 'é.utf8', '한국어', '🖥 desk'];
    for (const text of texts) expect(intern(names, text)).toBe(text);
    const held = names.retainedBytes;
    expect(held).toBeGreaterThan(0);
    for (const text of texts) expect(intern(names, text)).toBe(text);
    expect(names.retainedBytes).toBe(held);
  });

  it('reads a string longer than its limit without keeping it', () => {
    const names = new StringInterner();
    const long = 'n'.repeat(INTERNED_STRING_MAX_BYTES + 1);
    expect(intern(names, long)).toBe(long);
    expect(intern(names, 'x'.repeat(1 << 20))).toHaveLength(1 << 20);
    expect(names.retainedBytes).toBe(0);
    expect(intern(names, long.slice(1))).toBe(long.slice(1));
    expect(names.retainedBytes).toBeGreaterThan(0);
  });

  it('stops growing at its byte budget and still reads every name right', () => {
    const names = new StringInterner(255, 64 * 1024);
    for (let i = 0; i < 5000; i++) {
      const text = `desktop-${i}-${'x'.repeat(i % 200)}`;
      expect(intern(names, text)).toBe(text);
      expect(names.retainedBytes).toBeLessThanOrEqual(64 * 1024);
    }
    expect(names.retainedBytes).toBeGreaterThan(60 * 1024);
  });
});
