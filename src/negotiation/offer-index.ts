/**
 * "Which feasible outcome gives me utility closest to / at least u?" answered in O(log n).
 *
 * Discrete (or discretised) spaces: the feasible outcomes are ordered by utility per (utility function, grid,
 * bound vector), lazily from the best down (LazyOrder), so a negotiation pays for the outcomes its strategies
 * reach rather than for a sort of the grid; the order and the utility table are shared by every negotiation
 * with the same preferences. A single continuous issue with a monotone utility is inverted by bisection
 * instead, so targets are met exactly (the Rubinstein split needs that).
 *
 * Ties: outcomes of equal utility are ordered by enumeration position (row-major, the last issue varying
 * fastest). `atLeast`, `closest` and `worst` therefore return the first in that order among equals, and
 * `best` (the top of the list) the last. The order is fixed by the grid and the utility alone, never by
 * the state of the caches.
 */
import { memo, memoIfMade } from './cache.js';
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

/** Runs of at most this many outcomes are sorted by insertion. */
const INSERTION_SORT_MAX = 32;
/** The first slab reaches this share of the utility range below the best outcome. */
const FIRST_SPAN = 1 / 8;

/**
 * Outcomes in ascending utility order, ties in enumeration order, sorted lazily from the top: rank for rank
 * the order a full sort gives, but only the ranks a query reaches are ever sorted.
 *
 * What is sorted is always a suffix: every outcome of utility >= `threshold`, at the top ranks. A query
 * below the threshold lowers it (to at least twice as far below the best outcome, so a walk down the order
 * scans the outcomes O(log) times) and sorts the slab of outcomes it adds, which all rank below the suffix.
 * Rank 0 (the worst outcome) is known from the first scan. A time-dependent strategy thus pays for the
 * outcomes above its lowest target, not for a sort of the whole grid: with fresh utilities for every
 * negotiation, that sort was most of a negotiation's cost.
 */
class LazyOrder {
  /** Number of outcomes in the order (those `mask` allows). */
  readonly size: number;
  /** Utility by enumeration position (the whole grid's). */
  private readonly table: Float64Array;
  private readonly mask: Uint8Array | null;
  /** Lowest and highest utility, and the first enumeration position with the lowest (rank 0). */
  private readonly lo: number;
  private readonly hi: number;
  private readonly lowest: number;
  /**
   * The sorted suffix from the top down: the enumeration position and utility of ranks size - 1, size - 2,
   * ... Plain arrays, grown as slabs join, because most of them stay short.
   */
  private readonly down: number[] = [];
  private readonly downUtility: number[] = [];
  /** Every outcome of utility >= threshold is in the sorted suffix (+Infinity: none yet). */
  private threshold = Infinity;

  constructor(table: Float64Array, mask: Uint8Array | null) {
    this.table = table;
    this.mask = mask;
    let lo = Infinity;
    let hi = -Infinity;
    let lowest = -1;
    let size = 0;
    for (let i = 0; i < table.length; i++) {
      if (mask !== null && mask[i] === 0) continue;
      const u = table[i] as number;
      size++;
      if (u < lo) {
        lo = u;
        lowest = i;
      }
      if (u > hi) hi = u;
    }
    this.lo = lo;
    this.hi = hi;
    this.lowest = lowest;
    this.size = size;
  }

  /** Enumeration position at rank r (0 <= r < size). */
  position(r: number): number {
    const j = this.size - 1 - r;
    if (j >= this.down.length) {
      if (r === 0) return this.lowest;
      while (j >= this.down.length) this.extend(this.threshold);
    }
    return this.down[j] as number;
  }

  /** First rank whose utility is >= target (size when none; 0 for NaN, as a binary search gives). */
  lowerBound(target: number): number {
    if (!(target > this.lo)) return 0;
    if (target > this.hi) return this.size;
    if (target < this.threshold) this.extend(target);
    // How many of the sorted top outcomes reach the target.
    const u = this.downUtility;
    let a = 0;
    let b = u.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((u[mid] as number) >= target) a = mid + 1;
      else b = mid;
    }
    return this.size - a;
  }

  /**
   * Lowers the threshold to target or below (at least twice as far below the best as before, and at least
   * FIRST_SPAN of the range; to the bottom once that reaches it) and sorts the slab of outcomes that join.
   */
  private extend(target: number): void {
    const { hi, lo, table, mask } = this;
    const span = Math.max(2 * (hi - this.threshold), (hi - lo) * FIRST_SPAN, hi - target);
    let next = Math.min(target, hi - span);
    // Rounding can stall a tiny span below a huge utility: then take everything.
    if (!(next < this.threshold) || next <= lo) next = -Infinity;
    const slab = scratch(table.length);
    let m = 0;
    let slabLo = Infinity;
    let slabHi = -Infinity;
    for (let i = 0; i < table.length; i++) {
      if (mask !== null && mask[i] === 0) continue;
      const u = table[i] as number;
      if (u >= next && u < this.threshold) {
        slab[m++] = i;
        if (u < slabLo) slabLo = u;
        if (u > slabHi) slabHi = u;
      }
    }
    sortRange(slab, m, table, slabLo, slabHi);
    for (let q = m - 1; q >= 0; q--) {
      const o = slab[q] as number;
      this.down.push(o);
      this.downUtility.push(table[o] as number);
    }
    this.threshold = next;
  }
}

/** Scratch for a slab and for sortRange's counting pass: one each per thread, reused, grown as needed. */
let slabScratch = new Int32Array(1024);
let sortScratch = new Int32Array(1024);
let countScratch = new Int32Array(256);

function scratch(n: number): Int32Array {
  if (slabScratch.length < n) slabScratch = new Int32Array(n);
  return slabScratch;
}

/**
 * Sorts order[0..m) by table[order[i]] ascending, stably (the slab arrives in enumeration order, so ties stay
 * in it); every key lies in [lo, hi]. Short runs by insertion; longer ones by a counting pass into about m / 4
 * buckets of equal utility width (a non-decreasing map, so ties share a bucket), then each bucket by
 * insertion, or by the radix argsort when ties or a tight cluster crowd one.
 */
function sortRange(order: Int32Array, m: number, table: Float64Array, lo: number, hi: number): void {
  if (m <= INSERTION_SORT_MAX) {
    insertionSort(order, 0, m, table);
    return;
  }
  const buckets = m >> 2;
  const scale = buckets / (hi - lo);
  if (!(scale > 0 && Number.isFinite(scale))) {
    radixSort(order, 0, m, table);
    return;
  }
  if (countScratch.length < buckets + 1) countScratch = new Int32Array(2 * buckets + 1);
  if (sortScratch.length < m) sortScratch = new Int32Array(order.length);
  const count = countScratch;
  const out = sortScratch;
  const last = buckets - 1;
  count.fill(0, 0, buckets + 1);
  for (let q = 0; q < m; q++) (count[Math.min(last, Math.floor(((table[order[q] as number] as number) - lo) * scale)) + 1] as number)++;
  for (let k = 1; k <= buckets; k++) count[k] = (count[k] as number) + (count[k - 1] as number);
  // Placing a bucket's outcomes moves its start to the next bucket's: count[k] ends as bucket k's end.
  for (let q = 0; q < m; q++) {
    const o = order[q] as number;
    const k = Math.min(last, Math.floor(((table[o] as number) - lo) * scale));
    out[count[k] as number] = o;
    count[k] = (count[k] as number) + 1;
  }
  order.set(out.subarray(0, m));
  for (let k = 0, a = 0; k < buckets; k++) {
    const b = count[k] as number;
    if (b - a <= INSERTION_SORT_MAX) insertionSort(order, a, b, table);
    else radixSort(order, a, b, table);
    a = b;
  }
}

/** Stable insertion sort of order[a..b) by table value. */
function insertionSort(order: Int32Array, a: number, b: number, table: Float64Array): void {
  for (let i = a + 1; i < b; i++) {
    const o = order[i] as number;
    const u = table[o] as number;
    let j = i - 1;
    while (j >= a && (table[order[j] as number] as number) > u) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = o;
  }
}

/** Stable sort of order[a..b) by table value through the radix argsort (linear, whatever the ties). */
function radixSort(order: Int32Array, a: number, b: number, table: Float64Array): void {
  const keys = new Float64Array(b - a);
  for (let i = a; i < b; i++) keys[i - a] = table[order[i] as number] as number;
  const perm = argsortAscending(keys);
  const positions = order.slice(a, b);
  for (let j = 0; j < perm.length; j++) order[a + j] = positions[perm[j] as number] as number;
}

/**
 * Per (utility, grid): the utility table and the offers handed out so far, shared by the index of the whole
 * grid and of every bound vector over it.
 */
class GridIndexes {
  readonly enumeration: Enumeration;
  readonly table: Float64Array;
  /** Offers by enumeration position, made on first use (most outcomes are never offered). */
  private readonly offers: (IndexedOffer | undefined)[];
  /** The index over the whole grid (no upper bounds), built on first use. */
  private unbounded: SortedIndex | undefined;
  /** Indexes per bound vector, made when the first bounded space comes. */
  private byBounds: WeakMap<BoundedContext, SortedIndex> | undefined;

  constructor(enumeration: Enumeration, utility: UtilityFn) {
    this.enumeration = enumeration;
    this.table = utilityTable(enumeration, utility);
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
    this.unbounded ??= new SortedIndex(this, new LazyOrder(this.table, null));
    return this.unbounded;
  }

  /** The index restricted to the outcomes within the context's bounds (cached per context). */
  restricted(ctx: BoundedContext): SortedIndex {
    const mask = ctx.feasibleMask();
    if (mask === null) return this.all();
    this.byBounds ??= new WeakMap();
    let hit = this.byBounds.get(ctx);
    if (hit === undefined) {
      hit = new SortedIndex(this, new LazyOrder(this.table, mask));
      this.byBounds.set(ctx, hit);
    }
    return hit;
  }
}

/** Feasible outcomes in ascending utility, ties in enumeration order (see LazyOrder). */
class SortedIndex implements OfferIndex {
  readonly size: number;
  readonly best: IndexedOffer | undefined;
  readonly worst: IndexedOffer | undefined;
  private readonly grid: GridIndexes;
  private readonly order: LazyOrder;

  constructor(grid: GridIndexes, order: LazyOrder) {
    this.grid = grid;
    this.order = order;
    this.size = order.size;
    this.worst = this.at(0);
    this.best = this.at(this.size - 1);
  }

  private at(k: number): IndexedOffer | undefined {
    return k >= 0 && k < this.size ? this.grid.offer(this.order.position(k)) : undefined;
  }

  atLeast(target: number): IndexedOffer | undefined {
    // A target computed by formula may overshoot an exact utility by rounding; allow for it.
    return this.at(this.order.lowerBound(target - utilityTolerance(target)));
  }

  closest(target: number): IndexedOffer | undefined {
    const i = this.order.lowerBound(target);
    const above = this.at(i);
    const below = this.at(i - 1);
    if (above === undefined) return below;
    if (below === undefined) return above;
    return above.utility - target <= target - below.utility ? above : below;
  }

  sampleAtLeast(minUtility: number, random: () => number): IndexedOffer | undefined {
    const from = this.order.lowerBound(minUtility - utilityTolerance(minUtility));
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
// Caches. Kept on the utility function object (cache.ts: memo), so preferences that die free their tables and
// indexes at once, then keyed by the shared grid / bounded contexts (space-context.ts), which bound how many
// grids and bound vectors live.
// ---------------------------------------------------------------------------------------------------------

/** What the engine keeps for one utility function; each map made when first needed. */
interface PerUtility {
  tables: WeakMap<Enumeration, Float64Array> | undefined;
  grids: WeakMap<GridContext, GridIndexes> | undefined;
  /** Monotonicity of the utility on a single continuous issue, per grid (null: not monotone). */
  directions: WeakMap<GridContext, Direction | null> | undefined;
  monotone: WeakMap<BoundedContext, MonotoneIndex> | undefined;
}

const PER_UTILITY = Symbol('tradesim.perUtility');

function perUtility(utility: UtilityFn): PerUtility {
  return memo<PerUtility>(utility, PER_UTILITY, () => ({ tables: undefined, grids: undefined, directions: undefined, monotone: undefined }));
}

const BY_INDEX = Symbol('tradesim.byIndex');

/**
 * A utility over an index space (one discrete issue whose values are 0, 1, ..., n - 1: e.g. a menu of
 * packages) given as its values by index: u([x]) = values[x rounded, clamped to 0..n-1]. The engine reads
 * the values as the utility table instead of calling the function once per outcome, which is most of what
 * tabulating costs when the caller has the values already.
 */
export function tabulatedUtility(values: Float64Array): UtilityFn {
  const last = values.length - 1;
  const u: UtilityFn = (o) => values[Math.min(last, Math.max(0, Math.round(o[0] ?? 0)))] as number;
  Object.defineProperty(u, BY_INDEX, { value: values });
  return u;
}

/** The values of a tabulatedUtility when `e` enumerates exactly its index space (0..n-1 in order), else undefined. */
function tableByIndex(e: Enumeration, utility: UtilityFn): Float64Array | undefined {
  const byIndex = (utility as { readonly [BY_INDEX]?: Float64Array })[BY_INDEX];
  if (byIndex === undefined || e.dims !== 1 || e.count !== byIndex.length) return undefined;
  for (let i = 0; i < e.count; i++) if (e.values[i] !== i) return undefined;
  return byIndex;
}

/** Utility of every enumerated outcome, memoised per (utility function, enumeration). */
export function utilityTable(enumeration: Enumeration, utility: UtilityFn): Float64Array {
  const p = perUtility(utility);
  p.tables ??= new WeakMap();
  const hit = p.tables.get(enumeration);
  if (hit !== undefined) return hit;
  let table = tableByIndex(enumeration, utility);
  if (table !== undefined) {
    for (let i = 0; i < table.length; i++) {
      const u = table[i] as number;
      if (!Number.isFinite(u)) throw new Error(`utility function returned ${u} for outcome [${i}]`);
    }
  } else {
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
  }
  p.tables.set(enumeration, table);
  return table;
}

/** The utility table when it has already been built, without building it. */
export function utilityTableIfBuilt(enumeration: Enumeration, utility: UtilityFn): Float64Array | undefined {
  return memoIfMade<PerUtility>(utility, PER_UTILITY)?.tables?.get(enumeration);
}

function direction(p: PerUtility, ctx: BoundedContext, space: OutcomeSpace, utility: UtilityFn): Direction | null {
  const issue = space.issues[0];
  if (space.issues.length !== 1 || issue === undefined || !isContinuous(issue)) return null;
  p.directions ??= new WeakMap();
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
 * object over the same grid and bound vector orders its outcomes once, whatever the negotiation.
 * `resolution` (values per continuous issue when the space must be enumerated) defaults to
 * autoResolution(space).
 */
export function offerIndex(space: OutcomeSpace, utility: UtilityFn, resolution?: number): OfferIndex {
  const p = perUtility(utility);
  const ctx = spaceContext(space, resolution);
  const d = direction(p, ctx, space, utility);
  const issue = space.issues[0];
  if (d !== null && issue !== undefined) {
    p.monotone ??= new WeakMap();
    let idx = p.monotone.get(ctx);
    if (idx === undefined) {
      idx = new MonotoneIndex(utility, issue.min, effectiveMax(space)[0] as number, d);
      p.monotone.set(ctx, idx);
    }
    return idx;
  }
  p.grids ??= new WeakMap();
  let grid = p.grids.get(ctx.grid);
  if (grid === undefined) {
    grid = new GridIndexes(ctx.grid.enumeration, utility);
    p.grids.set(ctx.grid, grid);
  }
  return grid.restricted(ctx);
}
