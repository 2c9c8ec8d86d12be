/** a + b when both were measured; null (not measured) otherwise, never a partial sum. */
export function sumKnown(
  a: number | null | undefined,
  b: number | null | undefined,
): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : a + b;
}
