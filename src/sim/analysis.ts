/**
 * Where a negotiation ended relative to bargaining theory: the Pareto frontier of its feasible space, the
 * Nash and Kalai-Smorodinsky points (reservation values as the disagreement point) and the agreement's
 * distance from the Nash point in utility space.
 */
import type { NegotiationRecord, UtilityPoint } from '../core/events.js';
import { bargainingSolutions, thinFrontier, utilityDistance } from '../negotiation/solutions.js';
import type { NegotiationResult, OutcomeSpace, Preferences } from '../negotiation/types.js';

/** Frontier points kept in the event log: enough for a terminal plot, small enough for the artifact. */
const FRONTIER_POINTS = 64;

export interface Analysis {
  readonly frontier: readonly (readonly [number, number])[];
  readonly nash: UtilityPoint | null;
  readonly ks: UtilityPoint | null;
  readonly distanceToNash: number | null;
}

export function analyse(
  space: OutcomeSpace,
  parties: readonly [Preferences, Preferences],
  result: NegotiationResult,
  keepFrontier: boolean,
  resolution?: number,
): Analysis {
  const sol = bargainingSolutions(space, parties, resolution);
  const at: readonly [number, number] = result.agreement ? result.utilities : [parties[0].reservation, parties[1].reservation];
  const point = (p: typeof sol.nash): UtilityPoint | null => (p ? { outcome: [...p.outcome], utilities: p.utilities } : null);
  return {
    frontier: keepFrontier ? thinFrontier(sol.frontier, FRONTIER_POINTS).map((p) => p.utilities) : [],
    nash: point(sol.nash),
    ks: point(sol.ks),
    distanceToNash: sol.nash ? utilityDistance(at, sol.nash.utilities) : null,
  };
}

/** The event-log record of one negotiation: what the replay and the reports show of it. */
export function negotiationRecord(
  names: readonly [string, string],
  players: readonly [{ readonly strategy: { readonly meta: { readonly name: string } } }, { readonly strategy: { readonly meta: { readonly name: string } } }],
  space: OutcomeSpace,
  parties: readonly [Preferences, Preferences],
  deadline: number,
  result: NegotiationResult,
  a: Analysis,
): NegotiationRecord {
  return {
    parties: names,
    strategies: [players[0].strategy.meta.name, players[1].strategy.meta.name],
    issues: space.issues.map((i) => ({ name: i.name, unit: i.unit, min: i.min, max: i.max })),
    upperBounds: space.upperBounds ?? space.issues.map((i) => i.max),
    deadline,
    reservations: [parties[0].reservation, parties[1].reservation],
    offers: result.offers.map((o) => ({ step: o.step, by: o.by, outcome: o.outcome, utilities: o.utilities })),
    agreement: result.agreement ? { outcome: result.agreement, utilities: result.utilities } : null,
    reason: result.reason,
    steps: result.step,
    payoffs: result.payoffs,
    frontier: a.frontier,
    nash: a.nash,
    ks: a.ks,
    distanceToNash: a.distanceToNash,
  };
}
