import { describe, expect, it } from 'vitest';
import { seriesColor } from '../../../src/renderer/detail/series-colors';

describe('seriesColor', () => {
  it("gives each of a graph's series its own hex colour, past the palette too", () => {
    const colors = Array.from({ length: 24 }, (_, i) => seriesColor(i));
    expect(new Set(colors).size).toBe(24);
    for (const color of colors) expect(color).toMatch(/^#[0-9a-f]{6}$/);
  });
});
