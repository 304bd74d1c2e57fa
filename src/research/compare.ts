/**
 * Compare arms with common random numbers. An arm is a scenario under a regime: one scenario under several
 * regimes, or several scenario variants (each under its own regime and timeline, or a given regime). Every arm
 * runs the same seeds, so run i of each arm differs only by the arm. Per metric: mean and Student t interval
 * per arm; per pair of arms (b - a, in the order given): the paired differences' bootstrap percentile
 * interval, resampling seeds from the named stream "compare/bootstrap" under the first seed; the same per
 * country (who gains and loses). Methods: docs/research.md.
 */
import { contentHash } from '../core/canonical.js';
import { RESULT_SCHEMA_VERSION, type ChipsResult, type ComparisonArm, type ComparisonCountry, type ComparisonResult, type FinalMetrics, type IntervalEstimate } from '../core/events.js';
import { InputError } from '../core/errors.js';
import { RNG_ALGORITHM, stream } from '../core/rng.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { toolVersion } from '../core/version.js';
import { chipsRunner } from '../sim/run.js';
import { FINAL_METRIC_KEYS } from './metrics.js';
import { COUNTRY_METRICS, type CountryMetricKey, type FinalMetricKey } from '../core/metrics.js';
import { bootstrapMeans, tInterval } from './stats.js';

/** One arm: a scenario under a regime. */
export interface CompareArm {
  readonly scenario: ChipsScenario;
  /** Regime (built-in or the scenario's own), fixed for the whole run; default: the scenario's own, with its timeline. */
  readonly regime?: string;
  /** Where the scenario came from, for the stamps. */
  readonly file?: string;
  /** The arm's name in the artifact; default from armLabels. */
  readonly label?: string;
  /** Runs the arm's simulations (the CLI adds the file and line to an input problem found while running). */
  readonly within?: <T>(run: () => T) => T;
}

export interface CompareOptions {
  /** Regime names (built-in or the scenario's own), at least one. */
  readonly regimes: readonly string[];
  /** How many seeds (seedStart, seedStart + 1, ...), or the seeds themselves. */
  readonly seeds: number | readonly number[];
  /** First seed when `seeds` is a count; default the (first) scenario's seed. */
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

export type CompareArmsOptions = Omit<CompareOptions, 'regimes' | 'file'>;

export const BOOTSTRAP_STREAM = 'compare/bootstrap';

function seedList(s: ChipsScenario, opts: CompareArmsOptions): number[] {
  if (typeof opts.seeds !== 'number') return [...opts.seeds];
  const start = opts.seedStart ?? s.seed;
  return Array.from({ length: opts.seeds }, (_, i) => start + i);
}

const ownRegime = (s: ChipsScenario): string => (typeof s.regime === 'string' ? s.regime : s.regime.id);

/**
 * Default arm labels: the part that tells the arms apart. The regime when every arm is the same scenario
 * file, the scenario id (or, when two files share an id, the file) when every arm runs under the same regime
 * or its own, both ("id:regime") when both vary.
 */
export function armLabels(arms: readonly CompareArm[]): string[] {
  const regimeOf = (a: CompareArm): string => a.regime ?? ownRegime(a.scenario);
  const ids = arms.map((a) => a.scenario.id);
  const files = arms.map((a) => a.file ?? '');
  const sameScenario = new Set(files).size === 1 && new Set(ids).size === 1;
  const regimesVary = new Set(arms.map(regimeOf)).size > 1 || new Set(arms.map((a) => a.regime === undefined)).size > 1;
  if (sameScenario) return arms.map(regimeOf);
  // Two files with one id are told apart by their file name, then by the whole path.
  const idsClash = arms.some((a, i) => arms.some((b, k) => k !== i && b.scenario.id === a.scenario.id && (b.file ?? '') !== (a.file ?? '')));
  const base = (f: string): string => f.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  const bases = files.map(base);
  const basesClash = new Set(bases).size < new Set(files).size;
  const names = arms.map((a, i) => (!idsClash ? a.scenario.id : basesClash ? files[i] || a.scenario.id : bases[i] || a.scenario.id));
  if (!regimesVary) return names;
  return arms.map((a, i) => `${names[i] ?? a.scenario.id}:${regimeOf(a)}`);
}

/** Compare one scenario under several regimes: the arms are the regimes, labelled by their names. */
export function compare(s: ChipsScenario, opts: CompareOptions): ComparisonResult {
  const regimes = [...opts.regimes];
  if (regimes.length === 0) throw new InputError({ path: '--regimes', message: 'no regime to compare', expected: 'one or more regime names, e.g. tiered-2025,bilateral,open' });
  if (new Set(regimes).size !== regimes.length) throw new InputError({ path: '--regimes', message: 'a regime is named twice', found: regimes.join(',') });
  const { regimes: _r, file, ...rest } = opts;
  return compareArms(
    regimes.map((regime) => ({ scenario: s, regime, label: regime, ...(file !== undefined ? { file } : {}) })),
    rest,
  );
}

/** y - x for one seed; NaN when either is missing or null. */
function pairedDifference(x: number | null | undefined, y: number | null | undefined): number {
  if (x === null || x === undefined || y === null || y === undefined) return Number.NaN;
  // A difference below 1e-12 of the values is rounding noise in the sums (e.g. a Gini of the same allocations
  // added in another order): count it as no difference.
  return Math.abs(y - x) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y)) ? 0 : y - x;
}

type CountrySeries = { name: string; tier: 1 | 2 | 3; values: Record<CountryMetricKey, number[]> };

/** Compare arms (scenario x regime) over the same seeds. */
export function compareArms(armsIn: readonly CompareArm[], opts: CompareArmsOptions): ComparisonResult {
  const first = armsIn[0];
  if (first === undefined) throw new InputError({ path: '<scenario>', message: 'nothing to compare', expected: 'two or more scenario files, or one with --regimes A,B' });
  const level = opts.level ?? 0.95;
  const resamples = opts.resamples ?? 2000;
  const seeds = seedList(first.scenario, opts);
  const defaults = armLabels(armsIn);
  const arms = armsIn.map((a, i) => ({ ...a, label: a.label ?? (defaults[i] as string) }));
  const regimes = arms.map((a) => a.label);
  const twice = regimes.find((r, i) => regimes.indexOf(r) !== i);
  if (twice !== undefined) throw new InputError({ path: '<scenario>', message: `the same arm is given twice (${twice})`, expected: 'each scenario file under each regime once' });
  if (seeds.length < 2) throw new InputError({ path: '--seeds', message: 'too few seeds for an interval', expected: 'at least 2', found: String(seeds.length) });
  if (!(level > 0 && level < 1)) throw new InputError({ path: '--level', message: 'not a confidence level', expected: 'a number strictly between 0 and 1, e.g. 0.95', found: String(level) });
  if (!Number.isSafeInteger(resamples) || resamples < 100) throw new InputError({ path: '--resamples', message: 'too few resamples', expected: 'a whole number of at least 100', found: String(resamples) });

  const total = arms.length * seeds.length;
  let done = 0;
  const runs: Record<string, FinalMetrics[]> = {};
  const examples: Record<string, ChipsResult> = {};
  const perCountry: Record<string, Map<string, CountrySeries>> = {};
  const stamps: ComparisonArm[] = [];
  for (const arm of arms) {
    const s = opts.rounds !== undefined ? { ...arm.scenario, rounds: opts.rounds } : arm.scenario;
    const finals: FinalMetrics[] = [];
    const countries = new Map<string, CountrySeries>();
    const within = arm.within ?? (<T,>(run: () => T): T => run());
    within(() => {
      const runner = chipsRunner(s, { ...(arm.file !== undefined ? { file: arm.file } : {}), ...(arm.regime !== undefined ? { regime: arm.regime } : {}) });
      seeds.forEach((seed, i) => {
        const r = runner(seed, i === 0);
        if (i === 0) examples[arm.label] = r;
        finals.push(r.metrics.final);
        for (const c of r.countries) {
          let row = countries.get(c.id);
          if (!row) countries.set(c.id, (row = { name: c.name, tier: c.tier, values: Object.fromEntries(COUNTRY_METRICS.map((m) => [m.key, [] as number[]])) as CountrySeries['values'] }));
          // Indexed by seed, so that a country missing from a run (never, today) cannot shift the pairing.
          for (const m of COUNTRY_METRICS) row.values[m.key][i] = c[m.key];
        }
        opts.onProgress?.(++done, total);
      });
    });
    runs[arm.label] = finals;
    perCountry[arm.label] = countries;
    stamps.push({
      label: arm.label,
      file: arm.file ?? '',
      scenarioId: arm.scenario.id,
      title: arm.scenario.title,
      hash: contentHash(arm.scenario),
      regime: arm.regime ?? ownRegime(arm.scenario),
      regimeGiven: arm.regime !== undefined,
    });
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
          return pairedDifference(fa[k]?.[metric], fb[k]?.[metric]);
        });
        if (d.some((x) => !Number.isNaN(x))) pairs.push({ a, b, metric, d });
      }
    }
  });
  // Who gains and loses: the same pairs, per country present in both arms, per country metric (appended after
  // the metric series: they share the resampled seeds, so adding them leaves the metric intervals unchanged).
  const countryPairs: { a: string; b: string; country: string; metric: CountryMetricKey; d: Float64Array }[] = [];
  regimes.forEach((a, i) => {
    for (const b of regimes.slice(i + 1)) {
      const ca = perCountry[a] ?? new Map<string, CountrySeries>();
      const cb = perCountry[b] ?? new Map<string, CountrySeries>();
      for (const id of [...ca.keys()].filter((k) => cb.has(k)).sort()) {
        for (const m of COUNTRY_METRICS) {
          const xa = ca.get(id)?.values[m.key] ?? [];
          const xb = cb.get(id)?.values[m.key] ?? [];
          const d = Float64Array.from(seeds, (_, k) => pairedDifference(xa[k], xb[k]));
          countryPairs.push({ a, b, country: id, metric: m.key, d });
        }
      }
    }
  });
  const boot = bootstrapMeans(
    [...pairs.map((p) => p.d), ...countryPairs.map((p) => p.d)],
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

  const countryDifferences = countryPairs.map((p, k) => ({ a: p.a, b: p.b, country: p.country, metric: p.metric, estimate: boot[pairs.length + k] as IntervalEstimate }));

  const countries: Record<string, ComparisonCountry[]> = {};
  for (const label of regimes) {
    countries[label] = [...(perCountry[label] ?? new Map<string, CountrySeries>()).entries()]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([id, c]) => ({
        id,
        name: c.name,
        tier: c.tier,
        ...(Object.fromEntries(COUNTRY_METRICS.map((m) => [m.key, tInterval(c.values[m.key].filter(Number.isFinite), level)])) as Record<CountryMetricKey, IntervalEstimate>),
      }));
  }

  const base = opts.rounds !== undefined ? { ...first.scenario, rounds: opts.rounds } : first.scenario;
  const example = examples[regimes[0] as string];
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'comparison',
    tool: { name: 'tradesim', version: toolVersion() },
    // The (first) scenario as loaded (before any regime is applied): the examples carry each arm's own stamp.
    scenario: { id: first.scenario.id, title: first.scenario.title, kind: 'chips', file: example?.scenario.file ?? first.file ?? '', hash: contentHash(base) },
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
    countryDifferences,
    arms: stamps,
    examples,
    runs,
  };
}
