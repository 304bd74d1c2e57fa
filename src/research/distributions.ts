/**
 * The distributions of the uncertainty analyses: an `uncertain:` entry (src/core/scenario/schema.ts) as plain
 * data, drawn by inverse transform from a uniform u in [0, 1), so that one definition serves Latin hypercube
 * designs, Saltelli's matrices and plain Monte Carlo alike. Definitions (docs/research.md, "Uncertainty"):
 *
 *   uniform(min, max)              range: [min, max]
 *   loguniform(min, max)           (sensitivity --param only): log(x) uniform on [log min, log max]
 *   triangular(min, mode, max)     triangular: { min, mode, max }
 *   normal(mean, sd) on [min, max] normal: { mean, sd }, min, max: truncated (conditioned on the interval)
 *   lognormal(median, sigma)       lognormal: { median, sigma }, min, max: log(x) ~ normal(log median, sigma), truncated
 *   discrete(values, weights)      oneOf: [...], weights: [...]: value k with probability w_k / sum(w)
 */
import jStat from 'jstat';
import type { Uncertain } from '../core/scenario/schema.js';
import { stream } from '../core/rng.js';

export type DistValue = number | string | boolean;

export type Dist =
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'loguniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'triangular'; readonly min: number; readonly mode: number; readonly max: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number; readonly min?: number; readonly max?: number }
  | { readonly kind: 'lognormal'; readonly median: number; readonly sigma: number; readonly min?: number; readonly max?: number }
  | { readonly kind: 'discrete'; readonly values: readonly DistValue[]; readonly weights?: readonly number[] };

const bounds = (s: { readonly min?: number | undefined; readonly max?: number | undefined }): { min?: number; max?: number } => ({
  ...(s.min !== undefined ? { min: s.min } : {}),
  ...(s.max !== undefined ? { max: s.max } : {}),
});

/** An `uncertain:` entry (other than `fixed`) as a distribution. */
export function distOf(spec: Exclude<Uncertain, 'fixed'>): Dist {
  if ('range' in spec) return { kind: 'uniform', min: spec.range[0], max: spec.range[1] };
  if ('oneOf' in spec) return { kind: 'discrete', values: [...spec.oneOf], ...(spec.weights !== undefined ? { weights: [...spec.weights] } : {}) };
  if ('triangular' in spec) return { kind: 'triangular', ...spec.triangular };
  if ('normal' in spec) return { kind: 'normal', mean: spec.normal.mean, sd: spec.normal.sd, ...bounds(spec) };
  return { kind: 'lognormal', median: spec.lognormal.median, sigma: spec.lognormal.sigma, ...bounds(spec) };
}

/** Whether draws are numbers (everything but a discrete set with a non-number). */
export function isNumeric(d: Dist): boolean {
  return d.kind !== 'discrete' || d.values.every((v) => typeof v === 'number');
}

/** The inverse of the truncated normal CDF at u (on the log scale for a lognormal). */
function truncatedNormal(mu: number, sigma: number, lo: number, hi: number, u: number): number {
  const fLo = lo === -Infinity ? 0 : jStat.normal.cdf(lo, mu, sigma);
  const fHi = hi === Infinity ? 1 : jStat.normal.cdf(hi, mu, sigma);
  // Strictly inside (0, 1): the inverse is infinite at the ends.
  const w = Math.min(Math.max(fLo + u * (fHi - fLo), 1e-15), 1 - 1e-15);
  const x = jStat.normal.inv(w, mu, sigma);
  return Math.min(Math.max(x, lo), hi);
}

/** The value at quantile u in [0, 1). */
export function quantileOf(d: Dist, u: number): DistValue {
  switch (d.kind) {
    case 'uniform':
      return d.min + u * (d.max - d.min);
    case 'loguniform':
      return Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min)));
    case 'triangular': {
      const { min, mode, max } = d;
      const c = (mode - min) / (max - min);
      return u < c ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
    }
    case 'normal':
      return truncatedNormal(d.mean, d.sd, d.min ?? -Infinity, d.max ?? Infinity, u);
    case 'lognormal': {
      const lo = d.min === undefined || d.min <= 0 ? -Infinity : Math.log(d.min);
      const hi = d.max === undefined ? Infinity : Math.log(d.max);
      return Math.exp(truncatedNormal(Math.log(d.median), d.sigma, lo, hi, u));
    }
    case 'discrete': {
      const w = d.weights ?? d.values.map(() => 1);
      const total = w.reduce((a, b) => a + b, 0);
      let acc = 0;
      for (let k = 0; k < d.values.length; k++) {
        acc += (w[k] ?? 0) / total;
        if (u < acc) return d.values[k] as DistValue;
      }
      // u within rounding of 1: the last value with a weight.
      for (let k = d.values.length - 1; k >= 0; k--) if ((w[k] ?? 0) > 0) return d.values[k] as DistValue;
      return d.values[d.values.length - 1] as DistValue;
    }
  }
}

const g = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, useGrouping: false });
const n = (x: number): string => g.format(x);

/** "triangular(0.5, 1, 2)", "normal(0.8, 0.05) on [0.5, 0.99]", "one of bilateral, open". */
export function distText(d: Dist): string {
  const on = (lo?: number, hi?: number): string => (lo === undefined && hi === undefined ? '' : ` on [${lo === undefined ? '-inf' : n(lo)}, ${hi === undefined ? 'inf' : n(hi)}]`);
  switch (d.kind) {
    case 'uniform':
      return `uniform(${n(d.min)}, ${n(d.max)})`;
    case 'loguniform':
      return `loguniform(${n(d.min)}, ${n(d.max)})`;
    case 'triangular':
      return `triangular(${n(d.min)}, ${n(d.mode)}, ${n(d.max)})`;
    case 'normal':
      return `normal(${n(d.mean)}, ${n(d.sd)})${on(d.min, d.max)}`;
    case 'lognormal':
      return `lognormal(median ${n(d.median)}, sigma ${n(d.sigma)})${on(d.min, d.max)}`;
    case 'discrete':
      return `one of ${d.values.map(String).join(', ')}${d.weights ? ` (weights ${d.weights.map(n).join(', ')})` : ''}`;
  }
}

/**
 * A Latin hypercube column of k quantiles: the k equal-probability strata of [0, 1), each used once, shuffled
 * (Fisher-Yates) by the stream `<prefix>/permutation` and jittered inside the stratum by `<prefix>/jitter`,
 * under the master seed. Named by the column, so adding a column leaves the others' draws unchanged.
 */
export function latinColumn(k: number, masterSeed: number, prefix: string): Float64Array {
  const perm = Array.from({ length: k }, (_, i) => i);
  const shuffle = stream(masterSeed, `${prefix}/permutation`);
  for (let i = k - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
  }
  const jitter = stream(masterSeed, `${prefix}/jitter`);
  return Float64Array.from(perm, (stratum) => (stratum + jitter()) / k);
}
