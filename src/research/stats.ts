/**
 * Interval estimates for the research workflow (methods in docs/research.md):
 * - means: Student t interval, mean +- t(1 - a/2, n - 1) * s / sqrt(n);
 * - paired differences between regimes over the same seeds: bootstrap percentile interval, resampling seeds
 *   with replacement from a named seeded stream (the same resampled seeds for every series, so the series
 *   stay paired with each other too), plus the paired t interval for reference.
 * Distribution functions come from jStat; nothing here draws from a global random source.
 */
import jStat from 'jstat';
import type { DistributionSummary, IntervalEstimate } from '../core/events.js';
import type { Uniform } from '../core/rng.js';

export function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be strictly between 0 and 1, got ${level}`);
}

/**
 * Mean and Student t interval of `xs` (null and NaN entries skipped; `n` counts the rest). With fewer than
 * two values there is no interval: lo = hi = mean (NaN when there is no value at all).
 */
export function tInterval(xs: readonly (number | null)[], level: number): IntervalEstimate {
  checkLevel(level);
  const v = xs.filter((x): x is number => x !== null && !Number.isNaN(x));
  const n = v.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, n };
  const mean = jStat.mean(v);
  if (n < 2) return { mean, lo: mean, hi: mean, n };
  const half = jStat.studentt.inv(1 - (1 - level) / 2, n - 1) * (jStat.stdev(v, true) / Math.sqrt(n));
  return { mean, lo: mean - half, hi: mean + half, n };
}

/**
 * Bootstrap percentile intervals of the mean of several paired series at once. `series[k][i]` is series k's
 * value for seed i (NaN where undefined); each resample draws n seed indices with replacement from `u` and
 * takes every series' mean over the drawn seeds where it is defined. The interval is the (1-level)/2 and
 * (1+level)/2 percentiles (linear interpolation, R type 7) of the resampled means.
 */
export function bootstrapMeans(series: readonly Float64Array[], level: number, resamples: number, u: Uniform): IntervalEstimate[] {
  checkLevel(level);
  const n = series[0]?.length ?? 0;
  const k = series.length;
  const means = series.map(() => [] as number[]);
  const idx = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(u() * n);
    for (let s = 0; s < k; s++) {
      const xs = series[s] as Float64Array;
      let sum = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const x = xs[idx[i] as number] as number;
        if (!Number.isNaN(x)) {
          sum += x;
          m++;
        }
      }
      if (m > 0) (means[s] as number[]).push(sum / m);
    }
  }
  return series.map((xs, s) => {
    const defined = Array.from(xs).filter((x) => !Number.isNaN(x));
    const n1 = defined.length;
    const mean = n1 > 0 ? jStat.mean(defined) : Number.NaN;
    const ms = means[s] as number[];
    if (n1 < 2 || ms.length === 0) return { mean, lo: mean, hi: mean, n: n1 };
    return { mean, lo: jStat.percentile(ms, (1 - level) / 2), hi: jStat.percentile(ms, (1 + level) / 2), n: n1 };
  });
}

/** Quantile q in [0, 1] of sorted values, by linear interpolation between order statistics (R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(n - 1, lo + 1)] as number;
  return a + (h - lo) * (b - a);
}

/** The summary of `xs` (NaN and null skipped); NaNs throughout when nothing is left. */
export function summarize(xs: readonly (number | null)[]): DistributionSummary {
  const v = xs.filter((x): x is number => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  const n = v.length;
  const mean = n > 0 ? v.reduce((a, b) => a + b, 0) / n : Number.NaN;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : n === 1 ? 0 : Number.NaN;
  const q = (p: number): number => quantileSorted(v, p);
  return { n, mean, sd, min: v[0] ?? Number.NaN, q05: q(0.05), q25: q(0.25), median: q(0.5), q75: q(0.75), q95: q(0.95), max: v[n - 1] ?? Number.NaN };
}
