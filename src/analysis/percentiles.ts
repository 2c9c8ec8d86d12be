/**
 * Percentiles by selection rather than sorting: a week of minutes is 10,080 values per
 * series and a fleet has thousands of series, and quickselect finds a rank in linear
 * time where a sort takes n log n. Linear interpolation between ranks, as NumPy's
 * default does: p50 of [1, 2, 3, 4] is 2.5.
 */

/** Reorders a[lo..hi] so that a[k] holds the k-th smallest, smaller before, larger after. */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const x = a[lo] as number;
    const y = a[(lo + hi) >> 1] as number;
    const z = a[hi] as number;
    // Median of three: sorted or reversed input does not make it quadratic.
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The p-th values (0–1) of the first `length` values of `a`, which it reorders. The ps
 * may come in any order; an empty series gives 0 for each.
 */
export function percentilesInPlace(
  a: Float64Array,
  length: number,
  ps: readonly number[],
): number[] {
  if (length === 0) return ps.map(() => 0);
  const order = ps.map((p, i) => ({ rank: Math.min(1, Math.max(0, p)) * (length - 1), i }));
  order.sort((u, v) => u.rank - v.rank);
  const out = new Array<number>(ps.length);
  let from = 0;
  for (const { rank, i } of order) {
    const low = Math.floor(rank);
    select(a, low, from, length - 1);
    from = low;
    const lowValue = a[low] as number;
    let value = lowValue;
    if (rank > low) {
      // The next rank is the smallest of what lies after: all of it is ≥ a[low].
      let next = Infinity;
      for (let j = low + 1; j < length; j++) if ((a[j] as number) < next) next = a[j] as number;
      value = lowValue + (next - lowValue) * (rank - low);
    }
    out[i] = value;
  }
  return out;
}

/** The p-th value (0–1) of values, by linear interpolation between ranks; 0 for none. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const copy = Float64Array.from(values);
  return percentilesInPlace(copy, copy.length, [p])[0] as number;
}

/** Finite numbers gathered in one pass, without an array of objects. */
export class Series {
  private data: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(1, capacity));
  }

  push(value: number | null): void {
    if (value === null || !Number.isFinite(value)) return;
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The p-th values (0–1); the series' order is lost. */
  percentiles(ps: readonly number[]): number[] {
    return percentilesInPlace(this.data, this.length, ps);
  }

  /** The p-th value, or null when the series is empty. */
  percentileOrNull(p: number): number | null {
    return this.length === 0 ? null : (this.percentiles([p])[0] as number);
  }

  max(): number {
    let m = -Infinity;
    for (let i = 0; i < this.length; i++)
      if ((this.data[i] as number) > m) m = this.data[i] as number;
    return m;
  }
}
