/**
 * "Which feasible outcome gives me utility closest to / at least u?" answered in O(log n).
 *
 * Discrete (or discretised) spaces: outcomes are sorted by utility once per (utility function, grid) and the
 * sort is shared by every negotiation with the same preferences; upper bounds are applied by filtering that
 * sorted list once per distinct bound vector. A single continuous issue with a monotone utility is inverted
 * by bisection instead, so targets are met exactly (the Rubinstein split needs that).
 *
 * Ties: outcomes of equal utility are ordered by enumeration position (row-major, the last issue varying
 * fastest). `atLeast`, `closest` and `worst` therefore return the first in that order among equals, and
 * `best` (the top of the list) the last. The order is fixed by the grid and the utility alone, never by
 * the state of the caches.
 */
import { argsortAscending, bisectBoundary, monotoneDirection, utilityTolerance, type Direction } from './numeric.js';
import { effectiveMax, isContinuous, type Enumeration } from './outcome-space.js';
import { spaceContext, type BoundedContext, type GridContext } from './space-context.js';
import type { Action, Outcome, OutcomeSpace, UtilityFn } from './types.js';

export interface IndexedOffer {
  readonly outcome: Outcome;
  /** The owner's undiscounted utility of the outcome. */
  readonly utility: number;
  /** A prebuilt `{ type: 'offer' }` action, so strategies can answer without allocating. */
  readonly action: Action;
}

export interface OfferIndex {
  /** Number of feasible outcomes (Infinity on a continuous issue; 0 when nothing is feasible). */
  readonly size: number;
  readonly best: IndexedOffer | undefined;
  readonly worst: IndexedOffer | undefined;
  /** The feasible outcome of lowest utility that is still >= target; undefined when target exceeds the best. */
  atLeast(target: number): IndexedOffer | undefined;
  /** The feasible outcome whose utility is closest to target (ties: the higher one). */
  closest(target: number): IndexedOffer | undefined;
  /** A feasible outcome with utility >= minUtility drawn uniformly (over outcomes, or over the issue). */
  sampleAtLeast(minUtility: number, random: () => number): IndexedOffer | undefined;
}

function makeOffer(outcome: Outcome, utility: number): IndexedOffer {
  return Object.freeze({ outcome, utility, action: Object.freeze({ type: 'offer', outcome }) });
}

/**
 * Per (utility, grid): every enumerated outcome sorted by the owner's utility, ascending, ties in enumeration
 * order (row-major, last issue fastest), and the offers handed out so far. Shared by the index of every bound
 * vector over the grid, which keeps positions into this order.
 */
class GridIndexes {
  readonly enumeration: Enumeration;
  readonly table: Float64Array;
  /** Enumeration position of each sorted position. */
  readonly order: Int32Array;
  /** Utility at each sorted position. */
  readonly sorted: Float64Array;
  /** Offers by enumeration position, made on first use (most outcomes are never offered). */
  private readonly offers: (IndexedOffer | undefined)[];
  /** The index over the whole grid (no upper bounds), built on first use. */
  private unbounded: SortedIndex | undefined;
  readonly byBounds = new WeakMap<BoundedContext, SortedIndex>();

  constructor(enumeration: Enumeration, utility: UtilityFn) {
    const table = utilityTable(enumeration, utility);
    // Ascending utility, ties by enumeration position, so every run picks the same outcome among equals.
    const order = argsortAscending(table);
    const sorted = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) sorted[k] = table[order[k] as number] as number;
    this.enumeration = enumeration;
    this.table = table;
    this.order = order;
    this.sorted = sorted;
    this.offers = new Array<IndexedOffer | undefined>(enumeration.count);
  }

  offer(position: number): IndexedOffer {
    let o = this.offers[position];
    if (o === undefined) {
      o = makeOffer(this.enumeration.outcome(position), this.table[position] as number);
      this.offers[position] = o;
    }
    return o;
  }

  all(): SortedIndex {
    this.unbounded ??= new SortedIndex(this, this.sorted, this.order);
    return this.unbounded;
  }

  /** The index restricted to the outcomes within the context's bounds (cached per context). */
  restricted(ctx: BoundedContext): SortedIndex {
    const mask = ctx.feasibleMask();
    if (mask === null) return this.all();
    let hit = this.byBounds.get(ctx);
    if (hit === undefined) {
      const { order, sorted } = this;
      let n = 0;
      for (let k = 0; k < order.length; k++) n += mask[order[k] as number] as number;
      const utils = new Float64Array(n);
      const positions = new Int32Array(n);
      for (let k = 0, j = 0; k < order.length; k++) {
        const o = order[k] as number;
        if (mask[o] === 0) continue;
        utils[j] = sorted[k] as number;
        positions[j++] = o;
      }
      hit = new SortedIndex(this, utils, positions);
      this.byBounds.set(ctx, hit);
    }
    return hit;
  }
}

/** Sorted (ascending utility, ties in enumeration order) list of feasible outcomes. */
class SortedIndex implements OfferIndex {
  readonly size: number;
  readonly best: IndexedOffer | undefined;
  readonly worst: IndexedOffer | undefined;
  private readonly grid: GridIndexes;
  private readonly utils: Float64Array;
  /** Enumeration position of each entry. */
  private readonly positions: Int32Array;

  constructor(grid: GridIndexes, utils: Float64Array, positions: Int32Array) {
    this.grid = grid;
    this.utils = utils;
    this.positions = positions;
    this.size = utils.length;
    this.worst = this.at(0);
    this.best = this.at(this.size - 1);
  }

  private at(k: number): IndexedOffer | undefined {
    return k >= 0 && k < this.size ? this.grid.offer(this.positions[k] as number) : undefined;
  }

  /** First position whose utility is >= target (size when none). */
  private lowerBound(target: number): number {
    const u = this.utils;
    let lo = 0;
    let hi = u.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((u[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  atLeast(target: number): IndexedOffer | undefined {
    // A target computed by formula may overshoot an exact utility by rounding; allow for it.
    return this.at(this.lowerBound(target - utilityTolerance(target)));
  }

  closest(target: number): IndexedOffer | undefined {
    const i = this.lowerBound(target);
    const above = this.at(i);
    const below = this.at(i - 1);
    if (above === undefined) return below;
    if (below === undefined) return above;
    return above.utility - target <= target - below.utility ? above : below;
  }

  sampleAtLeast(minUtility: number, random: () => number): IndexedOffer | undefined {
    const from = this.lowerBound(minUtility - utilityTolerance(minUtility));
    const n = this.size - from;
    if (n <= 0) return undefined;
    return this.at(from + Math.min(n - 1, Math.floor(random() * n)));
  }
}

/** A single continuous issue with a monotone utility: inverted by bisection on the issue. */
class MonotoneIndex implements OfferIndex {
  readonly size: number;
  readonly best: IndexedOffer | undefined;
  readonly worst: IndexedOffer | undefined;
  private readonly u: (x: number) => number;
  private readonly lo: number;
  private readonly hi: number;
  private readonly direction: Direction;

  constructor(utility: UtilityFn, lo: number, hi: number, direction: Direction) {
    this.lo = lo;
    this.hi = hi;
    this.direction = direction;
    this.u = (x) => utility([x]);
    if (hi < lo) {
      this.size = 0;
      this.best = undefined;
      this.worst = undefined;
      return;
    }
    this.size = Infinity;
    const atLo = makeOffer(Object.freeze([lo]), this.u(lo));
    const atHi = makeOffer(Object.freeze([hi]), this.u(hi));
    this.best = direction > 0 ? atHi : atLo;
    this.worst = direction > 0 ? atLo : atHi;
  }

  atLeast(target: number): IndexedOffer | undefined {
    const { best, worst } = this;
    if (best === undefined || worst === undefined) return undefined;
    if (target <= worst.utility) return worst;
    if (target > best.utility + utilityTolerance(target)) return undefined;
    if (target >= best.utility) return best;
    // Bisect from the best end toward the worst end for the last x still reaching target.
    const x = bisectBoundary((v) => this.u(v) >= target, this.bestX(), this.worstX());
    return makeOffer(Object.freeze([x]), this.u(x));
  }

  closest(target: number): IndexedOffer | undefined {
    const { best, worst } = this;
    if (best === undefined || worst === undefined) return undefined;
    if (target >= best.utility) return best;
    if (target <= worst.utility) return worst;
    return this.atLeast(target);
  }

  sampleAtLeast(minUtility: number, random: () => number): IndexedOffer | undefined {
    const edge = this.atLeast(minUtility);
    if (edge === undefined) return undefined;
    const from = edge.outcome[0] as number;
    const x = from + (this.bestX() - from) * random();
    return makeOffer(Object.freeze([x]), this.u(x));
  }

  private bestX(): number {
    return this.direction > 0 ? this.hi : this.lo;
  }

  private worstX(): number {
    return this.direction > 0 ? this.lo : this.hi;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Caches. Keyed by the utility function object first, so preferences that die free their indexes, then by
// the shared grid / bounded contexts (space-context.ts), which bound how many grids and bound vectors live.
// ---------------------------------------------------------------------------------------------------------

const tables = new WeakMap<UtilityFn, WeakMap<Enumeration, Float64Array>>();

/** Utility of every enumerated outcome, memoised per (utility function, enumeration). */
export function utilityTable(enumeration: Enumeration, utility: UtilityFn): Float64Array {
  let perFn = tables.get(utility);
  if (perFn === undefined) {
    perFn = new WeakMap();
    tables.set(utility, perFn);
  }
  let table = perFn.get(enumeration);
  if (table === undefined) {
    const { count, dims, values } = enumeration;
    table = new Float64Array(count);
    // One scratch row, refilled per outcome (utilities are pure functions of the values: see UtilityFn), so
    // tabulating does not make an array per outcome.
    const row = new Array<number>(dims).fill(0);
    for (let i = 0; i < count; i++) {
      for (let d = 0; d < dims; d++) row[d] = values[i * dims + d] as number;
      const u = utility(row);
      if (!Number.isFinite(u)) throw new Error(`utility function returned ${u} for outcome [${row.join(', ')}]`);
      table[i] = u;
    }
    perFn.set(enumeration, table);
  }
  return table;
}

/** The utility table when it has already been built, without building it. */
export function utilityTableIfBuilt(enumeration: Enumeration, utility: UtilityFn): Float64Array | undefined {
  return tables.get(utility)?.get(enumeration);
}

interface PerUtility {
  readonly grids: WeakMap<GridContext, GridIndexes>;
  /** Monotonicity of the utility on a single continuous issue, per grid (null: not monotone). */
  readonly directions: WeakMap<GridContext, Direction | null>;
  readonly monotone: WeakMap<BoundedContext, MonotoneIndex>;
}

const indexes = new WeakMap<UtilityFn, PerUtility>();

function perUtility(utility: UtilityFn): PerUtility {
  let p = indexes.get(utility);
  if (p === undefined) {
    p = { grids: new WeakMap(), directions: new WeakMap(), monotone: new WeakMap() };
    indexes.set(utility, p);
  }
  return p;
}

function direction(p: PerUtility, ctx: BoundedContext, space: OutcomeSpace, utility: UtilityFn): Direction | null {
  const issue = space.issues[0];
  if (space.issues.length !== 1 || issue === undefined || !isContinuous(issue)) return null;
  let d = p.directions.get(ctx.grid);
  if (d === undefined) {
    d = monotoneDirection((x) => utility([x]), issue.min, issue.max);
    p.directions.set(ctx.grid, d);
  }
  return d;
}

/**
 * Direction of a utility on the single continuous issue of `space` (null when the space is not a single
 * continuous issue or the utility is not monotone on it).
 */
export function singleIssueDirection(space: OutcomeSpace, utility: UtilityFn): Direction | null {
  return direction(perUtility(utility), spaceContext(space), space, utility);
}

/**
 * The offer index of `utility` over the feasible outcomes of `space`. Memoised: the same utility function
 * object over the same grid sorts once, whatever the negotiation, and filters once per bound vector.
 * `resolution` (values per continuous issue when the space must be enumerated) defaults to
 * autoResolution(space).
 */
export function offerIndex(space: OutcomeSpace, utility: UtilityFn, resolution?: number): OfferIndex {
  const p = perUtility(utility);
  const ctx = spaceContext(space, resolution);
  const d = direction(p, ctx, space, utility);
  const issue = space.issues[0];
  if (d !== null && issue !== undefined) {
    let idx = p.monotone.get(ctx);
    if (idx === undefined) {
      idx = new MonotoneIndex(utility, issue.min, effectiveMax(space)[0] as number, d);
      p.monotone.set(ctx, idx);
    }
    return idx;
  }
  let grid = p.grids.get(ctx.grid);
  if (grid === undefined) {
    grid = new GridIndexes(ctx.grid.enumeration, utility);
    p.grids.set(ctx.grid, grid);
  }
  return grid.restricted(ctx);
}
