/**
 * Compare regimes with common random numbers: every regime runs the same scenario with the same seeds, so run
 * i of each regime differs only by the regime. Per metric: mean and Student t interval per regime; per pair of
 * regimes (b - a, in the order given): the paired differences' bootstrap percentile interval, resampling seeds
 * from the named stream "compare/bootstrap" under the first seed. Methods: docs/research.md.
 */
import { contentHash } from '../core/canonical.js';
import { RESULT_SCHEMA_VERSION, type ChipsResult, type ComparisonResult, type FinalMetrics, type IntervalEstimate } from '../core/events.js';
import { InputError } from '../core/errors.js';
import { RNG_ALGORITHM, stream } from '../core/rng.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { toolVersion } from '../core/version.js';
import { chipsRunner } from '../sim/run.js';
import { FINAL_METRIC_KEYS } from './metrics.js';
import type { FinalMetricKey } from '../core/metrics.js';
import { bootstrapMeans, tInterval } from './stats.js';

export interface CompareOptions {
  /** Regime names (built-in or the scenario's own), at least one. */
  readonly regimes: readonly string[];
  /** How many seeds (seedStart, seedStart + 1, ...), or the seeds themselves. */
  readonly seeds: number | readonly number[];
  /** First seed when `seeds` is a count; default the scenario's seed. */
  readonly seedStart?: number;
  /** Confidence level of every interval; default 0.95. */
  readonly level?: number;
  /** Bootstrap resamples for the paired differences; default 2000. */
  readonly resamples?: number;
  /** Number of rounds; default the scenario's. */
  readonly rounds?: number;
  /** Where the scenario came from, for the stamp. */
  readonly file?: string;
  /** Called after each run with the runs done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const BOOTSTRAP_STREAM = 'compare/bootstrap';

function seedList(s: ChipsScenario, opts: CompareOptions): number[] {
  if (typeof opts.seeds !== 'number') return [...opts.seeds];
  const start = opts.seedStart ?? s.seed;
  return Array.from({ length: opts.seeds }, (_, i) => start + i);
}

export function compare(s: ChipsScenario, opts: CompareOptions): ComparisonResult {
  const level = opts.level ?? 0.95;
  const resamples = opts.resamples ?? 2000;
  const seeds = seedList(s, opts);
  const regimes = [...opts.regimes];
  if (regimes.length === 0) throw new InputError({ path: '--regimes', message: 'no regime to compare', expected: 'one or more regime names, e.g. tiered-2025,bilateral,open' });
  if (new Set(regimes).size !== regimes.length) throw new InputError({ path: '--regimes', message: 'a regime is named twice', found: regimes.join(',') });
  if (seeds.length < 2) throw new InputError({ path: '--seeds', message: 'too few seeds for an interval', expected: 'at least 2', found: String(seeds.length) });
  if (!(level > 0 && level < 1)) throw new InputError({ path: '--level', message: 'not a confidence level', expected: 'a number strictly between 0 and 1, e.g. 0.95', found: String(level) });
  if (!Number.isSafeInteger(resamples) || resamples < 100) throw new InputError({ path: '--resamples', message: 'too few resamples', expected: 'a whole number of at least 100', found: String(resamples) });

  const base = opts.rounds !== undefined ? { ...s, rounds: opts.rounds } : s;
  const runOpts = { ...(opts.file !== undefined ? { file: opts.file } : {}) };
  const total = regimes.length * seeds.length;
  let done = 0;
  const runs: Record<string, FinalMetrics[]> = {};
  const examples: Record<string, ChipsResult> = {};
  const perCountry: Record<string, Map<string, { tier: 1 | 2 | 3; delivered: number[]; fulfilment: number[] }>> = {};
  for (const regime of regimes) {
    const runner = chipsRunner(base, { ...runOpts, regime });
    const finals: FinalMetrics[] = [];
    const countries = new Map<string, { tier: 1 | 2 | 3; delivered: number[]; fulfilment: number[] }>();
    seeds.forEach((seed, i) => {
      const r = runner(seed, i === 0);
      if (i === 0) examples[regime] = r;
      finals.push(r.metrics.final);
      for (const c of r.countries) {
        const row = countries.get(c.id) ?? { tier: c.tier, delivered: [], fulfilment: [] };
        row.delivered.push(c.delivered);
        row.fulfilment.push(c.fulfilment);
        countries.set(c.id, row);
      }
      opts.onProgress?.(++done, total);
    });
    runs[regime] = finals;
    perCountry[regime] = countries;
  }

  const summaries: Record<string, Partial<Record<FinalMetricKey, IntervalEstimate>>> = {};
  for (const regime of regimes) {
    const finals = runs[regime] ?? [];
    const out: Partial<Record<FinalMetricKey, IntervalEstimate>> = {};
    for (const key of FINAL_METRIC_KEYS) {
      const est = tInterval(finals.map((f) => f[key]), level);
      if (est.n > 0) out[key] = est;
    }
    summaries[regime] = out;
  }

  // Every pair (a before b in the order given), every metric defined in both: one paired series each.
  const pairs: { a: string; b: string; metric: FinalMetricKey; d: Float64Array }[] = [];
  regimes.forEach((a, i) => {
    for (const b of regimes.slice(i + 1)) {
      const fa = runs[a] ?? [];
      const fb = runs[b] ?? [];
      for (const metric of FINAL_METRIC_KEYS) {
        const d = Float64Array.from(seeds, (_, k) => {
          const x = fa[k]?.[metric];
          const y = fb[k]?.[metric];
          if (x === null || x === undefined || y === null || y === undefined) return Number.NaN;
          // A difference below 1e-12 of the values is rounding noise in the sums (e.g. a Gini of the same
          // allocations added in another order): count it as no difference.
          return Math.abs(y - x) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y)) ? 0 : y - x;
        });
        if (d.some((x) => !Number.isNaN(x))) pairs.push({ a, b, metric, d });
      }
    }
  });
  const boot = bootstrapMeans(
    pairs.map((p) => p.d),
    level,
    resamples,
    stream(seeds[0] ?? 0, BOOTSTRAP_STREAM),
  );
  const differences = pairs.map((p, k) => ({
    a: p.a,
    b: p.b,
    metric: p.metric,
    estimate: boot[k] as IntervalEstimate,
    t: tInterval(Array.from(p.d), level),
  }));

  const countries: Record<string, { id: string; tier: 1 | 2 | 3; delivered: IntervalEstimate; fulfilment: IntervalEstimate }[]> = {};
  for (const regime of regimes) {
    countries[regime] = [...(perCountry[regime] ?? new Map<string, never>()).entries()].map(([id, c]) => ({
      id,
      tier: c.tier,
      delivered: tInterval(c.delivered, level),
      fulfilment: tInterval(c.fulfilment, level),
    }));
  }

  const first = examples[regimes[0] as string];
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'comparison',
    tool: { name: 'tradesim', version: toolVersion() },
    // The scenario as loaded (before any regime is applied): the examples carry each regime's own stamp.
    scenario: { id: s.id, title: s.title, kind: 'chips', file: first?.scenario.file ?? opts.file ?? '', hash: contentHash(base) },
    rng: RNG_ALGORITHM,
    seeds,
    regimes,
    interval: {
      method: 'student-t',
      level,
      means: 'student-t',
      differences: 'paired-bootstrap-percentile',
      resamples,
      stream: `${BOOTSTRAP_STREAM} (master seed ${seeds[0] ?? 0})`,
      percentiles: 'linear interpolation (R type 7)',
    },
    summaries,
    differences,
    countries,
    examples,
    runs,
  };
}
