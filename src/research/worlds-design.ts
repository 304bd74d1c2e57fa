/**
 * The run list of a levers x worlds design (docs/research.md, "Levers and uncertain worlds"): plain data in
 * the sweep's plan and sidecar, so that any run, in any thread or shard, and any row a `--resume` or `merge`
 * reads back, is computed from it alone.
 *
 * Point p is world floor(p / L) under lever combination p mod L (L combinations, the last lever changing
 * fastest): the rows of one world under every combination sit together, and every combination meets the same
 * worlds (paired). Run id r is point floor(r / S) with seed S0 + (r mod S) (S seeds, the same for every point),
 * except in a Saltelli design, where the seed is one more factor (see seedRow).
 *
 * Worlds:
 * - uncertainty: N Latin hypercube draws of the factors; factor f's column comes from the streams
 *   "uncertainty/lhs/<f>/permutation" and ".../jitter" (distributions.ts, latinColumn);
 * - saltelli: Saltelli's (2010) matrices A and B of N rows, uniform from the streams
 *   "sensitivity/sobol/A/<f>" and "sensitivity/sobol/B/<f>"; worlds are the blocks A, B, then AB_g for each group g
 *   (A with group g's columns from B), then AB_seed (A's factors, B's seed): N (G + 3) worlds;
 * - file: the rows of a design file (a CSV of parameter columns);
 * - none: one world, the scenario as it is (levers only).
 */
import { InputError } from '../core/errors.js';
import { stream } from '../core/rng.js';
import { latinColumn, quantileOf, type DistValue } from './distributions.js';
import { isDiscrete, parseVary, type ParamValue, type VarySpec } from './vary.js';
import { groupsOf, type FactorInfo } from './worlds.js';

export type WorldsSource = 'uncertainty' | 'saltelli' | 'file' | 'none';

/** A design file, read (design-file.ts): its columns and rows, and the sha256 of its text. */
export interface DesignTable {
  readonly name: string;
  readonly sha256: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly DistValue[])[];
  /** The line of the file each row is on (for messages). */
  readonly lines?: readonly number[];
}

export interface WorldsSpec {
  /** --levers specs as given: lists or lo:hi:steps, crossed factorially. */
  readonly levers: readonly string[];
  readonly source: WorldsSource;
  /** uncertainty: draws; saltelli: rows N of A and B; file: its rows; none: 1. */
  readonly samples: number;
  /** The sampled factors (uncertainty and saltelli). */
  readonly factors: readonly FactorInfo[];
  readonly file?: DesignTable;
}

export const LHS_STREAM = 'uncertainty/lhs';
export const SALTELLI_STREAM = 'sensitivity/sobol';

/** Where a Saltelli world comes from: matrix A, B, AB_g for a group, or AB_seed; and its row j. */
export interface SaltelliCell {
  readonly matrix: 'A' | 'B' | 'AB';
  /** The group swapped in from B (AB), or 'seed'. */
  readonly group?: string;
  readonly j: number;
}

export function saltelliCell(world: number, n: number, groups: readonly string[]): SaltelliCell {
  const block = Math.floor(world / n);
  const j = world % n;
  if (block === 0) return { matrix: 'A', j };
  if (block === 1) return { matrix: 'B', j };
  return { matrix: 'AB', group: block - 2 < groups.length ? (groups[block - 2] as string) : 'seed', j };
}

/** "A", "B", "AB:<group>", "AB:seed": the matrix column of a Saltelli row. */
export const matrixName = (c: SaltelliCell): string => (c.matrix === 'AB' ? `AB:${c.group ?? ''}` : c.matrix);

/**
 * The seed row of a Saltelli world: A's rows and every AB_g use seed row 2j (A's seeds), B's rows and
 * AB_seed use 2j + 1 (B's): the seed is a factor like the others, so its indices measure the share of
 * variance that seed noise makes.
 */
export function seedRow(c: SaltelliCell): number {
  return 2 * c.j + (c.matrix === 'B' || c.group === 'seed' ? 1 : 0);
}

export interface WorldsDesign {
  /** Column names after run and seed, before regime and the metrics (see columnsFor). */
  readonly paths: readonly string[];
  readonly worlds: number;
  readonly combinations: number;
  readonly points: number;
  readonly totalRuns: number;
  readonly seeds: number;
  /** The lever specs parsed. */
  readonly levers: readonly (VarySpec & { kind: { type: 'values' } })[];
  /** Values of lever combination c, in lever order. */
  leverValues(c: number): ParamValue[];
  /** Values of world w, in the order of the world columns (factors, or the file's columns). */
  worldValues(w: number): DistValue[];
  /** The cells written for a point: world, (matrix, sample), levers, world columns. */
  pointValues(point: number): ParamValue[];
  run(id: number): { readonly point: number; readonly seed: number };
  /** Point -> world and combination. */
  split(point: number): { readonly world: number; readonly combination: number };
}

export interface WorldsDesignOptions {
  readonly worlds: WorldsSpec;
  readonly seeds: number;
  readonly seedStart: number;
  readonly masterSeed: number;
}

/** Lever specs parsed and checked: each a finite list, each path once. */
export function parseLevers(specs: readonly string[]): (VarySpec & { kind: { type: 'values' } })[] {
  const seen = new Set<string>();
  return specs.map((text) => {
    const v = parseVary(text);
    const relabelled = (message: string, expected: string): InputError => new InputError({ path: '--levers', message: `${message} (in --levers ${text})`, expected });
    if (!isDiscrete(v)) throw relabelled('a lever takes a finite list of values', 'path=a,b,c or path=lo:hi:steps, e.g. regime=tiered-2025,bilateral');
    if (seen.has(v.path)) throw relabelled(`the path ${v.path} is a lever twice`, 'each path in one --levers');
    seen.add(v.path);
    return v;
  });
}

export function makeWorldsDesign(o: WorldsDesignOptions): WorldsDesign {
  const w = o.worlds;
  const levers = parseLevers(w.levers);
  const sizes = levers.map((v) => v.kind.values.length);
  const combinations = sizes.reduce((a, b) => a * b, 1);
  const groups = groupsOf(w.factors);
  const n = w.samples;
  const worlds = w.source === 'saltelli' ? n * (groups.length + 3) : w.source === 'none' ? 1 : w.source === 'file' ? (w.file?.rows.length ?? 0) : n;
  if (worlds < 1) throw new InputError({ path: '--design', message: 'the design has no rows', expected: 'a header and at least one row' });
  const points = worlds * combinations;
  const totalRuns = points * o.seeds;
  if (!Number.isSafeInteger(totalRuns) || totalRuns > 1e9) {
    throw new InputError({ path: '--uncertainty', message: `too many runs: ${worlds} worlds x ${combinations} lever combinations x ${o.seeds} seeds`, expected: 'at most 1,000,000,000 runs' });
  }

  const leverValues = (c: number): ParamValue[] => {
    const out = new Array<ParamValue>(levers.length);
    let rest = c;
    for (let j = levers.length - 1; j >= 0; j--) {
      const size = sizes[j] as number;
      out[j] = (levers[j] as (typeof levers)[number]).kind.values[rest % size] as ParamValue;
      rest = Math.floor(rest / size);
    }
    return out;
  };

  let worldValues: (world: number) => DistValue[];
  let extra: (world: number) => ParamValue[] = () => [];
  const names = w.source === 'file' ? [...(w.file?.columns ?? [])] : w.factors.map((f) => f.name);
  if (w.source === 'uncertainty') {
    let columns: Float64Array[] | undefined;
    worldValues = (world) => {
      columns ??= w.factors.map((f) => latinColumn(n, o.masterSeed, `${LHS_STREAM}/${f.name}`));
      return w.factors.map((f, i) => quantileOf(f.dist, (columns as Float64Array[])[i]?.[world] as number));
    };
  } else if (w.source === 'saltelli') {
    let units: { a: Float64Array[]; b: Float64Array[] } | undefined;
    const uniform = (matrix: string, name: string): Float64Array => {
      const u = stream(o.masterSeed, `${SALTELLI_STREAM}/${matrix}/${name}`);
      return Float64Array.from({ length: n }, () => u());
    };
    worldValues = (world) => {
      units ??= { a: w.factors.map((f) => uniform('A', f.name)), b: w.factors.map((f) => uniform('B', f.name)) };
      const c = saltelliCell(world, n, groups);
      const { a, b } = units;
      return w.factors.map((f, i) => {
        const fromB = c.matrix === 'B' || (c.matrix === 'AB' && c.group === f.group);
        return quantileOf(f.dist, (fromB ? b : a)[i]?.[c.j] as number);
      });
    };
    extra = (world) => {
      const c = saltelliCell(world, n, groups);
      return [matrixName(c), c.j];
    };
  } else if (w.source === 'file') {
    worldValues = (world) => [...(w.file?.rows[world] ?? [])];
  } else {
    worldValues = () => [];
  }

  const split = (point: number) => ({ world: Math.floor(point / combinations), combination: point % combinations });
  return {
    paths: ['world', ...(w.source === 'saltelli' ? ['matrix', 'sample'] : []), ...levers.map((v) => v.path), ...names],
    worlds,
    combinations,
    points,
    totalRuns,
    seeds: o.seeds,
    levers,
    leverValues,
    worldValues,
    pointValues: (point) => {
      const { world, combination } = split(point);
      return [world, ...extra(world), ...leverValues(combination), ...worldValues(world)];
    },
    split,
    run: (id) => {
      const point = Math.floor(id / o.seeds);
      const k = id % o.seeds;
      if (w.source !== 'saltelli') return { point, seed: o.seedStart + k };
      return { point, seed: o.seedStart + o.seeds * seedRow(saltelliCell(split(point).world, n, groups)) + k };
    },
  };
}
