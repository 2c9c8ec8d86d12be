import { describe, expect, it } from 'vitest';
import { versionText } from '../../src/shared/model/libvirt-facts';

describe('versionText', () => {
  it("reads libvirt's major * 1e6 + minor * 1e3 + micro", () => {
    expect(versionText(9_000_000)).toBe('9.0.0');
    expect(versionText(7_002_000)).toBe('7.2.0');
    expect(versionText(10_010_003)).toBe('10.10.3');
    expect(versionText(999)).toBe('0.0.999');
  });

  it('has no version for zero, negatives, fractions or numbers past 2^53', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(versionText(bad)).toBeNull();
  });
});
