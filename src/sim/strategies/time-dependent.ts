/**
 * Time-dependent concession (Faratin, Sierra & Jennings 1998), shared by boulware, linear and conceder.
 *
 * Target utility at step t of a negotiation with T = deadline - 1 offer slots:
 *   u(t) = u_max - (u_max - u_min) * (t / T)^(1/e),   u_min = max(reservation, worst outcome),
 * floored at the reservation's undiscounted equivalent so a proposal never pays less than walking away.
 * e < 1 holds out (Boulware), e = 1 concedes linearly, e > 1 concedes early (Conceder).
 * It proposes the cheapest outcome reaching the target and accepts an offer at least as good as that
 * proposal (AC_next), never below its discounted reservation value.
 */
import { discounted, meetsReservation } from '../../negotiation/mechanism.js';
import { offerIndex, type IndexedOffer, type OfferIndex } from '../../negotiation/offer-index.js';
import type { Action, NegotiationView, Negotiator, ParamSpec, Strategy, StrategyMeta } from '../../negotiation/types.js';
import { ACCEPT, END, acceptable, param, reaches, reservationFloor, resolveParams } from './common.js';

export const TIME_DEPENDENT_REFERENCE =
  'Faratin, Sierra & Jennings (1998), Negotiation decision functions for autonomous agents, Robotics and Autonomous Systems 24(3-4)';

/** The concession curve, exposed for tests and the hand-written benchmark loop. */
export function timeDependentTarget(uMax: number, uMin: number, step: number, deadline: number, e: number): number {
  const t = Math.min(1, step / Math.max(1, deadline - 1));
  return uMax - (uMax - uMin) * Math.pow(t, 1 / e);
}

interface Prepared {
  readonly index: OfferIndex;
  readonly best: IndexedOffer;
  readonly uMin: number;
}

class TimeDependentNegotiator implements Negotiator {
  readonly name: string;
  private readonly e: number;
  private prepared: Prepared | null | undefined;

  constructor(name: string, e: number) {
    this.name = name;
    this.e = e;
  }

  private prepare(view: NegotiationView): Prepared | null {
    const index = offerIndex(view.space, view.own.utility);
    const best = index.best;
    const worst = index.worst;
    if (best === undefined || worst === undefined) return null;
    return { index, best, uMin: Math.max(view.own.reservation, worst.utility) };
  }

  act(view: NegotiationView): Action {
    if (this.prepared === undefined) this.prepared = this.prepare(view);
    const p = this.prepared;
    if (p === null) return END;
    const { own, step, deadline, lastOffer } = view;
    const target = Math.max(timeDependentTarget(p.best.utility, p.uMin, step, deadline, this.e), reservationFloor(own, step));
    const next = p.index.atLeast(target) ?? p.best;
    if (lastOffer !== undefined && reaches(view, lastOffer, next.utility) && acceptable(view, lastOffer)) return ACCEPT;
    if (step >= deadline) return END;
    // Once even the best outcome is worth less than walking away, stop.
    if (!meetsReservation(discounted(own, p.best.utility, step), own.reservation)) return END;
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
    description: spec.description,
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
