/**
 * "Which feasible outcome gives me utility closest to / at least u?" answered in O(log n).
 *
 * Discrete (or discretised) spaces: outcomes are sorted by utility once per (utility function, grid) and the
 * sort is shared by every negotiation with the same preferences; upper bounds are applied by filtering that
 * sorted list once per distinct bound vector. A single continuous issue with a monotone utility is inverted
 * by bisection instead, so targets are met exactly (the Rubinstein split needs that).
 */
import { remember } from './cache.js';
import { bisectBoundary, monotoneDirection, utilityTolerance, type Direction } from './numeric.js';
import {
  autoResolution,
  boundsKey,
  effectiveMax,
  enumerateCached,
  gridKey,
  isContinuous,
  withinBounds,
  type Enumeration,
} from './outcome-space.js';
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

/** Sorted (ascending utility) list of feasible outcomes. */
class SortedIndex implements OfferIndex {
  readonly size: number;
  readonly best: IndexedOffer | undefined;
  readonly worst: IndexedOffer | undefined;
  private readonly utils: Float64Array;
  private readonly entries: readonly IndexedOffer[];

  constructor(utils: Float64Array, entries: readonly IndexedOffer[]) {
    this.utils = utils;
    this.entries = entries;
    this.size = entries.length;
    this.worst = entries[0];
    this.best = entries[entries.length - 1];
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
    return this.entries[this.lowerBound(target - utilityTolerance(target))];
  }

  closest(target: number): IndexedOffer | undefined {
    const i = this.lowerBound(target);
    const above = this.entries[i];
    const below = this.entries[i - 1];
    if (above === undefined) return below;
    if (below === undefined) return above;
    return above.utility - target <= target - below.utility ? above : below;
  }

  sampleAtLeast(minUtility: number, random: () => number): IndexedOffer | undefined {
    const from = this.lowerBound(minUtility - utilityTolerance(minUtility));
    const n = this.size - from;
    if (n <= 0) return undefined;
    return this.entries[from + Math.min(n - 1, Math.floor(random() * n))];
  }

  /** The same index restricted to outcomes passing `keep` (position in the enumeration). */
  filter(positions: Int32Array, keep: (outcomeIndex: number) => boolean): SortedIndex {
    const utils: number[] = [];
    const entries: IndexedOffer[] = [];
    for (let i = 0; i < positions.length; i++) {
      if (!keep(positions[i] as number)) continue;
      utils.push(this.utils[i] as number);
      entries.push(this.entries[i] as IndexedOffer);
    }
    return new SortedIndex(Float64Array.from(utils), entries);
  }
}

/** Per (utility, grid): the full sorted index plus its restrictions to each bound vector seen. */
interface GridIndexes {
  readonly enumeration: Enumeration;
  /** Enumeration index of each sorted position. */
  readonly order: Int32Array;
  readonly all: SortedIndex;
  readonly byBounds: Map<string, SortedIndex>;
}

const BOUNDS_CACHE_SIZE = 32;
const GRID_CACHE_SIZE = 8;

function buildGridIndexes(enumeration: Enumeration, utility: UtilityFn): GridIndexes {
  const values = utilityTable(enumeration, utility);
  const order = new Int32Array(enumeration.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Stable on ties (by enumeration index) so every run picks the same outcome among equals.
  order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  const utils = new Float64Array(order.length);
  const entries: IndexedOffer[] = new Array<IndexedOffer>(order.length);
  for (let i = 0; i < order.length; i++) {
    const o = order[i] as number;
    utils[i] = values[o] as number;
    entries[i] = makeOffer(enumeration.outcomes[o] as Outcome, values[o] as number);
  }
  return { enumeration, order, all: new SortedIndex(utils, entries), byBounds: new Map() };
}

function restrict(grid: GridIndexes, space: OutcomeSpace): SortedIndex {
  if (space.upperBounds === undefined) return grid.all;
  const key = boundsKey(space);
  let hit = grid.byBounds.get(key);
  if (hit === undefined) {
    const { values, dims } = grid.enumeration;
    const filtered = grid.all.filter(grid.order, (o) => withinBounds(space, values, o * dims));
    hit = remember(grid.byBounds, key, filtered, BOUNDS_CACHE_SIZE);
  }
  return hit;
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
// Caches. Keyed by the utility function object first, so preferences that die free their indexes.
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
    table = new Float64Array(enumeration.count);
    for (let i = 0; i < enumeration.count; i++) {
      const u = utility(enumeration.outcomes[i] as Outcome);
      if (!Number.isFinite(u)) throw new Error(`utility function returned ${u} for outcome [${enumeration.outcomes[i]?.join(', ')}]`);
      table[i] = u;
    }
    perFn.set(enumeration, table);
  }
  return table;
}

interface PerUtility {
  readonly grids: Map<string, GridIndexes>;
  /** Monotonicity of the utility on a single continuous issue, by grid key (null: not monotone). */
  readonly directions: Map<string, Direction | null>;
  readonly monotone: Map<string, MonotoneIndex>;
  readonly bySpace: WeakMap<OutcomeSpace, OfferIndex>;
}

const indexes = new WeakMap<UtilityFn, PerUtility>();

function perUtility(utility: UtilityFn): PerUtility {
  let p = indexes.get(utility);
  if (p === undefined) {
    p = { grids: new Map(), directions: new Map(), monotone: new Map(), bySpace: new WeakMap() };
    indexes.set(utility, p);
  }
  return p;
}

/**
 * Direction of a utility on the single continuous issue of `space` (null when the space is not a single
 * continuous issue or the utility is not monotone on it).
 */
export function singleIssueDirection(space: OutcomeSpace, utility: UtilityFn): Direction | null {
  const issue = space.issues[0];
  if (space.issues.length !== 1 || issue === undefined || !isContinuous(issue)) return null;
  const p = perUtility(utility);
  const key = gridKey(space);
  if (!p.directions.has(key)) {
    remember(p.directions, key, monotoneDirection((x) => utility([x]), issue.min, issue.max), GRID_CACHE_SIZE);
  }
  return p.directions.get(key) ?? null;
}

/**
 * The offer index of `utility` over the feasible outcomes of `space`. Memoised: the same utility function
 * object over the same grid sorts once, whatever the negotiation. `resolution` (values per continuous
 * issue when the space must be enumerated) defaults to autoResolution(space).
 */
export function offerIndex(space: OutcomeSpace, utility: UtilityFn, resolution?: number): OfferIndex {
  const p = perUtility(utility);
  if (resolution !== undefined) return buildOfferIndex(p, space, utility, resolution);
  // Fast path: the same space object again (the common case in batches) skips building keys.
  let index = p.bySpace.get(space);
  if (index === undefined) {
    index = buildOfferIndex(p, space, utility, autoResolution(space));
    p.bySpace.set(space, index);
  }
  return index;
}

function buildOfferIndex(p: PerUtility, space: OutcomeSpace, utility: UtilityFn, resolution: number): OfferIndex {
  const direction = singleIssueDirection(space, utility);
  const issue = space.issues[0];
  if (direction !== null && issue !== undefined) {
    const key = `${gridKey(space)}|${boundsKey(space)}`;
    let idx = p.monotone.get(key);
    if (idx === undefined) {
      const made = new MonotoneIndex(utility, issue.min, effectiveMax(space)[0] as number, direction);
      idx = remember(p.monotone, key, made, BOUNDS_CACHE_SIZE);
    }
    return idx;
  }
  const key = gridKey(space, resolution);
  let grid = p.grids.get(key);
  if (grid === undefined) {
    grid = remember(p.grids, key, buildGridIndexes(enumerateCached(space, resolution), utility), GRID_CACHE_SIZE);
  }
  return restrict(grid, space);
}
