/**
 * Bargaining solutions: Nash, Kalai-Smorodinsky and utilitarian points on a frontier, Rubinstein's closed
 * forms, and exact single-issue solvers. Entry point for the frontier and equilibrium tools as well.
 */
import {
  continuousFrontier,
  spaceFrontier,
  type ContinuousFrontier,
  type DiscreteFrontier,
  type FrontierPoint,
  type UtilityPair,
} from './frontier.js';
import { bisectBoundary, maximise1d, monotoneDirection, type Direction } from './numeric.js';
import type { OutcomeSpace, PartyIndex, Preferences } from './types.js';

export * from './frontier.js';
export * from './spe.js';

/** Nash product (u0 - d0)(u1 - d1); -Infinity when a gain is negative (the point is not individually rational). */
export function nashProduct(u: UtilityPair, d: UtilityPair): number {
  const g0 = u[0] - d[0];
  const g1 = u[1] - d[1];
  return g0 >= 0 && g1 >= 0 ? g0 * g1 : -Infinity;
}

function isRational(p: FrontierPoint, d: UtilityPair): boolean {
  return p.utilities[0] >= d[0] && p.utilities[1] >= d[1];
}

/** The point maximising the Nash product among points with both gains >= 0 (first on ties); null if none. */
export function nashPoint(points: readonly FrontierPoint[], d: UtilityPair): FrontierPoint | null {
  let best: FrontierPoint | null = null;
  let bestN = -Infinity;
  for (const p of points) {
    const n = nashProduct(p.utilities, d);
    if (n > bestN) {
      best = p;
      bestN = n;
    }
  }
  return best;
}

/** The best utility each party can get in an individually rational point: the KS ideal point. */
function idealPoint(points: readonly FrontierPoint[], d: UtilityPair): UtilityPair | null {
  let i0 = -Infinity;
  let i1 = -Infinity;
  for (const p of points) {
    if (!isRational(p, d)) continue;
    i0 = Math.max(i0, p.utilities[0]);
    i1 = Math.max(i1, p.utilities[1]);
  }
  return i0 === -Infinity ? null : [i0, i1];
}

/** Gain over disagreement as a share of the ideal gain (1 when the ideal gain is zero). */
function normalisedGain(u: number, d: number, ideal: number): number {
  return ideal > d ? (u - d) / (ideal - d) : 1;
}

/**
 * Kalai-Smorodinsky on a discrete set: the individually rational point maximising the smaller normalised
 * gain (on a continuum that is where the gains are equal). Ties: larger total normalised gain, then first.
 */
export function kalaiSmorodinskyPoint(points: readonly FrontierPoint[], d: UtilityPair): FrontierPoint | null {
  const ideal = idealPoint(points, d);
  if (ideal === null) return null;
  let best: FrontierPoint | null = null;
  let bestMin = -Infinity;
  let bestSum = -Infinity;
  for (const p of points) {
    if (!isRational(p, d)) continue;
    const g0 = normalisedGain(p.utilities[0], d[0], ideal[0]);
    const g1 = normalisedGain(p.utilities[1], d[1], ideal[1]);
    const m = Math.min(g0, g1);
    if (m > bestMin || (m === bestMin && g0 + g1 > bestSum)) {
      best = p;
      bestMin = m;
      bestSum = g0 + g1;
    }
  }
  return best;
}

/** The point of largest u0 + u1 (among individually rational points when d is given); first on ties. */
export function utilitarianPoint(points: readonly FrontierPoint[], d?: UtilityPair): FrontierPoint | null {
  let best: FrontierPoint | null = null;
  let bestW = -Infinity;
  for (const p of points) {
    if (d !== undefined && !isRational(p, d)) continue;
    const w = p.utilities[0] + p.utilities[1];
    if (w > bestW) {
      best = p;
      bestW = w;
    }
  }
  return best;
}

/** Euclidean distance between two points of the utility plane. */
export function utilityDistance(a: UtilityPair, b: UtilityPair): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

// ---------------------------------------------------------------------------------------------------------
// Rubinstein closed forms (unit pie, linear utilities, disagreement 0)
// ---------------------------------------------------------------------------------------------------------

/**
 * Infinite-horizon share of the first proposer, whose discount factor is d1 (the responder's is d2).
 * Stationary SPE: the proposer keeps x and the responder is made indifferent, 1 - x = d2 * y, where y is
 * the responder's share when it proposes, and symmetrically 1 - y = d1 * x; so x = (1 - d2) / (1 - d1 d2).
 */
export function rubinsteinShare(d1: number, d2: number): number {
  return (1 - d2) / (1 - d1 * d2);
}

/**
 * Finite-horizon split [share of party 0, share of party 1] of the agreement reached on offer 0, with
 * `deadline` offers, discounts d0 and d1 (agreement on offer k worth d^k times the share) and disagreement 0.
 *
 * Backward induction: the maker of the last offer (k = T-1) takes the whole pie, since the responder gets 0
 * either way and accepts. On offer k the responder q (who proposes offer k+1) accepts iff
 * d_q^k * s >= d_q^(k+1) * x_(k+1), i.e. s >= d_q * x_(k+1), so the proposer keeps x_k = 1 - d_q x_(k+1).
 * With no offers at all (deadline 0) both get 0.
 */
export function rubinsteinFinite(d0: number, d1: number, deadline: number, firstProposer: PartyIndex): readonly [number, number] {
  if (deadline < 1) return [0, 0];
  let x = 1;
  for (let k = deadline - 2; k >= 0; k--) {
    const responder = (firstProposer + k + 1) % 2;
    x = 1 - (responder === 0 ? d0 : d1) * x;
  }
  return firstProposer === 0 ? [x, 1 - x] : [1 - x, x];
}

// ---------------------------------------------------------------------------------------------------------
// Exact single-issue solutions
// ---------------------------------------------------------------------------------------------------------

/** Two utilities of one real issue x in [lo, hi], and the disagreement point. */
export interface SingleIssueProblem {
  readonly u0: (x: number) => number;
  readonly u1: (x: number) => number;
  readonly lo: number;
  readonly hi: number;
  readonly disagreement: UtilityPair;
}

export interface SingleIssueSolution {
  readonly x: number;
  readonly utilities: UtilityPair;
}

function solutionAt(p: SingleIssueProblem, x: number): SingleIssueSolution {
  return { x, utilities: [p.u0(x), p.u1(x)] };
}

/** Where f >= level on [lo, hi] for monotone f: an interval (null when empty). */
function levelSet(f: (x: number) => number, dir: Direction, level: number, lo: number, hi: number): readonly [number, number] | null {
  const best = dir > 0 ? hi : lo;
  const worst = dir > 0 ? lo : hi;
  if (f(best) < level) return null;
  if (f(worst) >= level) return [lo, hi];
  const edge = bisectBoundary((x) => f(x) >= level, best, worst);
  return dir > 0 ? [edge, hi] : [lo, edge];
}

/** The individually rational interval of a problem with monotone utilities (null when empty or not monotone). */
function rationalInterval(p: SingleIssueProblem): { lo: number; hi: number; dirs: readonly [Direction, Direction] } | null {
  const d0 = monotoneDirection(p.u0, p.lo, p.hi);
  const d1 = monotoneDirection(p.u1, p.lo, p.hi);
  if (d0 === null || d1 === null) return null;
  const a = levelSet(p.u0, d0, p.disagreement[0], p.lo, p.hi);
  const b = levelSet(p.u1, d1, p.disagreement[1], p.lo, p.hi);
  if (a === null || b === null) return null;
  const lo = Math.max(a[0], b[0]);
  const hi = Math.min(a[1], b[1]);
  return lo <= hi ? { lo, hi, dirs: [d0, d1] } : null;
}

/**
 * Nash bargaining solution of one real issue: maximises (u0 - d0)(u1 - d1) over the individually rational
 * x. Monotone utilities: restricted to the exact rational interval, then scan + golden section (exact for a
 * unimodal product, e.g. concave utilities). Otherwise the scan covers [lo, hi]. Null when no x is rational.
 */
export function continuousNash(p: SingleIssueProblem): SingleIssueSolution | null {
  const product = (x: number): number => nashProduct([p.u0(x), p.u1(x)], p.disagreement);
  const interval = rationalInterval(p);
  const [lo, hi] = interval !== null ? [interval.lo, interval.hi] : [p.lo, p.hi];
  const x = maximise1d(product, lo, hi);
  if (Number.isNaN(x) || product(x) === -Infinity) return null;
  return solutionAt(p, x);
}

/**
 * Kalai-Smorodinsky solution of one real issue with monotone utilities: the rational x where the normalised
 * gains (u_i - d_i) / (ideal_i - d_i) are equal, solved by bisection on x. With both utilities increasing
 * the same way there is no conflict and the answer is the common best end. Null when no x is rational or a
 * utility is not monotone.
 */
export function continuousKalaiSmorodinsky(p: SingleIssueProblem): SingleIssueSolution | null {
  const r = rationalInterval(p);
  if (r === null) return null;
  const best0 = r.dirs[0] > 0 ? r.hi : r.lo;
  const best1 = r.dirs[1] > 0 ? r.hi : r.lo;
  if (best0 === best1) return solutionAt(p, best0);
  const [d0, d1] = p.disagreement;
  const ideal0 = p.u0(best0);
  const ideal1 = p.u1(best1);
  const g0 = (x: number): number => normalisedGain(p.u0(x), d0, ideal0);
  const g1 = (x: number): number => normalisedGain(p.u1(x), d1, ideal1);
  // g0 - g1 falls monotonically from party 0's best end to party 1's: bisect for the crossing.
  if (g0(best1) >= g1(best1)) return solutionAt(p, best1);
  return solutionAt(p, bisectBoundary((x) => g0(x) >= g1(x), best0, best1));
}

// ---------------------------------------------------------------------------------------------------------
// All at once, for reports
// ---------------------------------------------------------------------------------------------------------

export interface BargainingSolutions {
  /** Pareto frontier of the (discretised) feasible space, u0 descending. */
  readonly frontier: readonly FrontierPoint[];
  readonly nash: FrontierPoint | null;
  readonly ks: FrontierPoint | null;
  readonly utilitarian: FrontierPoint | null;
}

function singleIssueProblem(frontier: ContinuousFrontier, d: UtilityPair): SingleIssueProblem {
  return {
    u0: (x) => frontier.at(x).utilities[0],
    u1: (x) => frontier.at(x).utilities[1],
    lo: frontier.lo,
    hi: frontier.hi,
    disagreement: d,
  };
}

/**
 * Nash, Kalai-Smorodinsky and utilitarian points of a discrete frontier: the same answers (and ties) as
 * nashPoint, kalaiSmorodinskyPoint and utilitarianPoint(points, d), computed on the frontier's utility arrays
 * and only over its individually rational points. Those form one contiguous run, because u0 descends and u1
 * ascends along the frontier; the other points can never win (their Nash product is -Infinity and the other
 * two skip them).
 */
export function frontierSolutions(frontier: DiscreteFrontier, d: UtilityPair): Omit<BargainingSolutions, 'frontier'> {
  const { u0, u1 } = frontier;
  const n = frontier.size;
  const at = (k: number): FrontierPoint | null => (k >= 0 && k < n ? frontier.point(k) : null);
  const [d0, d1] = d;
  // Rational run [from, to): u0 >= d0 on a prefix, u1 >= d1 on a suffix.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((u0[mid] as number) >= d0) lo = mid + 1;
    else hi = mid;
  }
  const to = lo;
  lo = 0;
  hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((u1[mid] as number) < d1) lo = mid + 1;
    else hi = mid;
  }
  const from = lo;
  if (from >= to) return { nash: null, ks: null, utilitarian: null };
  let nash = -1;
  let bestN = -Infinity;
  let util = -1;
  let bestW = -Infinity;
  let i0 = -Infinity;
  let i1 = -Infinity;
  for (let i = from; i < to; i++) {
    const a = u0[i] as number;
    const b = u1[i] as number;
    const n = (a - d0) * (b - d1);
    if (n > bestN) {
      nash = i;
      bestN = n;
    }
    const w = a + b;
    if (w > bestW) {
      util = i;
      bestW = w;
    }
    if (a > i0) i0 = a;
    if (b > i1) i1 = b;
  }
  let ks = -1;
  let bestMin = -Infinity;
  let bestSum = -Infinity;
  for (let i = from; i < to; i++) {
    const g0 = normalisedGain(u0[i] as number, d0, i0);
    const g1 = normalisedGain(u1[i] as number, d1, i1);
    const m = Math.min(g0, g1);
    if (m > bestMin || (m === bestMin && g0 + g1 > bestSum)) {
      ks = i;
      bestMin = m;
      bestSum = g0 + g1;
    }
  }
  return { nash: at(nash), ks: at(ks), utilitarian: at(util) };
}

/**
 * Frontier, Nash, Kalai-Smorodinsky and utilitarian points of a negotiation, with the reservation values as
 * the disagreement point. A single continuous issue with monotone utilities gets exact Nash/KS points; its
 * frontier (for display) is discretised at `resolution` (default: autoResolution(space)).
 */
export function bargainingSolutions(
  space: OutcomeSpace,
  parties: readonly [Preferences, Preferences],
  resolution?: number,
): BargainingSolutions {
  const utilities = [parties[0].utility, parties[1].utility] as const;
  const d: UtilityPair = [parties[0].reservation, parties[1].reservation];
  const discrete = spaceFrontier(space, utilities, resolution);
  const exact = continuousFrontier(space, utilities);
  if (exact !== null && exact.lo <= exact.hi) {
    const problem = singleIssueProblem(exact, d);
    const asPoint = (s: SingleIssueSolution | null): FrontierPoint | null => (s === null ? null : exact.at(s.x));
    return {
      frontier: discrete.points,
      nash: asPoint(continuousNash(problem)),
      ks: asPoint(continuousKalaiSmorodinsky(problem)),
      utilitarian: utilitarianPoint(discrete.points, d),
    };
  }
  // The frontier's points are made only if someone reads them (the event log does; a sweep does not).
  const sol = frontierSolutions(discrete, d);
  return {
    get frontier() {
      return discrete.points;
    },
    ...sol,
  };
}

/** At most `max` frontier points, evenly thinned, always keeping both ends (for event logs and plots). */
export function thinFrontier(points: readonly FrontierPoint[], max: number): FrontierPoint[] {
  if (points.length <= max || max < 2) return points.slice(0, Math.max(max, 0));
  const out: FrontierPoint[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))] as FrontierPoint);
  return out;
}
