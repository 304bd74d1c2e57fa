/**
 * Sensitivity screening over a metric function `runMetric(params, seed)`: one-at-a-time (tornado) and Morris
 * elementary effects. Pure: nothing here knows about scenarios or the simulation, so the methods are tested on
 * analytic functions, and the CLI supplies a runMetric that applies the parameters with --set and runs.
 *
 * Every parameter point is evaluated at the same seeds (common random numbers), so the noise of the
 * simulation cancels in the differences between points. Effects are in the metric's units for a move of the
 * parameter across its whole range, lo to hi, which makes OAT effects and Morris mu comparable and equal for a
 * linear metric.
 */
import type { IntervalEstimate, SensitivityParameter, SensitivityResult } from '../core/events.js';
import { streams, type Uniform } from '../core/rng.js';
import jStat from 'jstat';
import { tInterval } from './stats.js';

/** Intervals of OAT effects and of the base point: Student t, 95%. */
export const T_INTERVAL = { method: 't', level: 0.95 } as const;

const mean = (xs: readonly number[]): number => (xs.length > 0 ? jStat.mean(xs) : Number.NaN);
/** Sample standard deviation; 0 with fewer than two values (one trajectory shows no spread). */
const sampleSd = (xs: readonly number[]): number => (xs.length > 1 ? jStat.stdev(xs, true) : 0);

export type Params = Readonly<Record<string, number>>;
export type RunMetric = (params: Params, seed: number) => number;

export type OatRow = NonNullable<SensitivityResult['oat']>[number];
export type MorrisSummary = NonNullable<SensitivityResult['morris']>;

/** Called after each run with (done, total), for a progress line. */
export type Progress = (done: number, total: number) => void;

export function baseParams(params: readonly SensitivityParameter[]): Record<string, number> {
  return Object.fromEntries(params.map((p) => [p.path, p.base]));
}

/** Memoises runMetric on (point, seed), so a point that recurs (lo = base, a Morris revisit) runs once. */
export function cachedRunner(runMetric: RunMetric): { run: RunMetric; runs: () => number } {
  const cache = new Map<string, number>();
  return {
    run: (params, seed) => {
      const key = `${JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}#${seed}`;
      let v = cache.get(key);
      if (v === undefined) {
        v = runMetric(params, seed);
        cache.set(key, v);
      }
      return v;
    },
    runs: () => cache.size,
  };
}

/** The metric at every seed for one point. */
function atSeeds(run: RunMetric, params: Params, seeds: readonly number[], tick: () => void): number[] {
  return seeds.map((s) => {
    const y = run(params, s);
    tick();
    return y;
  });
}

export function baseEstimate(params: readonly SensitivityParameter[], seeds: readonly number[], run: RunMetric, level: number = T_INTERVAL.level): IntervalEstimate {
  return tInterval(atSeeds(run, baseParams(params), seeds, () => undefined), level);
}

/**
 * One-at-a-time: each parameter at lo and at hi with the others at base, over the same seeds. The effect is
 * the paired difference high - low, with a t-interval over seeds. Sorted by |effect|, largest first.
 */
export function oneAtATime(
  params: readonly SensitivityParameter[],
  seeds: readonly number[],
  runMetric: RunMetric,
  opts: { level?: number; onProgress?: Progress } = {},
): OatRow[] {
  const level = opts.level ?? T_INTERVAL.level;
  const total = params.length * 2 * seeds.length;
  let done = 0;
  const tick = (): void => opts.onProgress?.(++done, total);
  const base = baseParams(params);
  const rows = params.map((p) => {
    const low = atSeeds(runMetric, { ...base, [p.path]: p.lo }, seeds, tick);
    const high = atSeeds(runMetric, { ...base, [p.path]: p.hi }, seeds, tick);
    return {
      path: p.path,
      low: tInterval(low, level),
      high: tInterval(high, level),
      effect: tInterval(high.map((h, i) => h - (low[i] as number)), level),
    };
  });
  return rows.sort((a, b) => Math.abs(b.effect.mean) - Math.abs(a.effect.mean) || (a.path < b.path ? -1 : 1));
}

export interface MorrisOptions {
  /** Grid levels p per parameter (>= 2); the step is delta = p / (2 (p - 1)) of the range. */
  readonly levels: number;
  /** Trajectories r; each costs (k + 1) points. */
  readonly trajectories: number;
  /** Master seed of the trajectory stream. */
  readonly masterSeed: number;
  readonly onProgress?: Progress;
}

/** Name of the seeded stream trajectory `t` is drawn from (see src/core/rng.ts). */
export const MORRIS_STREAM = 'sensitivity/morris';

export function morrisDelta(levels: number): number {
  return levels / (2 * (levels - 1));
}

/**
 * One Morris trajectory in the unit cube: a start point on the p-level grid and k steps, each moving one
 * parameter (in random order) by +delta or -delta. Returns k + 1 points and, per step, the parameter moved and
 * the signed step.
 */
export function morrisTrajectory(k: number, levels: number, u: Uniform): { points: number[][]; moves: { index: number; step: number }[] } {
  const delta = morrisDelta(levels);
  // Grid levels g with g + delta <= 1: the lower end of a step.
  const starts: number[] = [];
  for (let j = 0; j < levels; j++) if (j / (levels - 1) + delta <= 1 + 1e-12) starts.push(j / (levels - 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(u() * xs.length))] as T;
  const x = Array.from({ length: k }, () => pick(starts));
  const dir = Array.from({ length: k }, () => (u() < 0.5 ? 1 : -1));
  const current = x.map((v, i) => (dir[i] === 1 ? v : v + delta));
  const order = Array.from({ length: k }, (_, i) => i);
  for (let i = k - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const points = [[...current]];
  const moves: { index: number; step: number }[] = [];
  for (const i of order) {
    const step = (dir[i] as number) * delta;
    current[i] = (current[i] as number) + step;
    points.push([...current]);
    moves.push({ index: i, step });
  }
  return { points, moves };
}

/**
 * Morris elementary effects: r trajectories, each point the mean over the seeds. For parameter i, EE_i =
 * (y(x + step e_i) - y(x)) / step in unit coordinates (so per full range lo..hi). mu is the mean EE, mu* the
 * mean |EE| (importance), sigma the sample standard deviation of EE (non-linearity or interaction).
 */
export function morris(
  params: readonly SensitivityParameter[],
  seeds: readonly number[],
  runMetric: RunMetric,
  opts: MorrisOptions,
): MorrisSummary {
  const k = params.length;
  const total = opts.trajectories * (k + 1) * seeds.length;
  let done = 0;
  const tick = (): void => opts.onProgress?.(++done, total);
  const toParams = (unit: readonly number[]): Params =>
    Object.fromEntries(params.map((p, i) => [p.path, p.lo + (unit[i] as number) * (p.hi - p.lo)]));
  const ns = streams(opts.masterSeed).child(MORRIS_STREAM);
  const effects: number[][] = params.map(() => []);
  for (let t = 0; t < opts.trajectories; t++) {
    const { points, moves } = morrisTrajectory(k, opts.levels, ns.stream(`trajectory/${t}`));
    const ys = points.map((pt) => mean(atSeeds(runMetric, toParams(pt), seeds, tick)));
    moves.forEach((m, j) => effects[m.index]?.push(((ys[j + 1] as number) - (ys[j] as number)) / m.step));
  }
  const rows = params.map((p, i) => {
    const ee = effects[i] ?? [];
    return { path: p.path, mu: mean(ee), muStar: mean(ee.map(Math.abs)), sigma: sampleSd(ee), r: ee.length };
  });
  rows.sort((a, b) => b.muStar - a.muStar || (a.path < b.path ? -1 : 1));
  return {
    levels: opts.levels,
    trajectories: opts.trajectories,
    delta: morrisDelta(opts.levels),
    masterSeed: opts.masterSeed,
    stream: `${MORRIS_STREAM}/trajectory/<t>`,
    effects: rows,
  };
}
