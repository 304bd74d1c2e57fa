/**
 * Variance-based global sensitivity (Sobol' indices) from Saltelli's design, pure: nothing here runs a model.
 *
 * Design (Saltelli et al. 2010): two independent samples A and B of N rows; for each group g of factors,
 * AB_g is A with group g's columns taken from B. With f_A, f_B, f_AB_g the model outputs,
 *
 *   m, V   = the mean and variance of f_A and f_B together (population variance of the 2N values)
 *   S_g    = mean_j( (f_B[j] - m) (f_AB_g[j] - f_A[j]) ) / V                first order (Saltelli et al. 2010)
 *   ST_g   = mean_j( (f_A[j] - f_AB_g[j])^2 ) / (2 V)                       total (Jansen 1999)
 *
 * the estimators SALib's sobol.analyze uses, on the output centred on the mean of f_A and f_B (as SALib
 * normalises it: the first-order estimator's variance otherwise grows with the square of the mean). Intervals: bootstrap percentile, resampling the rows j with
 * replacement (the same rows for A, B and every AB_g) from a named stream. Convergence: the same estimates on
 * the first n rows, n = N/2^k (a prefix of a random sample is a random sample).
 */
import { stream } from '../core/rng.js';
import { quantileSorted } from './stats.js';

export interface IndexEstimate {
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
}

export interface GroupIndices {
  readonly group: string;
  readonly first: IndexEstimate;
  readonly total: IndexEstimate;
}

export interface SobolEstimate {
  /** Rows used (rows where every output is defined). */
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
  readonly groups: readonly GroupIndices[];
}

export interface SobolOptions {
  readonly level?: number;
  readonly resamples?: number;
  readonly masterSeed: number;
  /** Stream of the bootstrap's resampled rows. */
  readonly stream?: string;
}

export const SOBOL_BOOTSTRAP_STREAM = 'sensitivity/sobol/bootstrap';

/** Point estimates on rows `idx` (indices into the arrays). */
function pointEstimates(yA: Float64Array, yB: Float64Array, yAB: readonly Float64Array[], idx: ArrayLike<number>): { mean: number; variance: number; first: number[]; total: number[] } {
  const n = idx.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += (yA[idx[k] as number] as number) + (yB[idx[k] as number] as number);
  const mean = sum / (2 * n);
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const a = (yA[idx[k] as number] as number) - mean;
    const b = (yB[idx[k] as number] as number) - mean;
    ss += a * a + b * b;
  }
  const variance = ss / (2 * n);
  const first: number[] = [];
  const total: number[] = [];
  for (const ab of yAB) {
    let s1 = 0;
    let st = 0;
    for (let k = 0; k < n; k++) {
      const j = idx[k] as number;
      const a = yA[j] as number;
      const x = ab[j] as number;
      s1 += ((yB[j] as number) - mean) * (x - a);
      st += (a - x) * (a - x);
    }
    // A constant output has no variance to share out: every index is 0, as SALib gives.
    first.push(variance > 0 ? s1 / n / variance : 0);
    total.push(variance > 0 ? st / (2 * n) / variance : 0);
  }
  return { mean, variance, first, total };
}

/**
 * Sobol' indices of each group with bootstrap percentile intervals. `yAB[g]` is group g's AB matrix output;
 * rows where any output is NaN (a metric undefined in a run) are left out of every matrix.
 */
export function sobolIndices(groups: readonly string[], yA: Float64Array, yB: Float64Array, yAB: readonly Float64Array[], opts: SobolOptions, rows?: number): SobolEstimate {
  const level = opts.level ?? 0.95;
  const resamples = opts.resamples ?? 500;
  const limit = rows ?? yA.length;
  const keep: number[] = [];
  for (let j = 0; j < limit; j++) {
    if (!Number.isNaN(yA[j] as number) && !Number.isNaN(yB[j] as number) && yAB.every((ab) => !Number.isNaN(ab[j] as number))) keep.push(j);
  }
  const n = keep.length;
  if (n < 2) {
    const nan: IndexEstimate = { estimate: Number.NaN, lo: Number.NaN, hi: Number.NaN };
    return { n, mean: Number.NaN, variance: Number.NaN, groups: groups.map((group) => ({ group, first: nan, total: nan })) };
  }
  const point = pointEstimates(yA, yB, yAB, keep);
  const u = stream(opts.masterSeed, `${opts.stream ?? SOBOL_BOOTSTRAP_STREAM}/${n}`);
  const firsts = groups.map(() => new Float64Array(resamples));
  const totals = groups.map(() => new Float64Array(resamples));
  const idx = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let k = 0; k < n; k++) idx[k] = keep[Math.floor(u() * n)] as number;
    const e = pointEstimates(yA, yB, yAB, idx);
    e.first.forEach((x, g) => {
      (firsts[g] as Float64Array)[b] = x;
      (totals[g] as Float64Array)[b] = e.total[g] as number;
    });
  }
  const alpha = (1 - level) / 2;
  const interval = (xs: Float64Array, estimate: number): IndexEstimate => {
    const s = Float64Array.from(xs).sort();
    return { estimate, lo: quantileSorted(s, alpha), hi: quantileSorted(s, 1 - alpha) };
  };
  return {
    n,
    mean: point.mean,
    variance: point.variance,
    groups: groups.map((group, g) => ({ group, first: interval(firsts[g] as Float64Array, point.first[g] as number), total: interval(totals[g] as Float64Array, point.total[g] as number) })),
  };
}

/** The sample sizes of a convergence study: N, N/2, N/4, ... down to at least 16 rows, smallest first. */
export function convergenceSizes(n: number): number[] {
  const out: number[] = [];
  for (let k = n; k >= 16; k = Math.floor(k / 2)) out.unshift(k);
  if (out.length === 0) out.push(n);
  return out;
}

/** The outputs of a Saltelli design by block, from a function of the world index (A: 0..N-1, B: N.., AB_g: (2+g)N..). */
export function saltelliBlocks(n: number, groups: number, y: (world: number) => number): { yA: Float64Array; yB: Float64Array; yAB: Float64Array[] } {
  const block = (b: number): Float64Array => Float64Array.from({ length: n }, (_, j) => y(b * n + j));
  return { yA: block(0), yB: block(1), yAB: Array.from({ length: groups }, (_, g) => block(2 + g)) };
}
