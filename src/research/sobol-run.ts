/**
 * `sensitivity --method sobol`: Saltelli's design run and analysed (sobol.ts).
 *
 * - On a scenario: the factors of its `uncertain:` section (or those named by `factors`), one group per entry,
 *   and the seed as one more factor (A's rows and every AB_g run A's seeds, B's rows and AB_seed B's), so that
 *   the seed's indices give the share of the variance that seed noise makes. The runs go through the sweep
 *   machinery (worlds-design.ts, source 'saltelli'): workers, rows to a file, --resume.
 * - On a function (an expression of --param inputs, e.g. the Ishigami function): evaluated here, no seed.
 */
import { compileExpression } from '../core/expr.js';
import { InputError } from '../core/errors.js';
import { RESULT_SCHEMA_VERSION, type SobolGroupIndices, type SobolMetric, type SobolResult, type UncertaintyFactor } from '../core/events.js';
import { FINAL_METRICS, isFinalMetricKey } from '../core/metrics.js';
import { RNG_ALGORITHM } from '../core/rng.js';
import { readScenarioSource, type ScenarioSource } from '../core/scenario/load.js';
import { didYouMean } from '../core/suggest.js';
import { toolVersion } from '../core/version.js';
import { distText, type Dist } from './distributions.js';
import { FINAL_METRIC_KEYS } from './metrics.js';
import { parseCsvRow, type RowValues } from './rows.js';
import { convergenceSizes, saltelliBlocks, sobolIndices, SOBOL_BOOTSTRAP_STREAM, type SobolEstimate } from './sobol.js';
import { prepareSweep, startSweepPool, sweepChunks } from './sweep.js';
import { scanLines } from './sweep-file.js';
import { groupsOf, type FactorInfo } from './worlds.js';
import { makeWorldsDesign, SALTELLI_STREAM } from './worlds-design.js';

export interface SobolCommon {
  /** N: rows of A and B (at least 16). */
  readonly samples: number;
  readonly level?: number;
  readonly resamples?: number;
  /** The command line that reproduces the artifact. */
  readonly command: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SobolScenarioOptions extends SobolCommon {
  readonly scenario: string;
  readonly source?: ScenarioSource;
  readonly sets?: readonly string[];
  readonly regime?: string;
  /** Seeds each point is averaged over (default 1). */
  readonly seeds?: number;
  /** First seed and master seed of the design's streams (default: the scenario's seed). */
  readonly seedStart?: number;
  /** The `uncertain:` entries (default all). */
  readonly factors?: readonly string[];
  /** Final metric keys to analyse (default the catalogue's headline metrics). */
  readonly metrics?: readonly string[];
  readonly workers?: number;
  /** Write the runs' rows here (CSV or JSONL, with its .meta.json) and analyse them from the file. */
  readonly rows?: string;
  readonly resume?: boolean;
  readonly force?: boolean;
}

export const DEFAULT_SOBOL_METRICS: readonly string[] = FINAL_METRICS.filter((m) => 'headline' in m && m.headline).map((m) => m.key);

const CONVERGENCE_RESAMPLES = 200;

function checkCommon(o: SobolCommon): { level: number; resamples: number } {
  const level = o.level ?? 0.95;
  const resamples = o.resamples ?? 500;
  if (!Number.isSafeInteger(o.samples) || o.samples < 16) throw new InputError({ path: '--samples', message: 'too few samples for Sobol indices', expected: 'a whole number of at least 16 (a power of 2 such as 1024 is usual)', found: String(o.samples) });
  if (!(level > 0 && level < 1)) throw new InputError({ path: '--level', message: 'not a confidence level', expected: 'a number strictly between 0 and 1', found: String(level) });
  if (!Number.isSafeInteger(resamples) || resamples < 100) throw new InputError({ path: '--resamples', message: 'too few resamples', expected: 'a whole number of at least 100', found: String(resamples) });
  return { level, resamples };
}

/** The indices of one output, with its convergence over the first n rows. */
function analyse(metric: string, groups: readonly string[], y: (world: number) => number, n: number, seedGroup: boolean, o: { level: number; resamples: number; masterSeed: number }): SobolMetric {
  const { yA, yB, yAB } = saltelliBlocks(n, groups.length, y);
  const streamName = `${SOBOL_BOOTSTRAP_STREAM}/${metric}`;
  const full = sobolIndices(groups, yA, yB, yAB, { level: o.level, resamples: o.resamples, masterSeed: o.masterSeed, stream: streamName });
  const convergence = convergenceSizes(n).map((k) => ({ n: k, groups: (k === n ? full : sobolIndices(groups, yA, yB, yAB, { level: o.level, resamples: CONVERGENCE_RESAMPLES, masterSeed: o.masterSeed, stream: streamName }, k)).groups }));
  const factorGroups = seedGroup ? full.groups.slice(0, -1) : full.groups;
  const sorted = [...factorGroups].sort((a, b) => b.total.estimate - a.total.estimate || (a.group < b.group ? -1 : 1));
  return {
    metric,
    n: full.n,
    mean: full.mean,
    variance: full.variance,
    groups: [...sorted, ...(seedGroup ? [full.groups[full.groups.length - 1] as SobolGroupIndices] : [])],
    seedNoise: seedGroup ? (full.groups[full.groups.length - 1] ?? null) : null,
    sumFirst: factorGroups.reduce((a, g) => a + g.first.estimate, 0),
    convergence,
  };
}

function groupsInfo(factors: readonly FactorInfo[]): SobolResult['groups'] {
  return groupsOf(factors).map((name) => ({
    name,
    factors: factors.filter((f) => f.group === name).map((f): UncertaintyFactor => ({ name: f.name, group: f.group, distribution: distText(f.dist), scale: f.scale, paths: f.paths, source: f.source })),
  }));
}

const ESTIMATORS = { first: 'Saltelli et al. 2010: mean((f_B - m) (f_AB - f_A)) / V, m the mean of f_A and f_B', total: 'Jansen 1999: mean((f_A - f_AB)^2) / (2 V)', variance: 'V: population variance of f_A and f_B together' };

export async function sobolScenario(o: SobolScenarioOptions): Promise<SobolResult> {
  const { level, resamples } = checkCommon(o);
  const metrics = [...(o.metrics ?? DEFAULT_SOBOL_METRICS)];
  for (const m of metrics) {
    if (!isFinalMetricKey(m)) throw new InputError({ path: '--metric', message: `unknown metric${didYouMean(m, FINAL_METRIC_KEYS)}`, expected: `one or more of ${FINAL_METRIC_KEYS.join(', ')}`, found: JSON.stringify(m) });
  }
  const source = o.source ?? (await readScenarioSource(o.scenario));
  const sweepOptions = {
    scenario: o.scenario,
    source,
    sets: [...(o.sets ?? [])],
    saltelli: o.samples,
    seeds: o.seeds ?? 1,
    ...(o.seedStart !== undefined ? { seedStart: o.seedStart } : {}),
    ...(o.factors !== undefined ? { factors: o.factors } : {}),
    ...(o.regime !== undefined ? { regime: o.regime } : {}),
  };
  const prepared = await prepareSweep(sweepOptions);
  const spec = prepared.plan.worlds;
  if (spec === undefined) throw new Error('sobolScenario: no Saltelli design');
  const k = prepared.plan.seeds;
  const design = makeWorldsDesign({ worlds: spec, seeds: k, seedStart: prepared.plan.seedStart, masterSeed: prepared.plan.masterSeed });
  const worlds = design.worlds;
  const cols = prepared.columns;
  const worldAt = cols.indexOf('world');
  const metricAt = metrics.map((m) => cols.indexOf(`metrics.${m}`));
  const sums = metrics.map(() => new Float64Array(worlds));
  const counts = metrics.map(() => new Float64Array(worlds));
  const take = (row: readonly unknown[]): void => {
    const w = row[worldAt] as number;
    metricAt.forEach((c, i) => {
      const v = row[c];
      if (typeof v === 'number' && Number.isFinite(v)) {
        (sums[i] as Float64Array)[w] = ((sums[i] as Float64Array)[w] as number) + v;
        (counts[i] as Float64Array)[w] = ((counts[i] as Float64Array)[w] as number) + 1;
      }
    });
  };
  if (o.rows !== undefined) {
    const { sweepToFile } = await import('./sweep-file.js');
    await sweepToFile({ ...sweepOptions, out: o.rows, ...(o.workers !== undefined ? { workers: o.workers } : {}), ...(o.resume === true ? { resume: true } : {}), ...(o.force === true ? { force: true } : {}), onProgress: (d, t) => o.onProgress?.(d, t) });
    const jsonl = o.rows.toLowerCase().endsWith('.jsonl');
    await scanLines(o.rows, (line, i) => {
      if (!jsonl && i === 0) return;
      take(jsonl ? cols.map((c) => (JSON.parse(line) as Record<string, unknown>)[c]) : parseCsvRow(line));
    });
  } else {
    const pool = await startSweepPool(o.workers ?? 1);
    try {
      let done = 0;
      for await (const chunk of sweepChunks(prepared, { pool })) {
        for (const row of chunk as readonly RowValues[]) take(row);
        done += chunk.length;
        o.onProgress?.(done, prepared.runsInShard);
      }
    } finally {
      await pool?.destroy();
    }
  }
  const groups = [...groupsOf(spec.factors), 'seed'];
  const masterSeed = prepared.plan.masterSeed;
  const analysed = metrics.map((m, i) => analyse(m, groups, (w) => ((counts[i] as Float64Array)[w] as number) > 0 ? ((sums[i] as Float64Array)[w] as number) / ((counts[i] as Float64Array)[w] as number) : Number.NaN, o.samples, true, { level, resamples, masterSeed }));
  const base = prepared.meta('csv');
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'sobol',
    tool: { name: 'tradesim', version: toolVersion() },
    scenario: { id: base.scenario.id, title: '', kind: 'chips', file: o.scenario, hash: base.scenario.hash },
    function: null,
    rng: RNG_ALGORITHM,
    regime: o.regime ?? null,
    command: o.command,
    samples: o.samples,
    seedsPerPoint: k,
    runs: design.totalRuns,
    groups: groupsInfo(spec.factors),
    design: { scheme: 'Saltelli et al. 2010: A, B and AB_g per group (radial), N (groups + 3) points with the seed as a factor', stream: `${SALTELLI_STREAM}/A/<factor> and ${SALTELLI_STREAM}/B/<factor>`, masterSeed, seedFactor: true },
    estimators: ESTIMATORS,
    interval: { method: 'bootstrap percentile (rows resampled)', level, resamples, stream: `${SOBOL_BOOTSTRAP_STREAM}/<metric>/<n>` },
    metrics: analysed,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------------------

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

/** A constant expression (a number, pi, -pi/2, 2*pi, 1e-3) as a number; an InputError naming the --param otherwise. */
function constant(text: string, spec: string): number {
  try {
    return compileExpression(text.trim(), { where: { path: '--param' }, variables: [], type: 'number' }).evaluate({});
  } catch (e) {
    const why = e instanceof InputError ? (e.problems[0]?.message ?? '') : String(e);
    throw new InputError({ path: '--param', message: `not a number: ${JSON.stringify(text.trim())} (in --param ${spec}): ${why}`, expected: 'a number or a constant expression such as -pi or 2*pi' });
  }
}

const USAGE = 'NAME=lo:hi (uniform) or NAME=dist(uniform|loguniform, lo, hi), dist(triangular, lo, mode, hi), dist(normal, mean, sd[, lo, hi]), dist(lognormal, mu, sigma[, lo, hi])';

/** `--param x1=dist(uniform, -pi, pi)`: a function input and its distribution. */
export function parseParam(spec: string): { name: string; dist: Dist } {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, Math.max(0, eq)).trim();
  const rhs = spec.slice(eq + 1).trim();
  if (eq <= 0 || !NAME.test(name)) throw new InputError({ path: '--param', message: `not a parameter: ${JSON.stringify(spec)}`, expected: `${USAGE}, NAME a variable name (letters, digits, _)` });
  const m = /^dist\s*\((.*)\)$/s.exec(rhs);
  const bad = (why: string): never => {
    throw new InputError({ path: '--param', message: `${why} (in --param ${spec})`, expected: USAGE });
  };
  if (m === null) {
    const parts = rhs.split(':');
    if (parts.length !== 2) return bad('not a range or a distribution');
    const lo = constant(parts[0] as string, spec);
    const hi = constant(parts[1] as string, spec);
    if (!(hi > lo)) bad('the range is empty: hi must be greater than lo');
    return { name, dist: { kind: 'uniform', min: lo, max: hi } };
  }
  const [kind = '', ...args] = (m[1] ?? '').split(',').map((x) => x.trim());
  const a = args.map((x) => constant(x, spec));
  const [p, q, r, s] = a as [number, number, number | undefined, number | undefined];
  const want = (k: number[]): void => {
    if (!k.includes(a.length)) bad(`wrong number of arguments for ${kind}`);
  };
  switch (kind) {
    case 'uniform':
    case 'loguniform':
      want([2]);
      if (!(q > p) || (kind === 'loguniform' && !(p > 0))) bad(kind === 'loguniform' ? 'need 0 < lo < hi' : 'need lo < hi');
      return { name, dist: { kind, min: p, max: q } };
    case 'triangular':
      want([3]);
      if (r === undefined || !(p <= q && q <= r && p < r)) bad('need lo <= mode <= hi and lo < hi');
      return { name, dist: { kind, min: p, mode: q, max: r as number } };
    case 'normal':
    case 'lognormal': {
      want([2, 4]);
      if (!(q > 0)) bad(`${kind === 'normal' ? 'sd' : 'sigma'} must be positive`);
      if (r !== undefined && s !== undefined && !(s > r)) bad('the truncation range is empty: hi must be greater than lo');
      const bounds = r !== undefined && s !== undefined ? { min: r, max: s } : {};
      return { name, dist: kind === 'normal' ? { kind, mean: p, sd: q, ...bounds } : { kind, median: Math.exp(p), sigma: q, ...bounds } };
    }
    default:
      return bad(`unknown distribution ${JSON.stringify(kind)}`);
  }
}

export interface SobolFunctionOptions extends SobolCommon {
  /** An expression of the parameters (the scenario expression language, with sin, cos, tan). */
  readonly expression: string;
  readonly params: readonly string[];
  /** Master seed of the design's streams (default 1). */
  readonly seed?: number;
}

export function sobolFunction(o: SobolFunctionOptions): SobolResult {
  const { level, resamples } = checkCommon(o);
  if (o.params.length === 0) throw new InputError({ path: '--param', message: 'a function needs its inputs', expected: `one --param per variable: ${USAGE}` });
  const params = o.params.map(parseParam);
  const dup = params.find((p, i) => params.findIndex((q) => q.name === p.name) !== i);
  if (dup) throw new InputError({ path: '--param', message: `${dup.name} is given twice`, expected: 'each parameter once' });
  const names = params.map((p) => p.name);
  const expr = compileExpression(o.expression, { where: { path: '--function' }, variables: names, type: 'number' });
  const unused = names.filter((n) => !expr.variables.includes(n));
  if (unused.length === names.length) throw new InputError({ path: '--function', message: 'the function uses none of the parameters', expected: `an expression of ${names.join(', ')}` });
  const factors: FactorInfo[] = params.map((p) => ({ name: p.name, group: p.name, dist: p.dist, scale: false, paths: [p.name], source: null }));
  const masterSeed = o.seed ?? 1;
  const design = makeWorldsDesign({ worlds: { levers: [], source: 'saltelli', samples: o.samples, factors }, seeds: 1, seedStart: masterSeed, masterSeed });
  const n = o.samples;
  const evaluated = n * (params.length + 2);
  const y = new Float64Array(evaluated);
  for (let w = 0; w < evaluated; w++) {
    const values = design.worldValues(w);
    const scope: Record<string, number> = {};
    names.forEach((name, i) => {
      scope[name] = values[i] as number;
    });
    y[w] = expr.evaluate(scope);
    if (w % 4096 === 0) o.onProgress?.(w, evaluated);
  }
  o.onProgress?.(evaluated, evaluated);
  const metric = analyse('y', names, (w) => y[w] as number, n, false, { level, resamples, masterSeed });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'sobol',
    tool: { name: 'tradesim', version: toolVersion() },
    scenario: null,
    function: o.expression,
    rng: RNG_ALGORITHM,
    regime: null,
    command: o.command,
    samples: n,
    seedsPerPoint: 1,
    runs: evaluated,
    groups: groupsInfo(factors),
    design: { scheme: 'Saltelli et al. 2010: A, B and AB_i per parameter (radial), N (parameters + 2) points', stream: `${SALTELLI_STREAM}/A/<param> and ${SALTELLI_STREAM}/B/<param>`, masterSeed, seedFactor: false },
    estimators: ESTIMATORS,
    interval: { method: 'bootstrap percentile (rows resampled)', level, resamples, stream: `${SOBOL_BOOTSTRAP_STREAM}/y/<n>` },
    metrics: [metric],
  };
}

export type { SobolEstimate };
