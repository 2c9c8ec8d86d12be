/**
 * Line colours for a graph of many series (one per disk, one per interface). Each is
 * of middle lightness, so it reads on the light theme's white and the dark theme's
 * near-black alike, and the first ten are told apart at a glance. Hex, since a graph
 * makes its fill from the line's colour with an alpha suffix.
 */
const palette = [
  '#2563eb',
  '#db2777',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#65a30d',
  '#c026d3',
  '#64748b',
];

/** A hue in degrees at 70 % saturation and 45 % lightness, as #rrggbb. */
function hexOfHue(hue: number): string {
  const saturation = 0.7;
  const lightness = 0.45;
  const chroma = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number): string => {
    const k = (n + hue / 30) % 12;
    const value = lightness - chroma * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/**
 * The colour of a graph's series `index`: the palette's, then hues a golden angle apart
 * (137.5°, each as far from the ones before as it can be), so no two series of one
 * graph share a colour however many devices a host has.
 */
export function seriesColor(index: number): string {
  return palette[index] ?? hexOfHue((index - palette.length) * 137.508 + 20);
}
