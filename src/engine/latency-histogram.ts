/**
 * Per-command latency histograms (LATENCY HISTOGRAM, INFO latencystats): an HDR histogram
 * laid out exactly as the one Redis 7.0 keeps per command — values in nanoseconds from
 * 1 ns to 1 s, 2 significant digits — so bucket boundaries, percentiles and the
 * power-of-two cumulative distribution come out as Redis's do.
 *
 * Layout (HdrHistogram's): buckets of 128 sub-buckets each, bucket b covering values with
 * a resolution of 2^b ns; values fit in 32 bits (the maximum is 1e9), so indexes are
 * computed with Math.clz32. Counts live in one lazily created Float64Array (exact to 2^53).
 * Recording is a few integer operations and one array increment, no allocation.
 * Imports: nothing.
 */

const LOWEST = 1;
const HIGHEST = 1_000_000_000;
/** 2 significant digits: single-unit resolution up to 2 * 10^2, so 256 sub-buckets. */
const SUB_BUCKET_COUNT_MAGNITUDE = 8;
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
const SUB_BUCKET_COUNT = 1 << SUB_BUCKET_COUNT_MAGNITUDE;
const SUB_BUCKET_HALF_COUNT = SUB_BUCKET_COUNT >> 1;
const SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;

function bucketsNeeded(): number {
  let smallestUntrackable = SUB_BUCKET_COUNT;
  let n = 1;
  while (smallestUntrackable <= HIGHEST) {
    smallestUntrackable *= 2;
    n++;
  }
  return n;
}

const BUCKET_COUNT = bucketsNeeded();
const COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

function bucketIndex(v: number): number {
  // 64 - clz64(v | mask) - unitMagnitude(0) - (halfMagnitude + 1), with v < 2^32.
  return 32 - Math.clz32(v | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

function countsIndex(v: number): number {
  const b = bucketIndex(v);
  const sub = v >>> b;
  return ((b + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sub - SUB_BUCKET_HALF_COUNT);
}

function valueAtIndex(index: number): number {
  let b = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (b < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    b = 0;
  }
  return sub * 2 ** b;
}

function lowestEquivalent(v: number): number {
  const b = bucketIndex(v);
  return (v >>> b) * 2 ** b;
}

function rangeSize(v: number): number {
  const b = bucketIndex(v);
  const sub = v >>> b;
  return 2 ** (sub >= SUB_BUCKET_COUNT ? b + 1 : b);
}

function highestEquivalent(v: number): number {
  return lowestEquivalent(v) + rangeSize(v) - 1;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(COUNTS_LEN);
  total = 0;

  /** Records one command duration given in nanoseconds (clamped to 1 ns .. 1 s). */
  record(ns: number): void {
    let v = Math.floor(ns);
    if (v < LOWEST) v = LOWEST;
    else if (v > HIGHEST) v = HIGHEST;
    this.counts[countsIndex(v)]!++;
    this.total++;
  }

  /** The value at a percentile (0-100), in nanoseconds, as hdr_value_at_percentile computes it. */
  valueAtPercentile(percentile: number): number {
    const p = percentile < 100 ? percentile : 100;
    const want = Math.max(1, Math.trunc((p / 100) * this.total + 0.5));
    let seen = 0;
    let value = 0;
    for (let i = 0; i < COUNTS_LEN; i++) {
      seen += this.counts[i]!;
      if (seen >= want) {
        value = valueAtIndex(i);
        break;
      }
    }
    return percentile === 0 ? lowestEquivalent(value) : highestEquivalent(value);
  }

  /**
   * The cumulative distribution in power-of-two buckets starting at 1024 ns, as LATENCY
   * HISTOGRAM prints it: [upper bound in µs, cumulative count] for each bucket whose
   * cumulative count grew. Walks the counts as HdrHistogram's logarithmic iterator does.
   */
  cumulative(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let level = 1024;
    let levelLowest = lowestEquivalent(level);
    let index = -1;
    let value = 0;
    let highest = 0;
    let cumulative = 0;
    let previous = 0;
    // Once every count is seen, later steps only cross empty levels and print nothing.
    while (cumulative < this.total) {
      let exhausted = false;
      // Step through the counts to the first index at or above the reporting level; the
      // bucket is reported with that index's highest equivalent value.
      while (value < levelLowest) {
        if (++index >= COUNTS_LEN) {
          exhausted = true;
          break;
        }
        cumulative += this.counts[index]!;
        value = valueAtIndex(index);
        highest = highestEquivalent(value);
      }
      if (cumulative > previous) out.push([Math.floor(highest / 1000), cumulative]);
      previous = cumulative;
      if (exhausted || level >= 2 ** 31) break;
      level *= 2;
      levelLowest = lowestEquivalent(level);
    }
    return out;
  }
}
