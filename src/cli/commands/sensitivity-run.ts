/**
 * `tradesim sensitivity` glue: checks the flags, applies each parameter point with the --set machinery, runs the
 * simulation at each seed, and hands the metric to the pure methods in src/research/sensitivity.ts.
 */
import { provenance } from '../provenance.js';
import { InputError, type InputProblem } from '../../core/errors.js';
import { RESULT_SCHEMA_VERSION, type ChipsResult, type SensitivityParameter, type SensitivityResult } from '../../core/events.js';
import { RNG_ALGORITHM } from '../../core/rng.js';
import { scenarioLoader } from '../../core/scenario/load.js';
import type { ChipsScenario } from '../../core/scenario/schema.js';
import { didYouMean } from '../../core/suggest.js';
import { toolVersion } from '../../core/version.js';
import { shellCommand } from '../../report/shell.js';
import { FINAL_METRIC_KEYS } from '../../research/metrics.js';
import type { FinalMetricKey } from '../../core/metrics.js';
import { baseEstimate, cachedRunner, morris, oneAtATime, T_INTERVAL, type Params, type Progress } from '../../research/sensitivity.js';
import { chipsRunner, runChips, type RunOptions } from '../../sim/run.js';
import { loadChecked, located, pathParts } from './shared.js';

export interface SensitivityRequest {
  readonly file: string | undefined;
  readonly metric: string | undefined;
  readonly vary: readonly string[];
  readonly method: string;
  readonly levels: number;
  readonly trajectories: number;
  readonly seeds: number;
  readonly seed: number | undefined;
  readonly regime: string | undefined;
  readonly rounds: number | undefined;
  readonly sets: readonly string[];
  readonly argv: readonly string[];
  readonly progress: boolean;
}

const isFinalMetricKey = (k: string): k is FinalMetricKey => (FINAL_METRIC_KEYS as readonly string[]).includes(k);

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/** "path=lo:hi" -> path, lo, hi; InputError (path --vary) otherwise. */
export function parseVary(arg: string): { path: string; lo: number; hi: number } {
  const eq = arg.lastIndexOf('=');
  const range = eq < 0 ? [] : arg.slice(eq + 1).split(':');
  const [lo, hi] = range.map(Number);
  if (eq <= 0 || range.length !== 2 || !range.every((x) => NUMBER.test(x)) || lo === undefined || hi === undefined || !(lo < hi)) {
    throw new InputError({ path: '--vary', message: 'not a parameter range', expected: 'PATH=LO:HI with numbers LO < HI, e.g. exporter.price=20000:30000', found: JSON.stringify(arg) });
  }
  return { path: arg.slice(0, eq).trim(), lo, hi };
}

/** Number text for --set that round-trips exactly. */
const numText = (x: number): string => String(x);

export async function runSensitivity(req: SensitivityRequest): Promise<SensitivityResult> {
  const file = req.file;
  if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/bilateral-2025.yaml' });
  if (req.metric === undefined) throw new InputError({ path: '--metric', message: 'missing --metric', expected: `one of ${FINAL_METRIC_KEYS.join(', ')}` });
  const metric = req.metric;
  if (!isFinalMetricKey(metric)) {
    throw new InputError({ path: '--metric', message: `unknown metric${didYouMean(metric, FINAL_METRIC_KEYS)}`, expected: `one of ${FINAL_METRIC_KEYS.join(', ')}`, found: JSON.stringify(metric) });
  }
  if (req.method !== 'oat' && req.method !== 'morris') throw new InputError({ path: '--method', message: 'unknown method', expected: 'oat, morris or sobol', found: JSON.stringify(req.method) });
  if (req.vary.length === 0) throw new InputError({ path: '--vary', message: 'nothing to vary', expected: 'at least one --vary PATH=LO:HI' });
  const ranges = req.vary.map(parseVary);
  const dup = ranges.find((r, i) => ranges.findIndex((q) => q.path === r.path) !== i);
  if (dup) throw new InputError({ path: '--vary', message: `${dup.path} is varied twice`, expected: 'each path once' });

  const loaded = await loadChecked(file, req.sets, req.regime);
  if (loaded.scenario.kind !== 'chips') throw new InputError({ file, message: 'sensitivity needs a chips scenario (bargaining scenarios have no final metrics)', found: 'a bargaining scenario' });
  // Read and merge the file once; each point applies its --set values to a copy and is prepared once.
  const load = await scenarioLoader(file);
  const runOpts: RunOptions = {
    file,
    events: false,
    ...(req.regime !== undefined ? { regime: req.regime } : {}),
    ...(req.rounds !== undefined ? { rounds: req.rounds } : {}),
  };

  /** A runner of the scenario with `params` applied after the user's --set values; errors name --vary. */
  const pointRunner = (params: Params): ((seed: number) => ChipsResult) => {
    const varySets = Object.entries(params).map(([p, v]) => `${p}=${numText(v)}`);
    try {
      const point = load({ sets: [...req.sets, ...varySets] });
      const run = located(point, file, () => chipsRunner(point.scenario as ChipsScenario, runOpts));
      return (seed) => located(point, file, () => run(seed, false));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const asVary = (p: InputProblem): InputProblem =>
        p.path === '--set' && varySets.some((s) => p.message.includes(`--set ${s.slice(0, 60)}`)) ? { ...p, path: '--vary', message: p.message.replace('(in --set ', '(in --vary at ') } : p;
      throw new InputError(e.problems.map(asVary));
    }
  };

  // Each end of each range must load and compile: bad paths and out-of-range values fail here, before any run.
  const parameters: SensitivityParameter[] = ranges.map((r) => {
    pointRunner({ [r.path]: r.lo });
    pointRunner({ [r.path]: r.hi });
    const base = valueAt(loaded.scenario, r.path);
    if (typeof base !== 'number') {
      throw new InputError({ path: '--vary', message: `${r.path} has no numeric value in the scenario to use as its base`, expected: 'a number', found: base === undefined ? 'nothing' : typeof base });
    }
    return { ...r, base };
  });

  const master = req.seed ?? loaded.scenario.seed;
  const seeds = Array.from({ length: req.seeds }, (_, i) => master + i);
  let last: { key: string; run: (seed: number) => ChipsResult } | undefined;
  const runner = cachedRunner((params, seed) => {
    const key = JSON.stringify(params);
    if (last?.key !== key) last = { key, run: pointRunner(params) };
    const y = last.run(seed).metrics.final[metric];
    if (y === null) {
      throw new InputError({ path: '--metric', message: `${metric} is undefined (null) in the run with seed ${seed} at ${key}`, expected: 'a metric defined in every run, e.g. leakage or revenueUsd' });
    }
    return y;
  });
  const progress: Progress | undefined = req.progress ? progressLine() : undefined;

  const base = baseEstimate(parameters, seeds, runner.run, T_INTERVAL.level);
  const oat = req.method === 'oat' ? oneAtATime(parameters, seeds, runner.run, { level: T_INTERVAL.level, ...(progress ? { onProgress: progress } : {}) }) : null;
  const mor =
    req.method === 'morris'
      ? morris(parameters, seeds, runner.run, { levels: req.levels, trajectories: req.trajectories, masterSeed: master, ...(progress ? { onProgress: progress } : {}) })
      : null;
  if (progress) process.stderr.write('\n');
  const stampRun = runChips(loaded.scenario, { ...runOpts, seed: master });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'sensitivity',
    tool: { name: 'tradesim', version: toolVersion() },
    scenario: stampRun.scenario,
    rng: RNG_ALGORITHM,
    regime: stampRun.regime,
    metric: metric satisfies FinalMetricKey,
    method: req.method,
    seeds,
    interval: T_INTERVAL,
    command: shellCommand(['tradesim', 'sensitivity', ...req.argv]),
    provenance: provenance('sensitivity', req.argv, { sets: req.sets, rounds: req.rounds, regime: req.regime }),
    parameters,
    base,
    runs: runner.runs(),
    oat,
    morris: mor,
  };
}

function valueAt(doc: unknown, path: string): unknown {
  let node: unknown = doc;
  for (const key of pathParts(doc, path)) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

function progressLine(): Progress {
  let shown = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (pct !== shown) {
      shown = pct;
      process.stderr.write(`\rsensitivity: ${done}/${total} runs (${pct}%)`);
    }
  };
}
