/**
 * Planning a levers x worlds sweep (the options --levers, --uncertainty, --design FILE, and the Saltelli design
 * of `sensitivity --method sobol`): the flags checked, the factors resolved on the base scenario, the run list
 * fixed; and, before any run, every lever value and every factor's extremes tried on the scenario, so that a
 * bad value exits 2 naming its flag or its `uncertain:` entry.
 */
import { InputError } from '../core/errors.js';
import type { LoadedScenario } from '../core/scenario/load.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { compileChips } from '../sim/chips/compile.js';
import { quantileOf, type DistValue } from './distributions.js';
import { checkCount } from './sweep-pool.js';
import type { SweepOptions } from './sweep.js';
import type { ParamValue } from './vary.js';
import { applyWorld, factorInfo, resolveFactors } from './worlds.js';
import { makeWorldsDesign, parseLevers, type WorldsDesign, type WorldsSpec } from './worlds-design.js';
import { leverSets, relabelLevers, worldColumns } from './worlds-eval.js';

/** The sweep options that make a levers x worlds design. */
export type WorldsOptions = Pick<SweepOptions, 'levers' | 'uncertainty' | 'designFile' | 'saltelli' | 'factors' | 'regime' | 'vary' | 'design' | 'samples'>;

export function isWorldsSweep(o: WorldsOptions): boolean {
  return (o.levers?.length ?? 0) > 0 || o.uncertainty !== undefined || o.designFile !== undefined || o.saltelli !== undefined || o.factors !== undefined;
}

/** The worlds spec of the options, with the factors resolved on `base` (the scenario after --set). */
export function worldsSpec(o: WorldsOptions, base: LoadedScenario): WorldsSpec {
  if ((o.vary?.length ?? 0) > 0) {
    throw new InputError({ path: '--vary', message: '--vary designs do not combine with --levers, --uncertainty or a design file', expected: '--levers for policy choices crossed with the worlds, the scenario\'s uncertain: entries for what is not known' });
  }
  if (o.design !== undefined && o.design !== 'worlds') throw new InputError({ path: '--design', message: `--design ${o.design} goes with --vary`, expected: 'no --design with --levers and --uncertainty, or --design FILE.csv' });
  if (o.samples !== undefined) throw new InputError({ path: '--samples', message: '--samples goes with --design random or lhs', expected: '--uncertainty N for the number of uncertain worlds' });
  const given = [o.uncertainty !== undefined ? '--uncertainty' : undefined, o.designFile !== undefined ? '--design FILE' : undefined, o.saltelli !== undefined ? 'Saltelli' : undefined].filter((x) => x !== undefined);
  if (given.length > 1) throw new InputError({ path: given[1] as string, message: `${given.join(' and ')} are two sources of worlds`, expected: 'one of them' });
  checkCount(o.uncertainty, '--uncertainty', 2, 10_000_000);
  checkCount(o.saltelli, '--samples', 2, 10_000_000);
  const levers = [...(o.levers ?? [])];
  const parsed = parseLevers(levers);
  if (o.designFile !== undefined) {
    const clash = parsed.find((v) => o.designFile?.columns.includes(v.path));
    if (clash) throw new InputError({ path: '--levers', message: `${clash.path} is both a lever and a column of ${o.designFile.name}`, expected: 'each path in one place' });
    return { levers, source: 'file', samples: o.designFile.rows.length, factors: [], file: o.designFile };
  }
  const n = o.uncertainty ?? o.saltelli;
  if (n === undefined) {
    if (o.factors !== undefined) throw new InputError({ path: '--factors', message: '--factors goes with --uncertainty', expected: '--uncertainty N' });
    return { levers, source: 'none', samples: 1, factors: [] };
  }
  const factors = resolveFactors(base, { exclude: parsed.map((v) => v.path), ...(o.factors !== undefined ? { only: o.factors } : {}) });
  if (factors.length === 0) {
    throw new InputError({
      file: base.file,
      path: 'uncertain',
      message: Object.keys(base.scenario.uncertain ?? {}).length === 0 ? 'the scenario declares no uncertainty' : 'every uncertain value of the scenario is fixed or held by a lever',
      expected: 'an uncertain: section with distributions (docs/scenarios.md), e.g. uncertain: { exporter.supplyPerRound: { range: [1200000, 2000000] } }',
    });
  }
  return { levers, source: o.saltelli !== undefined ? 'saltelli' : 'uncertainty', samples: n, factors: factors.map(factorInfo) };
}

/** Quantiles tried before any run: the 0.01%, 50% and 99.99% points, or every value of a discrete factor. */
const PROBES = [1e-4, 0.5, 1 - 1e-4];

/**
 * Every lever value (with the others at their first value), and every world column at its extremes (the others
 * at their median, or the design file's first row), applied to the scenario and compiled. Problems name the
 * flag or the `uncertain:` entry, with the value.
 */
export function probeWorlds(o: { readonly sets: readonly string[]; readonly regime?: string; readonly file: string }, design: WorldsDesign, spec: WorldsSpec, load: (opts: { sets: readonly string[] }) => LoadedScenario): void {
  const compile = (s: ChipsScenario, regime: string | undefined): void => {
    compileChips(s, regime !== undefined ? { regime } : {});
  };
  const first = design.leverValues(0);
  const tryLevers = (values: readonly ParamValue[]): { loaded: LoadedScenario; regime: string | undefined } => {
    const { sets, regime } = leverSets(design, values);
    try {
      const loaded = load({ sets: [...o.sets, ...sets] });
      if (loaded.scenario.kind !== 'chips') throw new InputError({ file: o.file, message: 'levers and uncertain worlds need a chips scenario', found: 'a bargaining scenario' });
      compile(loaded.scenario, regime ?? o.regime);
      return { loaded, regime };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const err = relabelLevers(e, design, sets);
      if (regime !== undefined && err.problems.some((p) => p.path === '--regime')) {
        throw new InputError(err.problems.map((p) => (p.path === '--regime' ? { ...p, path: '--levers', message: `${p.message} (in --levers ${design.levers.find((v) => v.path === 'regime')?.spec ?? 'regime'})` } : p)));
      }
      throw err;
    }
  };
  design.levers.forEach((v, j) => {
    for (const x of v.kind.values) tryLevers(first.map((y, k) => (k === j ? x : y)));
  });
  const { loaded, regime } = tryLevers(first);
  if (spec.source === 'none') return;
  const columns = worldColumns({ worlds: spec, design }, loaded);
  const base = loaded.scenario as ChipsScenario;
  const at = (values: readonly DistValue[], origin: string, entry?: string): void => {
    try {
      const s = applyWorld(base, columns, values, origin);
      compile(s, regime ?? o.regime);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const place = entry !== undefined ? loaded.where(['uncertain', entry]) : { path: '--design' };
      throw new InputError(e.problems.map((p) => ({ ...p, ...place, message: `${origin} gives a scenario the loader refuses: ${p.message}` })));
    }
  };
  if (spec.source === 'file') {
    const rows = spec.file?.rows ?? [];
    at(rows[0] ?? [], `${spec.file?.name ?? 'the design'} row 1`);
    return;
  }
  const medians = spec.factors.map((f) => quantileOf(f.dist, 0.5));
  spec.factors.forEach((f, i) => {
    const probes = f.dist.kind === 'discrete' ? f.dist.values : PROBES.map((u) => quantileOf(f.dist, u));
    for (const x of probes) at(medians.map((m, k) => (k === i ? x : m)), `uncertain ${f.name} = ${String(x)}`, f.group);
  });
}

export { makeWorldsDesign };
