/**
 * Evaluating sweep runs: the same code in the main thread (--workers 1) and in each worker. A worker builds
 * this once (reads and merges the scenario, builds the design), then evaluates many chunks of runs; the
 * prepared scenario of recent points is cached, and runs of one point are consecutive in the run list.
 */
import { InputError } from '../core/errors.js';
import { scenarioLoader, sourceLoader, type ScenarioSource } from '../core/scenario/load.js';
import { chipsRunner } from '../sim/run.js';
import { makeDesign, shardRuns, type DesignName, type Shard } from './design.js';
import { FINAL_METRIC_KEYS } from './metrics.js';
import { hasRegimeColumn, type RowValue, type RowValues } from './rows.js';
import { parseVary, relabel, setText, type ParamValue, type VarySpec } from './vary.js';
import type { WorldsDesign, WorldsSpec } from './worlds-design.js';
import { makeWorldsEvaluator } from './worlds-eval.js';

/** Everything a worker needs to compute any run of the sweep (plain data, sent to workers). */
export interface SweepPlan {
  /** The scenario file (workers share the process's working directory). */
  readonly file: string;
  /** Base --set overrides, applied before the varied values. */
  readonly sets: readonly string[];
  /** --vary specs as given. */
  readonly vary: readonly string[];
  readonly design: DesignName;
  readonly samples?: number;
  readonly seeds: number;
  readonly seedStart: number;
  readonly masterSeed: number;
  readonly shard: Shard | null;
  /**
   * The scenario file as this thread read it. Worker threads load from it, which saves each of them parsing
   * the YAML again and compiling the parser (~0.35 s of TurboFan time a thread, by --trace-opt).
   */
  readonly source?: ScenarioSource;
  /** A levers x worlds design (design 'worlds'). */
  readonly worlds?: WorldsSpec;
  /** The regime of every run of a worlds design, unless a lever sets one. */
  readonly regime?: string;
  /** The `uncertain:` entries a worlds design samples (default all). */
  readonly only?: readonly string[];
}

/** What identifies a plan (its source follows from its file). */
export function planKey(plan: SweepPlan): string {
  const { source: _, ...rest } = plan;
  return JSON.stringify(rest);
}

export type Evaluate = (from: number, to: number) => RowValues[];

const finite = (x: number | null): RowValue => (x === null || !Number.isFinite(x) ? null : x);

/** The --set arguments of a point, and the rewording of their errors to the --vary specs. */
export function pointSets(plan: SweepPlan, vary: readonly VarySpec[], values: readonly ParamValue[]): string[] {
  return [...plan.sets, ...vary.map((v, j) => `${v.path}=${setText(values[j] as ParamValue)}`)];
}

export function relabelAll(e: InputError, vary: readonly VarySpec[], sets: readonly string[], offset: number): InputError {
  return vary.reduce((err, v, j) => relabel(err, sets[offset + j] as string, v.spec), e);
}

export async function makeEvaluator(plan: SweepPlan): Promise<Evaluate> {
  const load = plan.source !== undefined ? sourceLoader(plan.source) : await scenarioLoader(plan.file);
  const vary = plan.vary.map(parseVary);
  const design = makeDesign({ ...plan, vary, ...(plan.samples !== undefined ? { samples: plan.samples } : {}) });
  const runs = shardRuns(design.totalRuns, plan.shard);
  const regimeColumn = hasRegimeColumn(design.paths ?? vary.map((v) => v.path));
  if (plan.worlds !== undefined) {
    const ctx = { file: plan.file, sets: plan.sets, worlds: plan.worlds, design: design as WorldsDesign, load, ...(plan.regime !== undefined ? { regime: plan.regime } : {}), ...(plan.only !== undefined ? { only: plan.only } : {}) };
    return makeWorldsEvaluator(ctx, runs.id, regimeColumn);
  }
  const cache = new Map<number, { values: ParamValue[]; run: ReturnType<typeof chipsRunner> }>();
  const pointOf = (point: number, id: number) => {
    const hit = cache.get(point);
    if (hit) return hit;
    const values = design.pointValues(point);
    const sets = pointSets(plan, vary, values);
    try {
      const { scenario } = load({ sets });
      if (scenario.kind !== 'chips') throw new InputError({ file: plan.file, message: 'a sweep needs a chips scenario', found: 'a bargaining scenario' });
      const entry = { values, run: chipsRunner(scenario, { file: plan.file, events: false }) };
      if (cache.size >= 8) cache.delete(cache.keys().next().value as number);
      cache.set(point, entry);
      return entry;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const where = vary.map((v, j) => `${v.path}=${setText(values[j] as ParamValue)}`).join(', ');
      const err = relabelAll(e, vary, sets, plan.sets.length);
      throw new InputError(err.problems.map((p) => ({ ...p, message: `${p.message} (sweep run ${id}, point ${point}: ${where})` })));
    }
  };
  // One row: run id, seed, the point's values, the regime if varied, the final metrics.
  const rowOf = (id: number): RowValues => {
    const { point, seed } = design.run(id);
    const p = pointOf(point, id);
    const r = p.run(seed, false);
    const row: RowValue[] = [id, seed];
    for (const v of p.values) row.push(v);
    if (regimeColumn) row.push(r.regime);
    const m = r.metrics.final;
    for (const k of FINAL_METRIC_KEYS) row.push(finite(m[k]));
    return row;
  };
  // Before the first row, one row of a second point, dropped. V8 otherwise optimises this and the round loop
  // around the first point's objects and number types (a supply of 300000 chips a round is a small integer,
  // 322222.2 is not), then throws the code away at the second point and compiles it again: in every thread,
  // on a core that a second worker keeps busy. A problem with the second point is reported when a run of it
  // is evaluated.
  let primed = false;
  const prime = (pos: number) => {
    primed = true;
    if (design.points < 2) return;
    const { point } = design.run(runs.id(pos));
    try {
      rowOf((point + 1 < design.points ? point + 1 : point - 1) * plan.seeds);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
  };
  return (from, to) => {
    if (!primed && from < to) prime(from);
    const rows: RowValues[] = [];
    for (let pos = from; pos < to; pos++) rows.push(rowOf(runs.id(pos)));
    return rows;
  };
}
