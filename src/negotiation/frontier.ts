/**
 * Pareto frontiers in the two parties' utility plane, and the "best point for one party given a floor for
 * the other" query that bargaining solutions and the equilibrium solver are built on.
 */
import { remember } from './cache.js';
import { bisectBoundary, monotoneDirection, utilityTolerance, type Direction } from './numeric.js';
import { utilityTable } from './offer-index.js';
import {
  autoResolution,
  boundsKey,
  effectiveMax,
  enumerateCached,
  gridKey,
  isContinuous,
  withinBounds,
} from './outcome-space.js';
import type { Outcome, OutcomeSpace, PartyIndex, UtilityFn } from './types.js';

export type UtilityPair = readonly [number, number];

/** An outcome with its utilities to party 0 and party 1 (same shape as the event log's UtilityPoint). */
export interface FrontierPoint {
  readonly outcome: Outcome;
  readonly utilities: UtilityPair;
}

/**
 * Indices (into u0/u1) of the Pareto-optimal points among `candidates` (default: all), sorted by u0
 * descending, hence u1 ascending. Of several points with identical utilities only the first is kept.
 * O(N log N): sort by u0 descending, then a point is optimal iff its u1 beats every u1 seen before it.
 */
export function paretoFrontierIndices(u0: ArrayLike<number>, u1: ArrayLike<number>, candidates?: ArrayLike<number>): Int32Array {
  const n = candidates?.length ?? u0.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = candidates === undefined ? i : (candidates[i] as number);
  const a = (i: number): number => u0[i] as number;
  const b = (i: number): number => u1[i] as number;
  order.sort((i, j) => a(j) - a(i) || b(j) - b(i) || i - j);
  const out: number[] = [];
  let best1 = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if (b(i) > best1) {
      out.push(i);
      best1 = b(i);
    }
  }
  return Int32Array.from(out);
}

/** The Pareto-optimal points, sorted by u0 descending (u1 ascending). */
export function paretoFrontier(points: readonly FrontierPoint[]): FrontierPoint[] {
  const u0 = points.map((p) => p.utilities[0]);
  const u1 = points.map((p) => p.utilities[1]);
  return Array.from(paretoFrontierIndices(u0, u1), (i) => points[i] as FrontierPoint);
}

/** What the equilibrium solver needs from a bargaining set. */
export interface BargainingFrontier {
  /** The point maximising party's utility subject to the other's utility >= floor; null when none reaches it. */
  bestFor(party: PartyIndex, floor: number): FrontierPoint | null;
}

/** A finite frontier, u0 descending / u1 ascending, answering bestFor by binary search. */
export class DiscreteFrontier implements BargainingFrontier {
  readonly points: readonly FrontierPoint[];
  private readonly u0: Float64Array;
  private readonly u1: Float64Array;

  constructor(points: readonly FrontierPoint[]) {
    this.points = points;
    this.u0 = Float64Array.from(points, (p) => p.utilities[0]);
    this.u1 = Float64Array.from(points, (p) => p.utilities[1]);
  }

  bestFor(party: PartyIndex, floor: number): FrontierPoint | null {
    const f = floor - utilityTolerance(floor);
    const n = this.points.length;
    let lo = 0;
    let hi = n;
    if (party === 0) {
      // First point whose u1 reaches the floor: u1 ascends, so it has the largest u0 among those that do.
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((this.u1[mid] as number) < f) lo = mid + 1;
        else hi = mid;
      }
      return this.points[lo] ?? null;
    }
    // Last point whose u0 reaches the floor: u0 descends, so it has the largest u1 among those that do.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.u0[mid] as number) >= f) lo = mid + 1;
      else hi = mid;
    }
    return this.points[lo - 1] ?? null;
  }
}

const frontiers = new WeakMap<UtilityFn, WeakMap<UtilityFn, Map<string, DiscreteFrontier>>>();
const FRONTIER_CACHE_SIZE = 32;

/**
 * The Pareto frontier of the feasible outcomes of a discrete (or discretised) space under two utility
 * functions. Memoised per (u0, u1, grid, bounds).
 */
export function spaceFrontier(space: OutcomeSpace, utilities: readonly [UtilityFn, UtilityFn], resolution = autoResolution(space)): DiscreteFrontier {
  const [f0, f1] = utilities;
  let by0 = frontiers.get(f0);
  if (by0 === undefined) {
    by0 = new WeakMap();
    frontiers.set(f0, by0);
  }
  let by1 = by0.get(f1);
  if (by1 === undefined) {
    by1 = new Map();
    by0.set(f1, by1);
  }
  const key = `${gridKey(space, resolution)}|${boundsKey(space)}`;
  const hit = by1.get(key);
  if (hit !== undefined) return hit;

  const e = enumerateCached(space, resolution);
  const t0 = utilityTable(e, f0);
  const t1 = utilityTable(e, f1);
  const feasible: number[] = [];
  for (let i = 0; i < e.count; i++) if (withinBounds(space, e.values, i * e.dims)) feasible.push(i);
  const points = Array.from(paretoFrontierIndices(t0, t1, feasible), (i) =>
    Object.freeze({ outcome: e.outcomes[i] as Outcome, utilities: Object.freeze([t0[i] as number, t1[i] as number] as const) }),
  );
  return remember(by1, key, new DiscreteFrontier(points), FRONTIER_CACHE_SIZE);
}

/**
 * The frontier of one continuous issue x in [lo, hi] with utilities monotone in x: exact, by bisection.
 * Opposed directions give the whole interval; equal directions a single point (the common best end).
 */
export class ContinuousFrontier implements BargainingFrontier {
  readonly lo: number;
  readonly hi: number;
  private readonly f: readonly [(x: number) => number, (x: number) => number];
  private readonly dirs: readonly [Direction, Direction];

  constructor(f: readonly [(x: number) => number, (x: number) => number], dirs: readonly [Direction, Direction], lo: number, hi: number) {
    this.f = f;
    this.dirs = dirs;
    this.lo = lo;
    this.hi = hi;
  }

  /** Utilities at x as a frontier point. */
  at(x: number): FrontierPoint {
    return Object.freeze({ outcome: Object.freeze([x]), utilities: Object.freeze([this.f[0](x), this.f[1](x)] as const) });
  }

  /** The end of the interval party i likes best. */
  bestEnd(party: PartyIndex): number {
    return this.dirs[party] > 0 ? this.hi : this.lo;
  }

  bestFor(party: PartyIndex, floor: number): FrontierPoint | null {
    if (this.hi < this.lo) return null;
    const other = (1 - party) as PartyIndex;
    const g = this.f[other];
    const otherBest = this.bestEnd(other);
    const mine = this.bestEnd(party);
    if (g(mine) >= floor) return this.at(mine);
    const top = g(otherBest);
    if (top < floor - utilityTolerance(floor)) return null;
    if (top < floor) return this.at(otherBest); // within rounding of the floor
    return this.at(bisectBoundary((x) => g(x) >= floor, otherBest, mine));
  }
}

/**
 * The exact frontier of a single continuous issue when both utilities are monotone in it, else null.
 * The interval is the issue range cut at its upper bound.
 */
export function continuousFrontier(space: OutcomeSpace, utilities: readonly [UtilityFn, UtilityFn]): ContinuousFrontier | null {
  const issue = space.issues[0];
  if (space.issues.length !== 1 || issue === undefined || !isContinuous(issue)) return null;
  const f0 = (x: number): number => utilities[0]([x]);
  const f1 = (x: number): number => utilities[1]([x]);
  const d0 = monotoneDirection(f0, issue.min, issue.max);
  const d1 = monotoneDirection(f1, issue.min, issue.max);
  if (d0 === null || d1 === null) return null;
  return new ContinuousFrontier([f0, f1], [d0, d1], issue.min, effectiveMax(space)[0] as number);
}

/** The exact continuous frontier when there is one, otherwise the (discretised) discrete frontier. */
export function bargainingFrontier(
  space: OutcomeSpace,
  utilities: readonly [UtilityFn, UtilityFn],
  resolution = autoResolution(space),
): BargainingFrontier {
  return continuousFrontier(space, utilities) ?? spaceFrontier(space, utilities, resolution);
}
