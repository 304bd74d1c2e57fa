/**
 * Time-dependent concession (Faratin, Sierra & Jennings 1998), shared by boulware, linear and conceder.
 *
 * Target utility at step t of a negotiation with T = deadline - 1 offer slots:
 *   u(t) = u_max - (u_max - u_min) * (t / T)^(1/e),   u_min = max(reservation, worst outcome),
 * floored at the reservation's undiscounted equivalent so a proposal never pays less than walking away.
 * e < 1 holds out (Boulware), e = 1 concedes linearly, e > 1 concedes early (Conceder).
 * It proposes an outcome reaching the target (negotiation/proposals.ts): under private information the
 * cheapest one for itself; under complete information the one best for the opponent, a point of the Pareto
 * frontier of the feasible space. It accepts an offer at least as good for it as that proposal (AC_next),
 * never below its discounted reservation value.
 */
import { remember } from '../../negotiation/cache.js';
import type { IndexedOffer } from '../../negotiation/offer-index.js';
import { proposalSource, type ProposalSource } from '../../negotiation/proposals.js';
import type { Action, NegotiationView, Negotiator, ParamSpec, Strategy, StrategyMeta } from '../../negotiation/types.js';
import { ACCEPT, Discounting, END, param, reaches, resolveParams } from './common.js';

export const TIME_DEPENDENT_REFERENCE =
  'Faratin, Sierra & Jennings (1998), Negotiation decision functions for autonomous agents, Robotics and Autonomous Systems 24(3-4)';

/** The concession curve, exposed for tests and the hand-written benchmark loop. */
export function timeDependentTarget(uMax: number, uMin: number, step: number, deadline: number, e: number): number {
  return uMax - (uMax - uMin) * concession(step, deadline, e);
}

/** (t / T)^(1/e), the share of the way from u_max to u_min conceded by step t. */
function concession(step: number, deadline: number, e: number): number {
  const t = Math.min(1, step / Math.max(1, deadline - 1));
  return Math.pow(t, 1 / e);
}

const curves = new Map<number, Map<number, Float64Array>>();
const CURVES = 32;

/**
 * concession(step, deadline, e) for step = 0..deadline, shared by every negotiation with the same deadline
 * and exponent (exactly the same numbers: each entry is computed by concession).
 */
export function concessionCurve(deadline: number, e: number): Float64Array {
  let byDeadline = curves.get(e);
  if (byDeadline === undefined) byDeadline = remember(curves, e, new Map<number, Float64Array>(), CURVES);
  let curve = byDeadline.get(deadline);
  if (curve === undefined) {
    curve = new Float64Array(deadline + 1);
    for (let k = 0; k <= deadline; k++) curve[k] = concession(k, deadline, e);
    remember(byDeadline, deadline, curve, CURVES);
  }
  return curve;
}

interface Prepared {
  readonly source: ProposalSource;
  readonly best: IndexedOffer;
  readonly uMin: number;
  readonly curve: Float64Array;
  readonly discounting: Discounting;
}

/** Appended to the description of every strategy that proposes through a ProposalSource. */
export const PROPOSAL_RULE =
  'Under complete information it proposes, among the feasible outcomes reaching its target, the one best for the opponent (a Pareto-optimal point); under private information the one cheapest for itself.';

class TimeDependentNegotiator implements Negotiator {
  readonly name: string;
  private readonly e: number;
  private prepared: Prepared | null | undefined;

  constructor(name: string, e: number) {
    this.name = name;
    this.e = e;
  }

  private prepare(view: NegotiationView): Prepared | null {
    const source = proposalSource(view);
    const best = source.best;
    if (best === undefined) return null;
    return {
      source,
      best,
      uMin: Math.max(view.own.reservation, source.worstUtility),
      curve: concessionCurve(view.deadline, this.e),
      discounting: new Discounting(view.own),
    };
  }

  act(view: NegotiationView): Action {
    if (this.prepared === undefined) this.prepared = this.prepare(view);
    const p = this.prepared;
    if (p === null) return END;
    const { step, deadline, lastOffer } = view;
    const uMax = p.best.utility;
    const conceded = p.curve[step] ?? concession(step, deadline, this.e);
    const target = Math.max(uMax - (uMax - p.uMin) * conceded, p.discounting.floor(step));
    const next = p.source.propose(target) ?? p.best;
    if (lastOffer !== undefined && reaches(view, lastOffer, next.utility) && p.discounting.worthAccepting(lastOffer.utilities[view.self], lastOffer.step)) {
      return ACCEPT;
    }
    if (step >= deadline) return END;
    // Once even the best outcome is worth less than walking away, stop.
    if (!p.discounting.worthAccepting(uMax, step)) return END;
    return next.action;
  }
}

export interface TimeDependentSpec {
  readonly name: string;
  readonly description: string;
  /** The concession exponent as a tunable parameter, or a fixed value (linear: 1). */
  readonly e: ParamSpec | number;
}

export function timeDependentStrategy(spec: TimeDependentSpec): Strategy {
  const params: Record<string, ParamSpec> = typeof spec.e === 'number' ? {} : { e: spec.e };
  const meta: StrategyMeta = {
    name: spec.name,
    description: `${spec.description} ${PROPOSAL_RULE}`,
    deterministic: true,
    needsOpponent: false,
    params,
    reference: TIME_DEPENDENT_REFERENCE,
  };
  const fixedE = typeof spec.e === 'number' ? spec.e : undefined;
  return {
    meta,
    create(given) {
      const resolved = resolveParams(meta, given);
      return new TimeDependentNegotiator(spec.name, fixedE ?? param(resolved, 'e'));
    },
  };
}
