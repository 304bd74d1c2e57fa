/**
 * Outcome spaces: the grid of each issue, enumeration of every outcome, and feasibility. Everything the
 * mechanism accepts and the strategies propose goes through the same tolerance and grid rules here, so a
 * strategy that picks from an enumeration can never trip the mechanism's guard.
 */
import { remember } from './cache.js';
import type { Issue, Outcome, OutcomeSpace } from './types.js';

/** Most values per continuous issue when a continuous space has to be enumerated. */
export const DEFAULT_RESOLUTION = 101;
/** Outcome budget that the automatic resolution of continuous issues keeps within. */
export const AUTO_RESOLUTION_BUDGET = 100_000;
/** Enumerations larger than this are refused: the caller should give continuous issues `steps`. */
export const MAX_OUTCOMES = 1_000_000;

/** Slack for range and bound checks, relative to the issue's magnitude (absorbs grid arithmetic). */
export function issueTolerance(issue: Issue): number {
  return 1e-9 * Math.max(1, Math.abs(issue.min), Math.abs(issue.max));
}

export function isContinuous(issue: Issue): boolean {
  return issue.steps === undefined;
}

/**
 * Values per continuous issue when none is given: DEFAULT_RESOLUTION, lowered (to no less than 2) so the
 * whole enumeration stays within AUTO_RESOLUTION_BUDGET outcomes.
 */
export function autoResolution(space: OutcomeSpace): number {
  let discrete = 1;
  let continuous = 0;
  for (const issue of space.issues) {
    if (issue.steps === undefined) continuous++;
    else discrete *= issue.steps;
  }
  if (continuous === 0) return DEFAULT_RESOLUTION;
  const fit = Math.floor(Math.pow(AUTO_RESOLUTION_BUDGET / discrete, 1 / continuous) + 1e-9);
  return Math.max(2, Math.min(DEFAULT_RESOLUTION, fit));
}

/** Number of values of an issue: its `steps`, or `resolution` for a continuous issue. */
export function issueSize(issue: Issue, resolution = DEFAULT_RESOLUTION): number {
  const n = issue.steps ?? resolution;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`issue "${issue.name}": ${issue.steps === undefined ? 'resolution' : 'steps'} must be a positive integer, got ${n}`);
  }
  return n;
}

/** Value k of an n-point grid on [min, max]; the single formula both enumeration and the grid check use. */
export function gridValue(min: number, max: number, n: number, k: number): number {
  if (n === 1) return min;
  return k === n - 1 ? max : min + ((max - min) * k) / (n - 1);
}

/** Grid values of an issue: `steps` evenly spaced values min..max inclusive (continuous: `resolution`). */
export function issueValues(issue: Issue, resolution = DEFAULT_RESOLUTION): Float64Array {
  const n = issueSize(issue, resolution);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = gridValue(issue.min, issue.max, n, k);
  return out;
}

/** Number of outcomes of the (discretised) space, ignoring upper bounds. */
export function outcomeCount(space: OutcomeSpace, resolution = autoResolution(space)): number {
  let count = 1;
  for (const issue of space.issues) count *= issueSize(issue, resolution);
  return count;
}

/** Every outcome of a discretised space, ignoring upper bounds (those are applied per query). */
export interface Enumeration {
  readonly dims: number;
  readonly count: number;
  /** Row-major values: outcome i occupies values[i * dims .. (i + 1) * dims). */
  readonly values: Float64Array;
  /**
   * Outcome i as a frozen array, made on first request and the same object ever after, so it can be handed
   * out (and recognised again) without allocating.
   */
  outcome(i: number): Outcome;
  /** Outcome i if it has been made, else undefined. */
  outcomeIfMade(i: number): Outcome | undefined;
  /** Every outcome (all made on first access; prefer `outcome(i)` on large grids). */
  readonly outcomes: readonly Outcome[];
}

/** Position of every outcome an enumeration has made (outcomes are frozen and belong to one enumeration). */
const madePositions = new WeakMap<Outcome, number>();

class GridEnumeration implements Enumeration {
  readonly dims: number;
  readonly count: number;
  readonly values: Float64Array;
  private readonly made: (Outcome | undefined)[];
  private all: readonly Outcome[] | undefined;

  constructor(dims: number, count: number, values: Float64Array) {
    this.dims = dims;
    this.count = count;
    this.values = values;
    this.made = new Array<Outcome | undefined>(count);
  }

  outcome(i: number): Outcome {
    let o = this.made[i];
    if (o === undefined) {
      if (!(i >= 0 && i < this.count)) throw new RangeError(`outcome ${i} of ${this.count}`);
      const { dims } = this;
      const row = new Array<number>(dims);
      for (let d = 0; d < dims; d++) row[d] = this.values[i * dims + d] as number;
      o = Object.freeze(row);
      this.made[i] = o;
      madePositions.set(o, i);
    }
    return o;
  }

  outcomeIfMade(i: number): Outcome | undefined {
    return this.made[i];
  }

  get outcomes(): readonly Outcome[] {
    if (this.all === undefined) {
      const all = new Array<Outcome>(this.count);
      for (let i = 0; i < this.count; i++) all[i] = this.outcome(i);
      this.all = Object.freeze(all);
    }
    return this.all;
  }
}

/** Key identifying the grid of a space: names and units do not change the enumeration. */
export function gridKey(space: OutcomeSpace, resolution = autoResolution(space)): string {
  let key = '';
  for (const i of space.issues) key += `${i.min},${i.max},${i.steps ?? `c${resolution}`};`;
  return key;
}

/** Key of the upper bounds ('' when there are none). */
export function boundsKey(space: OutcomeSpace): string {
  return space.upperBounds === undefined ? '' : space.upperBounds.join(',');
}

/** All outcomes in row-major order (the last issue varies fastest). */
export function enumerate(space: OutcomeSpace, resolution = autoResolution(space)): Enumeration {
  const count = outcomeCount(space, resolution);
  if (count > MAX_OUTCOMES) {
    throw new RangeError(`outcome space has ${count} outcomes (limit ${MAX_OUTCOMES}); give continuous issues fewer steps`);
  }
  const grids = space.issues.map((issue) => issueValues(issue, resolution));
  const dims = grids.length;
  const sizes = Int32Array.from(grids, (g) => g.length);
  const strides = new Int32Array(dims);
  for (let d = dims - 1, stride = 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= sizes[d] as number;
  }
  const values = new Float64Array(count * dims);
  for (let d = 0; d < dims; d++) fillColumn(values, dims, d, grids[d] as Float64Array, strides[d] as number);
  return new GridEnumeration(dims, count, values);
}

/**
 * Issue d's column of the grid: each of its values repeated `stride` times, the pattern repeated to the end.
 * A function of its own so that V8 compiles this loop on the stack (OSR) without `enumerate`, whose code
 * after the loop had not run yet: that code was thrown away at its first run, in every thread, ~12 times.
 */
function fillColumn(values: Float64Array, dims: number, d: number, grid: Float64Array, stride: number): void {
  const size = grid.length;
  for (let at = d; at < values.length; ) {
    for (let k = 0; k < size; k++) {
      const v = grid[k] as number;
      for (let r = 0; r < stride; r++, at += dims) values[at] = v;
    }
  }
}

/**
 * Position of `outcome` in `e` when it is one of the outcome objects e has made (not merely equal to one),
 * else -1. Lets the mechanism read utilities and feasibility from tables instead of recomputing them.
 */
export function positionIn(e: Enumeration, outcome: unknown): number {
  const i = madePositions.get(outcome as Outcome);
  return i !== undefined && e.outcomeIfMade(i) === outcome ? i : -1;
}

const enumerations = new Map<string, Enumeration>();
const ENUMERATION_CACHE_SIZE = 64;

/** `enumerate`, memoised by grid so every negotiation over the same grid shares one enumeration. */
export function enumerateCached(space: OutcomeSpace, resolution = autoResolution(space)): Enumeration {
  const key = gridKey(space, resolution);
  const hit = enumerations.get(key);
  if (hit !== undefined) return hit;
  return remember(enumerations, key, enumerate(space, resolution), ENUMERATION_CACHE_SIZE);
}

/** Highest feasible value of each issue: the smaller of its max and its upper bound. */
export function effectiveMax(space: OutcomeSpace): Float64Array {
  const out = new Float64Array(space.issues.length);
  space.issues.forEach((issue, d) => {
    const ub = space.upperBounds?.[d];
    out[d] = ub === undefined ? issue.max : Math.min(issue.max, ub);
  });
  return out;
}

/**
 * For each enumerated outcome, 1 when it respects the space's upper bounds (the withinBounds test), else 0.
 */
export function boundsMask(space: OutcomeSpace, e: Enumeration): Uint8Array {
  const { dims, count, values } = e;
  const mask = new Uint8Array(count).fill(1);
  const ub = space.upperBounds;
  if (ub === undefined) return mask;
  for (let d = 0; d < dims; d++) {
    const bound = ub[d];
    const issue = space.issues[d];
    if (bound === undefined || issue === undefined) continue;
    const limit = bound + issueTolerance(issue);
    for (let i = 0, at = d; i < count; i++, at += dims) if ((values[at] as number) > limit) mask[i] = 0;
  }
  return mask;
}

/** Whether a grid outcome (values[offset .. offset + dims)) respects the space's upper bounds. */
export function withinBounds(space: OutcomeSpace, values: Float64Array, offset: number): boolean {
  const ub = space.upperBounds;
  if (ub === undefined) return true;
  const issues = space.issues;
  for (let d = 0; d < issues.length; d++) {
    const bound = ub[d];
    const issue = issues[d];
    if (bound === undefined || issue === undefined) continue;
    if ((values[offset + d] as number) > bound + issueTolerance(issue)) return false;
  }
  return true;
}

/** Problems with the space itself (not with an outcome): empty list when it is usable. */
export function spaceProblems(space: OutcomeSpace): string[] {
  const problems: string[] = [];
  space.issues.forEach((issue, d) => {
    if (!Number.isFinite(issue.min) || !Number.isFinite(issue.max) || issue.max < issue.min) {
      problems.push(`issue ${d} "${issue.name}" has an invalid range [${issue.min}, ${issue.max}]`);
    }
    if (issue.steps !== undefined && (!Number.isInteger(issue.steps) || issue.steps < 1)) {
      problems.push(`issue ${d} "${issue.name}" has invalid steps ${issue.steps}`);
    }
  });
  const ub = space.upperBounds;
  if (ub !== undefined) {
    if (ub.length !== space.issues.length) problems.push(`upperBounds has ${ub.length} entries for ${space.issues.length} issues`);
    ub.forEach((b, d) => {
      if (Number.isNaN(b)) problems.push(`upperBounds[${d}] is NaN`);
    });
  }
  return problems;
}

/** Issue arrays that passed validation (spaces are immutable once used). */
const validIssues = new WeakSet<readonly Issue[]>();

/** Throws when the space itself is unusable (see spaceProblems); cheap for an issue array seen before. */
export function assertValidSpace(space: OutcomeSpace): void {
  const ub = space.upperBounds;
  if (validIssues.has(space.issues) && (ub === undefined || (ub.length === space.issues.length && !ub.some(Number.isNaN)))) return;
  const invalid = spaceProblems(space);
  if (invalid.length > 0) throw new Error(`invalid outcome space: ${invalid.join('; ')}`);
  validIssues.add(space.issues);
}

/**
 * A feasibility test compiled once per space: the mechanism runs it on every offer, so per-issue limits are
 * precomputed into typed arrays.
 */
export interface FeasibilityCheck {
  /** Null when the outcome is feasible, otherwise a one-line description of the first problem. */
  problem(outcome: unknown): string | null;
}

export function compileFeasibility(space: OutcomeSpace): FeasibilityCheck {
  assertValidSpace(space);
  const issues = space.issues;
  const dims = issues.length;
  const lo = new Float64Array(dims);
  const hi = effectiveMax(space);
  const tol = new Float64Array(dims);
  const gridSteps = new Int32Array(dims); // 0 = continuous
  issues.forEach((issue, d) => {
    lo[d] = issue.min;
    tol[d] = issueTolerance(issue);
    gridSteps[d] = issue.steps ?? 0;
  });
  // Frozen outcomes that passed: strategies re-propose the same enumerated outcome objects, which cannot
  // change, so each is checked once per space.
  const passed = new WeakSet<object>();

  const describe = (outcome: unknown): string | null => {
    if (!Array.isArray(outcome)) return `the outcome is not an array`;
    if (outcome.length !== dims) return `the outcome has ${outcome.length} values for ${dims} issues`;
    for (let d = 0; d < dims; d++) {
      const v: unknown = outcome[d];
      const issue = issues[d] as Issue;
      if (typeof v !== 'number' || !Number.isFinite(v)) return `issue "${issue.name}" has the non-finite value ${String(v)}`;
      const t = tol[d] as number;
      if (v < (lo[d] as number) - t || v > issue.max + t) return `issue "${issue.name}" = ${v} is outside [${issue.min}, ${issue.max}]`;
      if (v > (hi[d] as number) + t) return `issue "${issue.name}" = ${v} exceeds its upper bound ${hi[d]}`;
      const n = gridSteps[d] as number;
      if (n > 0) {
        const k = n === 1 ? 0 : Math.round(((v - issue.min) * (n - 1)) / (issue.max - issue.min));
        if (Math.abs(v - gridValue(issue.min, issue.max, n, k)) > t) {
          return `issue "${issue.name}" = ${v} is not on its ${n}-value grid`;
        }
      }
    }
    return null;
  };
  return {
    problem(outcome) {
      if (typeof outcome === 'object' && outcome !== null && passed.has(outcome)) return null;
      const problem = describe(outcome);
      if (problem === null && Object.isFrozen(outcome)) passed.add(outcome as object);
      return problem;
    },
  };
}

const checks = new WeakMap<OutcomeSpace, FeasibilityCheck>();

/** `compileFeasibility` (which throws on an invalid space), memoised per space object. */
export function feasibilityCheck(space: OutcomeSpace): FeasibilityCheck {
  let check = checks.get(space);
  if (check === undefined) {
    check = compileFeasibility(space);
    checks.set(space, check);
  }
  return check;
}

/** Whether `outcome` is a well-formed, in-range, on-grid outcome within the upper bounds. */
export function isFeasible(space: OutcomeSpace, outcome: Outcome): boolean {
  return feasibilityCheck(space).problem(outcome) === null;
}
