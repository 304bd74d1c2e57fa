/**
 * The deterministic run list of a sweep. Points (parameter combinations) come from the design; each point runs
 * every seed (seedStart, seedStart + 1, ...), so points compare under common random numbers. Run id r is
 * point floor(r / seeds) with seed seedStart + r mod seeds. A shard k/N holds the runs with r mod N = k - 1.
 *
 * - grid: the Cartesian product of the specs' values; the last --vary changes fastest.
 * - random: sample i draws spec j's quantile from the stream "sweep/random/<i>/<path>" (independent of the
 *   other samples, so any run is computed without the others).
 * - lhs: Latin hypercube: spec j's K samples take one quantile from each of K equal strata, shuffled by the
 *   stream "sweep/lhs/<path>/permutation" and jittered within the stratum by "sweep/lhs/<path>/jitter".
 * Streams are derived from the master seed (src/core/rng.ts), named by path, so adding a spec never changes
 * the draws of another.
 */
import { InputError } from '../core/errors.js';
import { stream } from '../core/rng.js';
import { latinColumn } from './distributions.js';
import { makeWorldsDesign, type WorldsSpec } from './worlds-design.js';
import { isDiscrete, quantile, type ParamValue, type VarySpec } from './vary.js';

/** grid, random, lhs: --vary designs; worlds: levers x uncertain worlds (worlds-design.ts). */
export type DesignName = 'grid' | 'random' | 'lhs' | 'worlds';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface DesignOptions {
  readonly design: DesignName;
  readonly vary: readonly VarySpec[];
  /** Number of samples (random and lhs). */
  readonly samples?: number;
  readonly seeds: number;
  readonly seedStart: number;
  /** Master seed of the design streams. */
  readonly masterSeed: number;
  /** A levers x worlds design (design 'worlds'). */
  readonly worlds?: WorldsSpec;
}

export interface Design {
  /** The columns between seed and regime, when they are not the --vary paths (a worlds design). */
  readonly paths?: readonly string[];
  readonly points: number;
  readonly totalRuns: number;
  readonly seeds: number;
  pointValues(point: number): ParamValue[];
  run(id: number): { readonly point: number; readonly seed: number };
}

export function makeDesign(o: DesignOptions): Design {
  if (o.design === 'worlds') {
    if (o.worlds === undefined) throw new Error('makeDesign: a worlds design needs its spec');
    return makeWorldsDesign({ worlds: o.worlds, seeds: o.seeds, seedStart: o.seedStart, masterSeed: o.masterSeed });
  }
  const paths = new Set<string>();
  for (const v of o.vary) {
    if (paths.has(v.path)) throw new InputError({ path: '--vary', message: `the path ${v.path} is varied twice`, expected: 'each path in one --vary' });
    paths.add(v.path);
  }
  let points: number;
  let pointValues: (p: number) => ParamValue[];
  if (o.design === 'grid') {
    if (o.samples !== undefined) throw new InputError({ path: '--samples', message: 'a grid design has no samples: every combination runs', expected: '--design random or lhs with --samples' });
    const sizes = o.vary.map((v) => {
      if (!isDiscrete(v)) {
        throw new InputError({
          path: '--vary',
          message: `a grid needs a finite list of values (in --vary ${v.spec})`,
          expected: 'path=lo:hi:steps or path=a,b,c; or --design random or lhs for ranges and distributions',
        });
      }
      return v.kind.values.length;
    });
    points = sizes.reduce((a, b) => a * b, 1);
    pointValues = (p) => {
      const out: ParamValue[] = new Array<ParamValue>(o.vary.length);
      let rest = p;
      for (let j = o.vary.length - 1; j >= 0; j--) {
        const v = o.vary[j] as VarySpec & { kind: { type: 'values' } };
        const n = sizes[j] as number;
        out[j] = v.kind.values[rest % n] as ParamValue;
        rest = Math.floor(rest / n);
      }
      return out;
    };
  } else {
    if (o.samples === undefined) throw new InputError({ path: '--samples', message: `a ${o.design} design needs a number of samples`, expected: 'e.g. --samples 100' });
    if (o.vary.length === 0) throw new InputError({ path: '--vary', message: `a ${o.design} design needs at least one --vary`, expected: 'e.g. --vary countries[IND].patience=dist(uniform, 0.5, 0.99)' });
    const k = o.samples;
    points = k;
    if (o.design === 'random') {
      pointValues = (p) => o.vary.map((v) => quantile(v, stream(o.masterSeed, `sweep/random/${p}/${v.path}`)()));
    } else {
      const us = o.vary.map((v) => latinColumn(k, o.masterSeed, `sweep/lhs/${v.path}`));
      pointValues = (p) => o.vary.map((v, j) => quantile(v, us[j]?.[p] as number));
    }
  }
  const totalRuns = points * o.seeds;
  if (!Number.isSafeInteger(totalRuns) || totalRuns > 1e9) {
    throw new InputError({ path: '--vary', message: `too many runs: ${points} points x ${o.seeds} seeds`, expected: 'at most 1,000,000,000 runs' });
  }
  return {
    points,
    totalRuns,
    seeds: o.seeds,
    pointValues,
    run: (id) => ({ point: Math.floor(id / o.seeds), seed: o.seedStart + (id % o.seeds) }),
  };
}

/** The runs of a shard, in run-id order: position j is run (k - 1) + j * N. */
export function shardRuns(totalRuns: number, shard: Shard | null): { count: number; id: (position: number) => number } {
  if (shard === null) return { count: totalRuns, id: (j) => j };
  const first = shard.index - 1;
  return { count: first >= totalRuns ? 0 : Math.ceil((totalRuns - first) / shard.count), id: (j) => first + j * shard.count };
}
