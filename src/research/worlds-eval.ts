/**
 * Evaluating the runs of a levers x worlds sweep, in this thread or a worker (the counterpart of
 * sweep-eval.ts for --vary designs). A lever combination's scenario is loaded once (its --set values applied
 * by the loader); a world's values are written on a copy of it and validated (worlds.ts, applyWorld), which
 * costs a fraction of a run where loading with --set costs about a run; a point (world x combination) is
 * prepared once for its seeds. A `regime` lever runs the point under that regime for the whole run, as
 * `compare` and `run --regime` do.
 */
import { InputError } from '../core/errors.js';
import type { LoadedScenario } from '../core/scenario/load.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { chipsRunner } from '../sim/run.js';
import type { DistValue } from './distributions.js';
import { FINAL_METRIC_KEYS } from './metrics.js';
import type { RowValue, RowValues } from './rows.js';
import { setText, type ParamValue } from './vary.js';
import { applyWorld, resolveColumns, resolveFactors, worldRegime, type WorldColumn } from './worlds.js';
import type { WorldsDesign, WorldsSpec } from './worlds-design.js';

export interface WorldsContext {
  readonly file: string;
  /** --set values applied to every run, before the levers. */
  readonly sets: readonly string[];
  /** The regime every run uses unless a lever or the design sets one (sensitivity --regime). */
  readonly regime?: string;
  /** The `uncertain:` entries sampled (all by default). */
  readonly only?: readonly string[];
  readonly worlds: WorldsSpec;
  readonly design: WorldsDesign;
  readonly load: (opts: { sets: readonly string[] }) => LoadedScenario;
}

/** A combination's scenario with the columns its worlds write. */
interface Base {
  readonly scenario: ChipsScenario;
  readonly columns: readonly WorldColumn[];
}

const finite = (x: number | null): RowValue => (x === null || !Number.isFinite(x) ? null : x);

/** The world columns of a loaded base: the spec's factors resolved on it (levers' paths held), or the file's columns. */
export function worldColumns(ctx: Pick<WorldsContext, 'worlds' | 'only' | 'design'>, base: LoadedScenario): WorldColumn[] {
  const w = ctx.worlds;
  if (w.source === 'file') return resolveColumns(base.scenario, w.file?.columns ?? [], w.file?.name ?? '--design');
  if (w.source === 'none') return [];
  const factors = resolveFactors(base, { exclude: ctx.design.levers.map((v) => v.path), ...(ctx.only !== undefined ? { only: ctx.only } : {}) });
  return w.factors.map((info) => {
    const f = factors.find((x) => x.name === info.name);
    if (f === undefined) throw new InputError({ path: '--levers', message: `the uncertain factor ${info.name} is not there under every lever combination`, expected: 'levers that leave the scenario\'s uncertain: entries in place' });
    return f;
  });
}

/** The --set arguments of a lever combination (the regime lever is a run option, not a --set). */
export function leverSets(design: WorldsDesign, values: readonly ParamValue[]): { sets: string[]; regime: string | undefined } {
  const sets: string[] = [];
  let regime: string | undefined;
  design.levers.forEach((v, j) => {
    const x = values[j] as ParamValue;
    if (v.path === 'regime') regime = String(x);
    else sets.push(`${v.path}=${setText(x)}`);
  });
  return { sets, regime };
}

/** An InputError about a lever's --set, reworded to name the --levers spec it came from. */
export function relabelLevers(e: InputError, design: WorldsDesign, sets: readonly string[]): InputError {
  const specs = design.levers.filter((v) => v.path !== 'regime').map((v) => v.spec);
  return new InputError(
    e.problems.map((p) => {
      let message = p.message;
      sets.forEach((arg, j) => {
        message = message.replaceAll(`--set ${arg}`, `--levers ${specs[j] ?? arg} (value ${arg.slice(arg.indexOf('=') + 1)})`);
      });
      return { ...p, ...(p.path === '--set' ? { path: '--levers' } : {}), ...(p.file === '--set' ? { file: '--levers' } : {}), message };
    }),
  );
}

/** One row per run, for runs [from, to) of the shard's run list (position -> run id). */
export function makeWorldsEvaluator(ctx: WorldsContext, runId: (pos: number) => number, regimeColumn: boolean): (from: number, to: number) => RowValues[] {
  const { design } = ctx;
  const bases = new Map<string, Base>();
  const baseFor = (values: readonly ParamValue[]): { base: Base; key: string; regime: string | undefined } => {
    const { sets, regime } = leverSets(design, values);
    const key = JSON.stringify(sets);
    let base = bases.get(key);
    if (base === undefined) {
      const all = [...ctx.sets, ...sets];
      let loaded: LoadedScenario;
      try {
        loaded = ctx.load({ sets: all });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        throw relabelLevers(e, design, sets);
      }
      if (loaded.scenario.kind !== 'chips') throw new InputError({ file: ctx.file, message: 'uncertain worlds need a chips scenario', found: 'a bargaining scenario' });
      base = { scenario: loaded.scenario, columns: worldColumns(ctx, loaded) };
      bases.set(key, base);
    }
    return { base, key, regime };
  };
  const worlds = new Map<string, ChipsScenario>();
  const points = new Map<number, { values: ParamValue[]; run: ReturnType<typeof chipsRunner> }>();
  const pointOf = (point: number, id: number) => {
    const hit = points.get(point);
    if (hit) return hit;
    const { world, combination } = design.split(point);
    const { base, key, regime } = baseFor(design.leverValues(combination));
    const values: DistValue[] = design.worldValues(world);
    const wkey = `${key}#${world}`;
    let scenario = worlds.get(wkey);
    if (scenario === undefined) {
      const file = ctx.worlds.file;
      const line = file?.lines?.[world];
      scenario = applyWorld(base.scenario, base.columns, values, `world ${world} (run ${id})${file !== undefined ? ` of ${file.name}${line !== undefined ? ` line ${line}` : ''}` : ''}`);
      if (worlds.size >= 4) worlds.delete(worlds.keys().next().value as string);
      worlds.set(wkey, scenario);
    }
    const runRegime = regime ?? worldRegime(base.columns, values) ?? ctx.regime;
    const entry = { values: design.pointValues(point), run: chipsRunner(scenario, { file: ctx.file, events: false, ...(runRegime !== undefined ? { regime: runRegime } : {}) }) };
    if (points.size >= 8) points.delete(points.keys().next().value as number);
    points.set(point, entry);
    return entry;
  };
  const rowOf = (id: number): RowValues => {
    const { point, seed } = design.run(id);
    const p = pointOf(point, id);
    const r = p.run(seed, false);
    const row: RowValue[] = [id, seed, ...p.values];
    if (regimeColumn) row.push(r.regime);
    const m = r.metrics.final;
    for (const k of FINAL_METRIC_KEYS) row.push(finite(m[k]));
    return row;
  };
  return (from, to) => {
    const rows: RowValues[] = [];
    for (let pos = from; pos < to; pos++) rows.push(rowOf(runId(pos)));
    return rows;
  };
}
