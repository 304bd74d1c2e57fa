/**
 * Subgame-perfect equilibria of alternating offers with discounting over a bargaining frontier.
 *
 * Finite horizon, by backward induction in present (offer-0) values. V(T) = reservations. On offer k the
 * proposer p can (a) offer the frontier point best for itself among those the responder q accepts, i.e.
 * d_q^k u_q >= V_q(k+1) (rejecting offer k leads to the subgame at k+1, whose mover is q); (b) make an
 * offer q rejects, getting V(k+1); or (c) end, getting the reservations. It picks the best for itself,
 * preferring (a), then (b), on ties. Reservation values are not discounted, as in the mechanism.
 *
 * Infinite horizon, stationary: party i always proposes the same point P_i. The responder j accepts P_i
 * iff u_j(P_i) >= max(r_j, d_j u_j(P_j)) (valued from the current offer: reject, then propose next time);
 * iterating that pair of best responses from "proposer takes all" converges to Rubinstein's split on a pie.
 */
import type { BargainingFrontier, FrontierPoint, UtilityPair } from './frontier.js';
import { utilityTolerance } from './numeric.js';
import type { PartyIndex } from './types.js';

export interface SpeGame {
  readonly discounts: UtilityPair;
  readonly reservations: UtilityPair;
}

/** offer: an offer the responder accepts; stall: one it rejects; end: walk away. */
export type SpeMove = 'offer' | 'stall' | 'end';

export interface SpeStep {
  readonly step: number;
  readonly proposer: PartyIndex;
  readonly move: SpeMove;
  /** The equilibrium offer when move is 'offer'. */
  readonly point: FrontierPoint | null;
  /** Present value the responder gets by rejecting this offer: it accepts iff the offer is worth at least this. */
  readonly rejectValue: number;
  /** Present values to party 0 and 1 of the subgame starting at this step. */
  readonly values: UtilityPair;
}

export interface FiniteSpe {
  readonly steps: readonly SpeStep[];
  /** Equilibrium payoffs (present values) of the whole game. */
  readonly values: UtilityPair;
}

function pair(p: PartyIndex, mine: number, theirs: number): UtilityPair {
  return p === 0 ? [mine, theirs] : [theirs, mine];
}

/** Backward induction over `deadline` offers; steps[k] says what happens on offer k. */
export function solveFiniteSpe(frontier: BargainingFrontier, game: SpeGame, deadline: number, firstProposer: PartyIndex): FiniteSpe {
  const r = game.reservations;
  const steps = new Array<SpeStep>(Math.max(0, deadline));
  let next: UtilityPair = r;
  for (let k = deadline - 1; k >= 0; k--) {
    const p = ((firstProposer + k) % 2) as PartyIndex;
    const q = (1 - p) as PartyIndex;
    const dp = Math.pow(game.discounts[p], k);
    const dq = Math.pow(game.discounts[q], k);
    const rejectValue = next[q];
    // Floor on the responder's undiscounted utility; a discount that underflowed makes every offer worthless.
    const floor = dq > 0 ? rejectValue / dq : rejectValue > 0 ? Infinity : -Infinity;
    const point = frontier.bestFor(p, floor);
    const offerValue = point === null ? -Infinity : dp * point.utilities[p];
    const stallValue = next[p];
    let move: SpeMove;
    let values: UtilityPair;
    if (point !== null && offerValue >= Math.max(stallValue, r[p]) - utilityTolerance(offerValue)) {
      move = 'offer';
      values = pair(p, offerValue, dq * point.utilities[q]);
    } else if (stallValue >= r[p]) {
      move = 'stall';
      values = next;
    } else {
      move = 'end';
      values = r;
    }
    steps[k] = { step: k, proposer: p, move, point: move === 'offer' ? point : null, rejectValue, values };
    next = values;
  }
  return { steps, values: next };
}

export interface StationarySpe {
  /** proposals[i]: what party i offers whenever it proposes; null when the other accepts nothing on the frontier. */
  readonly proposals: readonly [FrontierPoint | null, FrontierPoint | null];
  readonly iterations: number;
  readonly converged: boolean;
}

function moved(a: FrontierPoint | null, b: FrontierPoint | null): number {
  if (a === null || b === null) return a === b ? 0 : Infinity;
  return Math.abs(a.utilities[0] - b.utilities[0]) + Math.abs(a.utilities[1] - b.utilities[1]);
}

function scale(a: FrontierPoint | null, b: FrontierPoint | null): number {
  let m = 1;
  for (const p of [a, b]) if (p !== null) m = Math.max(m, Math.abs(p.utilities[0]), Math.abs(p.utilities[1]));
  return m;
}

/**
 * Stationary infinite-horizon SPE by iterating the backward map to a fixed point: stops when the proposals
 * move by at most tol (relative to the utilities' magnitude when that exceeds 1).
 */
export function solveStationarySpe(frontier: BargainingFrontier, game: SpeGame, tol = 1e-13, maxIterations = 100_000): StationarySpe {
  const [d0, d1] = game.discounts;
  const [r0, r1] = game.reservations;
  let a = frontier.bestFor(0, -Infinity);
  let b = frontier.bestFor(1, -Infinity);
  for (let it = 1; it <= maxIterations; it++) {
    const a2 = frontier.bestFor(0, b === null ? r1 : Math.max(r1, d1 * b.utilities[1]));
    const b2 = frontier.bestFor(1, a2 === null ? r0 : Math.max(r0, d0 * a2.utilities[0]));
    const change = moved(a, a2) + moved(b, b2);
    a = a2;
    b = b2;
    if (change <= tol * scale(a, b)) return { proposals: [a, b], iterations: it, converged: true };
  }
  return { proposals: [a, b], iterations: maxIterations, converged: false };
}
