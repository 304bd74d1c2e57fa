/**
 * Subgame-perfect equilibrium play of alternating offers with discounting (Rubinstein 1982; Ståhl 1972),
 * over the Pareto frontier with the reservation values as disagreement payoffs.
 *
 * horizon 0: the finite game with the negotiation's deadline, solved by backward induction once per
 * negotiation. horizon 1: the stationary infinite-horizon equilibrium (the deadline is ignored). The
 * proposer offers the frontier point best for itself that the responder's continuation lets through; the
 * responder accepts iff the offer is worth at least its continuation. On a unit pie with linear utilities
 * this is Rubinstein's split.
 */
import { discounted, meetsReservation } from '../../negotiation/mechanism.js';
import { utilityTolerance } from '../../negotiation/numeric.js';
import {
  bargainingFrontier,
  solveFiniteSpe,
  solveStationarySpe,
  type FiniteSpe,
  type FrontierPoint,
  type StationarySpe,
} from '../../negotiation/solutions.js';
import type { Action, NegotiationView, Negotiator, OfferRecord, Strategy, StrategyMeta } from '../../negotiation/types.js';
import { ACCEPT, END, acceptable, param, requireOpponent, resolveParams } from './common.js';

const meta: StrategyMeta = {
  name: 'equilibrium',
  description: 'Plays the subgame-perfect equilibrium of alternating offers with discounting (needs the opponent\'s preferences).',
  deterministic: true,
  needsOpponent: true,
  params: {
    horizon: {
      default: 0,
      min: 0,
      max: 1,
      unit: 'flag',
      description: '0: finite game ending at the negotiation\'s deadline; 1: stationary infinite-horizon equilibrium.',
    },
  },
  reference: 'Rubinstein (1982), Perfect equilibrium in a bargaining model, Econometrica 50(1); Ståhl (1972), Bargaining Theory',
};

type Plan =
  | {
      readonly kind: 'finite';
      readonly spe: FiniteSpe;
      readonly actions: readonly Action[];
      readonly stall: Action;
      readonly myBest: FrontierPoint | null;
    }
  | { readonly kind: 'stationary'; readonly spe: StationarySpe; readonly mine: FrontierPoint | null; readonly action: Action };

function offerAction(point: FrontierPoint): Action {
  return Object.freeze({ type: 'offer', outcome: point.outcome });
}

/** Present-value comparison with rounding slack. */
function atLeast(value: number, threshold: number): boolean {
  return value >= threshold - utilityTolerance(threshold, 1e-9);
}

class Equilibrium implements Negotiator {
  readonly name = meta.name;
  private readonly infinite: boolean;
  private plan: Plan | undefined;

  constructor(horizon: number) {
    this.infinite = horizon >= 0.5;
  }

  private prepare(view: NegotiationView): Plan {
    const opponent = requireOpponent(view, meta.name);
    const [p0, p1] = view.self === 0 ? [view.own, opponent] : [opponent, view.own];
    const frontier = bargainingFrontier(view.space, [p0.utility, p1.utility]);
    const game = { discounts: [p0.discount, p1.discount], reservations: [p0.reservation, p1.reservation] } as const;
    const myBest = frontier.bestFor(view.self, -Infinity);
    const stall = myBest === null ? END : offerAction(myBest);
    if (this.infinite) {
      const spe = solveStationarySpe(frontier, game);
      const mine = spe.proposals[view.self];
      return { kind: 'stationary', spe, mine, action: mine === null ? END : offerAction(mine) };
    }
    const spe = solveFiniteSpe(frontier, game, view.deadline, view.firstProposer);
    const actions = spe.steps.map((s) => (s.move === 'offer' && s.point !== null ? offerAction(s.point) : s.move === 'stall' ? stall : END));
    return { kind: 'finite', spe, actions, stall, myBest };
  }

  /** Present value of rejecting `offer`: what the equilibrium continuation gives us. */
  private rejectValue(view: NegotiationView, plan: Plan, offer: OfferRecord): number {
    const r = view.own.reservation;
    if (plan.kind === 'finite') return plan.spe.steps[offer.step]?.rejectValue ?? r;
    if (view.step >= view.deadline || plan.mine === null) return r;
    return Math.max(r, discounted(view.own, plan.mine.utilities[view.self], view.step));
  }

  act(view: NegotiationView): Action {
    this.plan ??= this.prepare(view);
    const plan = this.plan;
    const offer = view.lastOffer;
    if (offer !== undefined && acceptable(view, offer)) {
      const value = discounted(view.own, offer.utilities[view.self], offer.step);
      if (atLeast(value, this.rejectValue(view, plan, offer))) return ACCEPT;
    }
    if (view.step >= view.deadline) return END;
    if (plan.kind === 'finite') {
      const action = plan.actions[view.step] ?? END;
      // A stalling offer (its best outcome) that discounting has made worse than walking away: walking away
      // is worth the same to it in equilibrium, and safe against an opponent who would accept.
      if (action === plan.stall && !this.worthProposing(view, plan.myBest)) return END;
      return action;
    }
    return this.worthProposing(view, plan.mine) ? plan.action : END;
  }

  private worthProposing(view: NegotiationView, point: FrontierPoint | null): boolean {
    return point !== null && meetsReservation(discounted(view.own, point.utilities[view.self], view.step), view.own.reservation);
  }
}

export const equilibrium: Strategy = {
  meta,
  create(params) {
    return new Equilibrium(param(resolveParams(meta, params), 'horizon'));
  },
};
