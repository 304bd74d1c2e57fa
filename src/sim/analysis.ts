/**
 * Where a negotiation ended relative to bargaining theory: the Pareto frontier of its feasible space, the
 * Nash and Kalai-Smorodinsky points (reservation values as the disagreement point) and the agreement's
 * distance from the Nash point in utility space.
 */
import type { UtilityPoint } from '../core/events.js';
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
