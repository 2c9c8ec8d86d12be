import { StoreError } from './store-error';

/** A time range [from, to) in ms, checked where every range query starts. */
export function assertRange(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new StoreError('bad-range', `bad range: from ${from} to ${to}`);
  }
}

/** How many buckets a chart asks for: a positive integer. */
export function assertMaxPoints(maxPoints: number): void {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new StoreError('bad-range', `maxPoints must be a positive integer, not ${maxPoints}`);
  }
}
