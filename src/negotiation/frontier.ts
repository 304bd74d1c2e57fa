/**
 * Pareto frontiers in the two parties' utility plane, and the "best point for one party given a floor for
 * the other" query that bargaining solutions and the equilibrium solver are built on.
 */
import { memo } from './cache.js';
import { bisectBoundary, utilityTolerance, type Direction } from './numeric.js';
import { singleIssueDirection, utilityTable, type IndexedOffer } from './offer-index.js';
import { effectiveMax, isContinuous, type Enumeration } from './outcome-space.js';
import { spaceContext, type BoundedContext } from './space-context.js';
import type { Outcome, OutcomeSpace, PartyIndex, UtilityFn } from './types.js';

export type UtilityPair = readonly [number, number];

/** An outcome with its utilities to party 0 and party 1 (same shape as the event log's UtilityPoint). */
export interface FrontierPoint {
  readonly outcome: Outcome;
  readonly utilities: UtilityPair;
}

/** Candidates sorted by insertion rather than by the built-in sort. */
const INSERTION_MAX = 48;

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
  const before = (i: number, j: number): number => a(j) - a(i) || b(j) - b(i) || i - j;
  // A total order (the index breaks ties), so any sort gives the same answer: insertion for the few
  // candidates bucketing leaves, where the built-in sort's comparator calls cost more than the sorting.
  if (n <= INSERTION_MAX) {
    for (let k = 1; k < n; k++) {
      const x = order[k] as number;
      let j = k - 1;
      while (j >= 0 && before(order[j] as number, x) > 0) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = x;
    }
  } else order.sort(before);
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

/** Extra facts about the feasible set a DiscreteFrontier was built from. */
export interface FrontierExtras {
  /** Lowest utility of each party over the whole feasible set (default: over the frontier points). */
  readonly worst?: UtilityPair;
}

/** Where a frontier's points come from when they are made on demand: outcome i of an enumeration. */
interface LazySource {
  readonly e: Enumeration;
  readonly index: Int32Array;
}

/**
 * A finite frontier, u0 descending / u1 ascending, answering bestFor by binary search. Utilities are strictly
 * monotone along it, so bestFor has a single answer.
 *
 * Built from an enumeration, its points (and the offers strategies propose from them) are made on first use:
 * a negotiation visits a few of them, while building every point of a frontier of hundreds cost more than
 * the negotiation. A point, once made, is the same object every time it is asked for.
 */
export class DiscreteFrontier implements BargainingFrontier {
  /** Utilities of the points, party 0 (descending) and party 1 (ascending). */
  readonly u0: Float64Array;
  readonly u1: Float64Array;
  /** Lowest utility of each party over the feasible set (null when it is empty). */
  readonly worst: UtilityPair | null;
  private readonly made: (FrontierPoint | undefined)[];
  private readonly source: LazySource;
  private all: readonly FrontierPoint[] | undefined;
  private readonly offerLists: [IndexedOffer[] | undefined, IndexedOffer[] | undefined] = [undefined, undefined];
  private readonly madeOffers: [(IndexedOffer | undefined)[], (IndexedOffer | undefined)[]] = [[], []];

  /** The frontier of outcomes `index` (in frontier order) of `e`, with their utilities in t0 and t1 (by outcome). */
  constructor(e: Enumeration, t0: ArrayLike<number>, t1: ArrayLike<number>, index: Int32Array, extras: FrontierExtras = {}) {
    const n = index.length;
    this.u0 = new Float64Array(n);
    this.u1 = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = index[k] as number;
      this.u0[k] = t0[i] as number;
      this.u1[k] = t1[i] as number;
    }
    this.worst = extras.worst ?? DiscreteFrontier.worstOf(this.u0, this.u1);
    this.made = new Array<FrontierPoint | undefined>(n);
    this.source = { e, index };
  }

  private static worstOf(u0: Float64Array, u1: Float64Array): UtilityPair | null {
    return u0.length === 0 ? null : [u0.reduce((a, b) => Math.min(a, b)), u1.reduce((a, b) => Math.min(a, b))];
  }

  /** Number of points. */
  get size(): number {
    return this.u0.length;
  }

  /** Point k (0 <= k < size), made on first use. */
  point(k: number): FrontierPoint {
    let p = this.made[k];
    if (p === undefined) {
      const src = this.source;
      p = Object.freeze({ outcome: src.e.outcome(src.index[k] as number), utilities: Object.freeze([this.u0[k] as number, this.u1[k] as number] as const) });
      this.made[k] = p;
    }
    return p;
  }

  /** Every point, in frontier order (made on first use of this property). */
  get points(): readonly FrontierPoint[] {
    if (this.all === undefined) this.all = Array.from({ length: this.size }, (_, k) => this.point(k));
    return this.all;
  }

  /**
   * Position of the point maximising party's utility subject to the other's utility >= floor (up to rounding
   * of the floor), or -1 when no point reaches the floor.
   */
  indexFor(party: PartyIndex, floor: number): number {
    const f = floor - utilityTolerance(floor);
    const n = this.u0.length;
    let lo = 0;
    let hi = n;
    if (party === 0) {
      // First point whose u1 reaches the floor: u1 ascends, so it has the largest u0 among those that do.
      const u1 = this.u1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((u1[mid] as number) < f) lo = mid + 1;
        else hi = mid;
      }
      return lo < n ? lo : -1;
    }
    // Last point whose u0 reaches the floor: u0 descends, so it has the largest u1 among those that do.
    const u0 = this.u0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((u0[mid] as number) >= f) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  bestFor(party: PartyIndex, floor: number): FrontierPoint | null {
    const k = this.indexFor(party, floor);
    return k >= 0 ? this.point(k) : null;
  }

  /**
   * Point k as a prebuilt offer valued by `party` (utility = party's own), made once per point and party and
   * sharing its action with the other party's offer of the same point; undefined outside 0..size-1.
   */
  offer(party: PartyIndex, k: number): IndexedOffer | undefined {
    if (!(k >= 0 && k < this.u0.length)) return undefined;
    const mine = this.madeOffers[party];
    let o = mine[k];
    if (o === undefined) {
      const p = this.point(k);
      const action = this.madeOffers[1 - party]?.[k]?.action ?? Object.freeze({ type: 'offer' as const, outcome: p.outcome });
      o = Object.freeze({ outcome: p.outcome, utility: p.utilities[party], action });
      mine[k] = o;
    }
    return o;
  }

  /** The points as prebuilt offers valued by `party`, in frontier order (see offer). */
  offers(party: PartyIndex): readonly IndexedOffer[] {
    let list = this.offerLists[party];
    if (list === undefined) {
      list = Array.from({ length: this.size }, (_, k) => this.offer(party, k) as IndexedOffer);
      this.offerLists[party] = list;
    }
    return list;
  }
}

const FRONTIERS = Symbol('tradesim.frontiers');

/** Frontiers of (f0, f1) per bounded context, kept on f0 (cache.ts: memo) so they die with the utilities. */
function frontierCache(f0: UtilityFn, f1: UtilityFn): WeakMap<BoundedContext, DiscreteFrontier> {
  const by0 = memo(f0, FRONTIERS, () => new WeakMap<UtilityFn, WeakMap<BoundedContext, DiscreteFrontier>>());
  let cache = by0.get(f1);
  if (cache === undefined) {
    cache = new WeakMap();
    by0.set(f1, cache);
  }
  return cache;
}

/**
 * The Pareto frontier of the feasible outcomes of a discrete (or discretised) space under two utility
 * functions. Memoised per (u0, u1, grid, bounds).
 *
 * Ties: of several outcomes with identical utilities to both parties, the first in enumeration order is the
 * frontier point (the rule of paretoFrontierIndices, whose answer this is).
 */
export function spaceFrontier(space: OutcomeSpace, utilities: readonly [UtilityFn, UtilityFn], resolution?: number): DiscreteFrontier {
  const [f0, f1] = utilities;
  const ctx = spaceContext(space, resolution);
  const cache = frontierCache(f0, f1);
  const hit = cache.get(ctx);
  if (hit !== undefined) return hit;
  const e = ctx.grid.enumeration;
  const frontier = feasibleFrontier(e, utilityTable(e, f0), utilityTable(e, f1), ctx.feasibleMask());
  cache.set(ctx, frontier);
  return frontier;
}

/** Most buckets used to prune dominated outcomes before sorting. */
const MAX_BUCKETS = 1024;

/**
 * paretoFrontierIndices over the outcomes allowed by `mask` (null: all), without sorting them all.
 *
 * An outcome strictly dominated by a feasible outcome can never be on the frontier, and dropping it does not
 * change what the sort-and-scan keeps (whatever would have hidden a kept point's rival is itself kept or
 * strictly dominated by something kept). So outcomes are first bucketed by u0; one whose u1 is below the best
 * u1 of a higher bucket (hence strictly lower in both utilities than that outcome) is dropped. The few
 * survivors are sorted and scanned. Linear in the grid instead of N log N, which matters on cold caches.
 */
function feasibleFrontier(e: Enumeration, t0: Float64Array, t1: Float64Array, mask: Uint8Array | null): DiscreteFrontier {
  const n = e.count;
  let feasible = 0;
  let min0 = Infinity;
  let max0 = -Infinity;
  let min1 = Infinity;
  for (let i = 0; i < n; i++) {
    if (mask !== null && mask[i] === 0) continue;
    feasible++;
    const a = t0[i] as number;
    const b = t1[i] as number;
    if (a < min0) min0 = a;
    if (a > max0) max0 = a;
    if (b < min1) min1 = b;
  }
  if (feasible === 0) return new DiscreteFrontier(e, t0, t1, new Int32Array(0));
  const buckets = Math.min(MAX_BUCKETS, Math.ceil(4 * Math.sqrt(feasible)));
  const ratio = buckets / (max0 - min0);
  const scale = Number.isFinite(ratio) ? ratio : 0;
  const last = buckets - 1;
  const lo = min0;
  // The bucket of u0 is Math.min(last, Math.floor((u0 - lo) * scale)), monotone in u0: a higher bucket means a
  // strictly higher u0. Written out in each loop: a closure over min0 kept it (and the loops' reads and
  // writes of it) in a heap context, which made this function several times slower.
  const top = new Float64Array(buckets).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    if (mask !== null && mask[i] === 0) continue;
    const k = Math.min(last, Math.floor(((t0[i] as number) - lo) * scale));
    if ((t1[i] as number) > (top[k] as number)) top[k] = t1[i] as number;
  }
  // above[k]: best u1 in the buckets above k.
  const above = new Float64Array(buckets);
  for (let k = buckets - 1, best = -Infinity; k >= 0; k--) {
    above[k] = best;
    if ((top[k] as number) > best) best = top[k] as number;
  }
  const survivors: number[] = [];
  for (let i = 0; i < n; i++) {
    if (mask !== null && mask[i] === 0) continue;
    if ((t1[i] as number) >= (above[Math.min(last, Math.floor(((t0[i] as number) - lo) * scale))] as number)) survivors.push(i);
  }
  return new DiscreteFrontier(e, t0, t1, paretoFrontierIndices(t0, t1, survivors), { worst: [min0, min1] });
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
  // Directions are memoised per (utility, grid) by the offer index.
  const d0 = singleIssueDirection(space, utilities[0]);
  if (d0 === null) return null;
  const d1 = singleIssueDirection(space, utilities[1]);
  if (d1 === null) return null;
  const f0 = (x: number): number => utilities[0]([x]);
  const f1 = (x: number): number => utilities[1]([x]);
  return new ContinuousFrontier([f0, f1], [d0, d1], issue.min, effectiveMax(space)[0] as number);
}

/** The exact continuous frontier when there is one, otherwise the (discretised) discrete frontier. */
export function bargainingFrontier(
  space: OutcomeSpace,
  utilities: readonly [UtilityFn, UtilityFn],
  resolution?: number,
): BargainingFrontier {
  return continuousFrontier(space, utilities) ?? spaceFrontier(space, utilities, resolution);
}
