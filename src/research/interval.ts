/** Student t confidence intervals for a mean over independent runs (seeds), used by sensitivity and reports. */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { IntervalEstimate } from '../core/events.js';

export const T_INTERVAL = { method: 't', level: 0.95 } as const;

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length > 0 ? s / xs.length : Number.NaN;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / (xs.length - 1));
}

/**
 * Mean and two-sided t-interval at `level`. With one value there is no spread to estimate: lo = hi = mean
 * (reports say n = 1 next to it).
 */
export function tInterval(xs: readonly number[], level: number = T_INTERVAL.level): IntervalEstimate {
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) return { mean: m, lo: m, hi: m, n };
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sampleSd(xs) / Math.sqrt(n));
  return { mean: m, lo: m - half, hi: m + half, n };
}
