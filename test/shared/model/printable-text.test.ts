import { describe, expect, it } from 'vitest';
import { printableText } from '../../../src/shared/model/printable-text';

describe('printableText', () => {
  it('keeps plain text, Unicode included', () => {
    expect(printableText('Domain not found: no domain with name « vm-ü »', 100)).toBe(
      'Domain not found: no domain with name « vm-ü »',
    );
  });

  it.each([
    ['an OSC title ended by BEL', 'a\x1b]0;owned\x07b', 'ab'],
    ['an OSC hyperlink ended by ST', 'a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b', 'alinkb'],
    ['a CSI that clears the screen', 'a\x1b[2J\x1b[Hb', 'ab'],
    ['a CSI with colours', '\x1b[1;31mred\x1b[0m', 'red'],
    ['an 8-bit CSI', 'a\x9b2Jb', 'ab'],
    ['an 8-bit OSC', 'a\x9d0;owned\x07b', 'ab'],
    ['a DCS string', 'a\x1bPq#0;2;0;0;0\x1b\\b', 'ab'],
    ['a charset escape', 'a\x1b(0b', 'ab'],
    ['a reset', 'a\x1bcb', 'ab'],
    ['a lone ESC at the end', 'ab\x1b', 'ab'],
    ['C0 controls', 'a\x00\x07\x08\x7fb', 'ab'],
    ['C1 controls', 'a\x85\x8d\x9cb', 'ab'],
    ['bidi overrides and isolates', 'a\u202egnp.exe\u202cb\u2066c\u2069', 'agnp.exebc'],
  ])('removes %s', (_what, hostile, expected) => {
    expect(printableText(hostile, 100)).toBe(expected);
  });

  it('puts line breaks and tabs on one line as spaces', () => {
    expect(printableText('first\r\nsecond\tthird\n', 100)).toBe('first second third');
  });

  it('bounds the length, never splitting a surrogate pair', () => {
    expect(printableText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(printableText(`${'x'.repeat(8)}😀😀`, 10)).toBe(`${'x'.repeat(8)}…`);
  });

  it('takes a long hostile text in linear time', () => {
    const hostile = '\x1b]'.repeat(200_000) + '\x1b['.repeat(200_000);
    const started = performance.now();
    expect(printableText(hostile, 100)).toBe('');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
