/**
 * Compare regimes over uncertain worlds (`compare --uncertainty N`): N worlds drawn from the scenario's
 * `uncertain:` section (a Latin hypercube from the streams "uncertainty/lhs/<factor>"), each run under every
 * regime with the same seeds (paired: regime, world and seed are crossed), through the sweep machinery (so
 * `--workers` threads give the same numbers as one).
 *
 * Per metric, each world's mean over its seeds is the unit: for each regime, the distribution of those means
 * over the worlds; for each pair of regimes, the distribution of the paired differences b - a, the mean
 * difference with a bootstrap percentile interval (worlds resampled with replacement, stream
 * "compare/uncertainty/bootstrap"), and P(b beats a), the share of worlds where b is better by the metric's
 * direction. A difference with no variance at all (the same in every run) is labelled deterministic and never
 * significant. Methods: docs/research.md.
 */
import { RESULT_SCHEMA_VERSION, type ChipsResult, type ComparisonResult, type DistributionSummary, type FinalMetrics, type IntervalEstimate, type UncertainDifference, type UncertaintyFactor } from '../core/events.js';
import { InputError } from '../core/errors.js';
import { finalMetric, type FinalMetricKey } from '../core/metrics.js';
import { RNG_ALGORITHM, stream } from '../core/rng.js';
import { readScenarioSource, sourceLoader, type ScenarioSource } from '../core/scenario/load.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { toolVersion } from '../core/version.js';
import { chipsRunner } from '../sim/run.js';
import { distText, type DistValue } from './distributions.js';
import { FINAL_METRIC_KEYS } from './metrics.js';
import type { RowValues } from './rows.js';
import { quantileSorted, summarize, tInterval } from './stats.js';
import { prepareSweep, startSweepPool, sweepChunks, type PreparedSweep } from './sweep.js';
import { applyWorld } from './worlds.js';
import { LHS_STREAM, makeWorldsDesign } from './worlds-design.js';
import { worldColumns } from './worlds-eval.js';

export interface UncertainCompareOptions {
  /** The scenario file (chips). */
  readonly scenario: string;
  /** That file as already read (readScenarioSource). */
  readonly source?: ScenarioSource;
  /** --set overrides applied to every run. */
  readonly sets?: readonly string[];
  readonly regimes: readonly string[];
  /** Number of uncertain worlds (at least 2). */
  readonly worlds: number;
  /** Seeds per world (default 1): S, S+1, ..., the same in every world and regime. */
  readonly seeds?: number;
  /** First seed and master seed of the worlds' streams; default the scenario's seed. */
  readonly seedStart?: number;
  /** The `uncertain:` entries sampled (default all). */
  readonly factors?: readonly string[];
  readonly level?: number;
  readonly resamples?: number;
  readonly workers?: number;
  /** Called with the runs done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with each chunk of rows (sweep row values, columns as `columns`), e.g. to write them. */
  readonly onRows?: (rows: readonly RowValues[], columns: readonly string[]) => void;
}

export const UNCERTAINTY_BOOTSTRAP_STREAM = 'compare/uncertainty/bootstrap';

/** A difference at most 1e-12 of the values is rounding (the same sums added in another order). */
const same = (x: number, y: number): boolean => Math.abs(y - x) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));

interface Collected {
  readonly prepared: PreparedSweep;
  /** [regime][metric] -> values by run index k = world * seeds + seed index (NaN where undefined). */
  readonly values: Map<string, Map<FinalMetricKey, Float64Array>>;
  readonly runs: Map<string, FinalMetrics[]>;
  readonly seeds: number[];
}

function checkRegimes(regimes: readonly string[]): void {
  if (regimes.length < 2) throw new InputError({ path: '--regimes', message: 'a comparison over uncertainty needs at least two regimes', expected: 'e.g. --regimes tiered-2025,bilateral' });
  if (new Set(regimes).size !== regimes.length) throw new InputError({ path: '--regimes', message: 'a regime is named twice', found: regimes.join(',') });
  const bad = regimes.find((r) => !/^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(r));
  if (bad !== undefined) throw new InputError({ path: '--regimes', message: 'not a regime name', expected: 'names such as tiered-2025, bilateral, open', found: JSON.stringify(bad) });
}

async function collect(o: UncertainCompareOptions, source: ScenarioSource): Promise<Collected> {
  const seedsPerWorld = o.seeds ?? 1;
  const sweepOptions = {
    scenario: o.scenario,
    source,
    sets: [...(o.sets ?? [])],
    levers: [`regime=${o.regimes.join(',')}`],
    uncertainty: o.worlds,
    seeds: seedsPerWorld,
    ...(o.seedStart !== undefined ? { seedStart: o.seedStart } : {}),
    ...(o.factors !== undefined ? { factors: o.factors } : {}),
  };
  const pool = await startSweepPool(o.workers ?? 1);
  try {
    const prepared = await prepareSweep(sweepOptions);
    const cols = prepared.columns;
    const at = (name: string): number => cols.indexOf(name);
    const worldAt = at('world');
    const regimeAt = at('regime');
    const seedAt = at('seed');
    const metricAt = FINAL_METRIC_KEYS.map((k) => at(`metrics.${k}`));
    const n = o.worlds * seedsPerWorld;
    const values = new Map<string, Map<FinalMetricKey, Float64Array>>(o.regimes.map((r) => [r, new Map(FINAL_METRIC_KEYS.map((k) => [k, new Float64Array(n).fill(Number.NaN)]))]));
    const runs = new Map<string, FinalMetrics[]>(o.regimes.map((r) => [r, new Array<FinalMetrics>(n)]));
    const seedStart = prepared.plan.seedStart;
    let done = 0;
    for await (const chunk of sweepChunks(prepared, { pool })) {
      o.onRows?.(chunk, cols);
      for (const row of chunk) {
        const regime = String(row[regimeAt]);
        const k = (row[worldAt] as number) * seedsPerWorld + ((row[seedAt] as number) - seedStart);
        const final: Record<string, number | null> = {};
        FINAL_METRIC_KEYS.forEach((key, j) => {
          const v = row[metricAt[j] as number];
          final[key] = typeof v === 'number' ? v : null;
          if (typeof v === 'number') (values.get(regime)?.get(key) as Float64Array)[k] = v;
        });
        (runs.get(regime) as FinalMetrics[])[k] = final as FinalMetrics;
      }
      done += chunk.length;
      o.onProgress?.(done, prepared.runsInShard);
    }
    return { prepared, values, runs, seeds: Array.from({ length: seedsPerWorld }, (_, i) => seedStart + i) };
  } finally {
    await pool?.destroy();
  }
}

/** Each world's mean over its seeds (NaN where the metric is undefined in every seed). */
function worldMeans(xs: Float64Array, worlds: number, seeds: number): Float64Array {
  const out = new Float64Array(worlds);
  for (let w = 0; w < worlds; w++) {
    let sum = 0;
    let m = 0;
    for (let s = 0; s < seeds; s++) {
      const x = xs[w * seeds + s] as number;
      if (!Number.isNaN(x)) {
        sum += x;
        m++;
      }
    }
    out[w] = m > 0 ? sum / m : Number.NaN;
  }
  return out;
}

/** Share of the variance of run-level values that lies within worlds (seed noise): mean within-world variance / total. */
export function seedNoiseShare(xs: Float64Array, worlds: number, seeds: number): number | null {
  if (seeds < 2) return null;
  const all = Array.from(xs).filter((x) => !Number.isNaN(x));
  if (all.length < 2) return null;
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const total = all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length;
  if (total === 0) return 0;
  let within = 0;
  let counted = 0;
  for (let w = 0; w < worlds; w++) {
    const v = Array.from(xs.subarray(w * seeds, (w + 1) * seeds)).filter((x) => !Number.isNaN(x));
    if (v.length === 0) continue;
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    within += v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
    counted++;
  }
  return counted > 0 ? Math.min(1, within / counted / total) : null;
}

/**
 * The statistics of one paired difference series over worlds: `runA`, `runB` by run index, each world's mean
 * over its seeds; resampled worlds `idx` (B x N indices) shared by every series.
 */
export function pairedOverWorlds(
  runA: Float64Array,
  runB: Float64Array,
  o: { worlds: number; seeds: number; level: number; direction: 'higher-better' | 'lower-better' | 'neutral'; resampled: readonly Int32Array[] },
): Omit<UncertainDifference, 'a' | 'b' | 'metric'> {
  const n = runA.length;
  const run = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const x = runA[k] as number;
    const y = runB[k] as number;
    run[k] = Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : same(x, y) ? 0 : y - x;
  }
  const defined = Array.from(run).filter((x) => !Number.isNaN(x));
  const deterministic = defined.length > 0 && defined.every((x) => x === defined[0]);
  const ma = worldMeans(runA, o.worlds, o.seeds);
  const mb = worldMeans(runB, o.worlds, o.seeds);
  const d = new Float64Array(o.worlds);
  for (let w = 0; w < o.worlds; w++) {
    const x = ma[w] as number;
    const y = mb[w] as number;
    d[w] = Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : same(x, y) ? 0 : y - x;
  }
  const worlds = summarize(Array.from(d));
  const beatsSign = o.direction === 'higher-better' ? 1 : o.direction === 'lower-better' ? -1 : 0;
  const shares = (pick: (w: number) => number): { higher: number; lower: number; equal: number; mean: number } => {
    let higher = 0;
    let lower = 0;
    let equal = 0;
    let sum = 0;
    let m = 0;
    for (let i = 0; i < o.worlds; i++) {
      const x = d[pick(i)] as number;
      if (Number.isNaN(x)) continue;
      m++;
      sum += x;
      if (x > 0) higher++;
      else if (x < 0) lower++;
      else equal++;
    }
    return m === 0 ? { higher: Number.NaN, lower: Number.NaN, equal: Number.NaN, mean: Number.NaN } : { higher: higher / m, lower: lower / m, equal: equal / m, mean: sum / m };
  };
  const all = shares((i) => i);
  const boot = o.resampled.map((idx) => shares((i) => idx[i] as number));
  const alpha = (1 - o.level) / 2;
  const sorted = (f: (s: (typeof boot)[number]) => number): number[] => boot.map(f).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const means = sorted((s) => s.mean);
  const interval = (xs: number[], centre: number): [number, number] => (deterministic || xs.length === 0 ? [centre, centre] : [quantileSorted(xs, alpha), quantileSorted(xs, 1 - alpha)]);
  const [lo, hi] = interval(means, all.mean);
  const mean: IntervalEstimate = { mean: all.mean, lo, hi, n: worlds.n };
  const pBeats = beatsSign === 0 ? null : beatsSign > 0 ? all.higher : all.lower;
  const pBeatsInterval = beatsSign === 0 ? null : interval(sorted((s) => (beatsSign > 0 ? s.higher : s.lower)), pBeats as number);
  return {
    worlds,
    mean,
    pHigher: all.higher,
    pLower: all.lower,
    pEqual: all.equal,
    pBeats,
    pBeatsInterval,
    deterministic,
    // A difference that is the same in every world (seeds aside) has a zero-width interval: no evidence either way.
    significant: !deterministic && worlds.n >= 2 && worlds.sd > 0 && (lo > 0 || hi < 0),
    seedShare: seedNoiseShare(run, o.worlds, o.seeds),
  };
}

/** Resampled world indices: B draws of N indices with replacement from the stream, shared by every series. */
export function resampleWorlds(worlds: number, resamples: number, masterSeed: number): Int32Array[] {
  const u = stream(masterSeed, UNCERTAINTY_BOOTSTRAP_STREAM);
  return Array.from({ length: resamples }, () => Int32Array.from({ length: worlds }, () => Math.floor(u() * worlds)));
}

export async function compareUncertain(o: UncertainCompareOptions): Promise<ComparisonResult> {
  const level = o.level ?? 0.95;
  const resamples = o.resamples ?? 2000;
  checkRegimes(o.regimes);
  if (!(level > 0 && level < 1)) throw new InputError({ path: '--level', message: 'not a confidence level', expected: 'a number strictly between 0 and 1, e.g. 0.95', found: String(level) });
  if (!Number.isSafeInteger(resamples) || resamples < 100) throw new InputError({ path: '--resamples', message: 'too few resamples', expected: 'a whole number of at least 100', found: String(resamples) });
  const source = o.source ?? (await readScenarioSource(o.scenario));
  const { prepared, values, runs, seeds } = await collect(o, source);
  const spec = prepared.plan.worlds;
  if (spec === undefined) throw new Error('compareUncertain: the sweep has no worlds');
  const worlds = o.worlds;
  const seedsPerWorld = seeds.length;
  const masterSeed = prepared.plan.masterSeed;
  const design = makeWorldsDesign({ worlds: spec, seeds: seedsPerWorld, seedStart: prepared.plan.seedStart, masterSeed });
  const worldValues: DistValue[][] = Array.from({ length: worlds }, (_, w) => design.worldValues(w));

  const summaries: Record<string, Partial<Record<FinalMetricKey, IntervalEstimate>>> = {};
  const byRegime: Record<string, Partial<Record<FinalMetricKey, DistributionSummary>>> = {};
  for (const r of o.regimes) {
    const s: Partial<Record<FinalMetricKey, IntervalEstimate>> = {};
    const dist: Partial<Record<FinalMetricKey, DistributionSummary>> = {};
    for (const key of FINAL_METRIC_KEYS) {
      const means = Array.from(worldMeans(values.get(r)?.get(key) as Float64Array, worlds, seedsPerWorld));
      const est = tInterval(means, level);
      if (est.n > 0) {
        s[key] = est;
        dist[key] = summarize(means);
      }
    }
    summaries[r] = s;
    byRegime[r] = dist;
  }
  const resampled = resampleWorlds(worlds, resamples, masterSeed);
  const differences: UncertainDifference[] = [];
  o.regimes.forEach((a, i) => {
    for (const b of o.regimes.slice(i + 1)) {
      for (const metric of FINAL_METRIC_KEYS) {
        const ra = values.get(a)?.get(metric) as Float64Array;
        const rb = values.get(b)?.get(metric) as Float64Array;
        if (!ra.some((x, k) => !Number.isNaN(x) && !Number.isNaN(rb[k] as number))) continue;
        differences.push({ a, b, metric, ...pairedOverWorlds(ra, rb, { worlds, seeds: seedsPerWorld, level, direction: finalMetric(metric)?.direction ?? 'neutral', resampled }) });
      }
    }
  });

  // The example runs: world 0, first seed, under each regime, with the event log (what the replay shows).
  const load = sourceLoader(source);
  const loaded = load({ sets: [...(o.sets ?? [])] });
  const base = loaded.scenario as ChipsScenario;
  const columns = worldColumns({ worlds: spec, design, ...(o.factors !== undefined ? { only: o.factors } : {}) }, loaded);
  const world0 = applyWorld(base, columns, worldValues[0] ?? [], 'world 0');
  const examples: Record<string, ChipsResult> = {};
  for (const r of o.regimes) examples[r] = chipsRunner(world0, { file: o.scenario, regime: r })(seeds[0] ?? base.seed, true);

  const factors: UncertaintyFactor[] = spec.factors.map((f) => ({ name: f.name, group: f.group, distribution: distText(f.dist), scale: f.scale, paths: f.paths, source: f.source }));
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'comparison',
    tool: { name: 'tradesim', version: toolVersion() },
    scenario: { id: base.id, title: base.title, kind: 'chips', file: o.scenario, hash: loaded.hash },
    rng: RNG_ALGORITHM,
    seeds,
    regimes: [...o.regimes],
    interval: {
      method: 'student-t',
      level,
      means: 'student-t over the worlds\' means',
      differences: 'paired-bootstrap-percentile over worlds',
      resamples,
      stream: `${UNCERTAINTY_BOOTSTRAP_STREAM} (master seed ${masterSeed})`,
      percentiles: 'linear interpolation (R type 7)',
    },
    summaries,
    differences: differences.map((d) => ({ a: d.a, b: d.b, metric: d.metric, estimate: d.mean, t: tInterval(tDiffs(values, d, worlds, seedsPerWorld), level) })),
    countries: Object.fromEntries(o.regimes.map((r) => [r, []])),
    examples,
    runs: Object.fromEntries([...runs].map(([r, list]) => [r, list])),
    uncertainty: {
      worlds,
      seedsPerWorld,
      design: 'latin hypercube',
      stream: `${LHS_STREAM}/<factor>/permutation and /jitter`,
      masterSeed,
      factors,
      values: worldValues,
      byRegime,
      differences,
    },
  };
}

/** The worlds' mean differences of a pair, for the paired t interval given for reference. */
function tDiffs(values: Collected['values'], d: { a: string; b: string; metric: FinalMetricKey }, worlds: number, seeds: number): number[] {
  const ma = worldMeans(values.get(d.a)?.get(d.metric) as Float64Array, worlds, seeds);
  const mb = worldMeans(values.get(d.b)?.get(d.metric) as Float64Array, worlds, seeds);
  return Array.from(ma, (x, w) => (mb[w] as number) - x);
}
