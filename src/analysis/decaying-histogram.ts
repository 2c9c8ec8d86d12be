/**
 * A histogram of usage whose samples weigh less the older they are: a sample's weight
 * halves every `halfLifeMs` (24 h by default, as Kubernetes' Vertical Pod Autoscaler
 * does), so last week's habits still count and yesterday's count twice as much as the
 * day before. Buckets grow exponentially (each `ratio` times the one before), so small
 * values are told apart finely and large ones cheaply; a percentile answers with the
 * end of its bucket, which errs on the generous side.
 */
export interface HistogramOptions {
  /** Width of the first bucket, in the sample's unit (vCPUs, bytes). */
  firstBucketSize: number;
  /** Each bucket's width against the one before (> 1). */
  ratio: number;
  /** The largest value told apart; larger ones fall into the last bucket. */
  maxValue: number;
  halfLifeMs: number;
}

/** Beyond 2^MAX_EXPONENT the weights are rescaled so they stay finite. */
const MAX_EXPONENT = 100;

export class DecayingHistogram {
  private readonly weights: Float64Array;
  /** Constants of bucketOf and the decay, worked out once: add runs once per minute of history. */
  private readonly bucketScale: number;
  private readonly inverseLogRatio: number;
  private readonly decayPerMs: number;
  private total = 0;
  /** The time a weight of 1 is counted at; later samples weigh more than 1. */
  private reference: number | null = null;

  constructor(private readonly options: HistogramOptions) {
    const { firstBucketSize, ratio, maxValue, halfLifeMs } = options;
    if (!(firstBucketSize > 0) || !(ratio > 1) || !(maxValue > firstBucketSize)) {
      throw new RangeError('a histogram needs firstBucketSize > 0, ratio > 1, maxValue > first');
    }
    if (!(halfLifeMs > 0)) throw new RangeError('the half-life must be positive');
    this.bucketScale = (ratio - 1) / firstBucketSize;
    this.inverseLogRatio = 1 / Math.log(ratio);
    this.decayPerMs = Math.LN2 / halfLifeMs;
    this.weights = new Float64Array(this.bucketOf(maxValue, Infinity) + 1);
  }

  get isEmpty(): boolean {
    return this.total <= 0;
  }

  /** Adds a sample of `value` measured at `ts` (ms), weighing `weight` when it was new. */
  add(value: number, ts: number, weight = 1): void {
    if (!Number.isFinite(value) || !Number.isFinite(ts) || !(weight > 0)) return;
    this.reference ??= ts;
    let exponent = (ts - this.reference) * this.decayPerMs;
    if (exponent > MAX_EXPONENT * Math.LN2) {
      this.rescale(ts);
      exponent = 0;
    }
    const decayed = weight * Math.exp(exponent);
    const bucket = this.bucketOf(value > 0 ? value : 0, this.weights.length - 1);
    this.weights[bucket] = (this.weights[bucket] as number) + decayed;
    this.total += decayed;
  }

  /**
   * The smallest value below which a share `p` (0–1) of the weight lies: the end of
   * the bucket where the running total reaches it. 0 for an empty histogram.
   */
  percentile(p: number): number {
    if (this.isEmpty) return 0;
    const wanted = Math.min(1, Math.max(0, p)) * this.total;
    let sum = 0;
    for (let i = 0; i < this.weights.length; i++) {
      sum += this.weights[i] ?? 0;
      if (sum >= wanted && (this.weights[i] ?? 0) > 0) return this.bucketStart(i + 1);
    }
    return this.bucketStart(this.weights.length);
  }

  /** The bucket of a value ≥ 0, at most `last`. */
  private bucketOf(value: number, last: number): number {
    const i = Math.floor(Math.log(value * this.bucketScale + 1) * this.inverseLogRatio);
    return i < 0 ? 0 : i > last ? last : i;
  }

  /** Where bucket i starts: the sum of the widths before it. */
  private bucketStart(i: number): number {
    const { firstBucketSize, ratio } = this.options;
    return (firstBucketSize * (ratio ** i - 1)) / (ratio - 1);
  }

  /** Moves the reference to `ts`, dividing every weight by what that multiplies by. */
  private rescale(ts: number): void {
    const factor = 2 ** (((this.reference ?? ts) - ts) / this.options.halfLifeMs);
    for (let i = 0; i < this.weights.length; i++) this.weights[i] = (this.weights[i] ?? 0) * factor;
    this.total *= factor;
    this.reference = ts;
  }
}
