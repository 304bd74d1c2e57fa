/**
 * Relative tit-for-tat (Faratin, Sierra & Jennings 1998, imitative tactics), measured in own utility.
 *
 * Faratin's relative TFT concedes in the same proportion as the opponent did `window` exchanges ago. Here
 * the proportion is read in the agent's own utility: between the opponent's offers o_prev (window offers
 * back) and o_last, the opponent covered
 *   rho = (u(o_last) - u(o_prev)) / (u_max - u(o_prev))
 * of the distance that separated its offer from our best outcome; we cover the same fraction of what
 * separates our current target from u(o_last): target -= rho * (target - u(o_last)). A retraction
 * (rho < 0) is answered by a retraction. The target starts at the best outcome and stays in
 * [u_min, u_max], u_min = max(reservation, worst). The target becomes an outcome as in the time-dependent
 * tactics (negotiation/proposals.ts: Pareto-aware under complete information).
 */
import { utilityTolerance } from '../../negotiation/numeric.js';
import type { IndexedOffer } from '../../negotiation/offer-index.js';
import { proposalSource, type ProposalSource } from '../../negotiation/proposals.js';
import type { Action, NegotiationView, Negotiator, Strategy, StrategyMeta } from '../../negotiation/types.js';
import { ACCEPT, Discounting, END, param, reaches, resolveParams } from './common.js';
import { PROPOSAL_RULE } from './time-dependent.js';

const meta: StrategyMeta = {
  name: 'tit-for-tat',
  description: `Relative tit-for-tat: mirrors the opponent's concessions, measured in its own utility; starts at its best outcome. ${PROPOSAL_RULE}`,
  deterministic: true,
  needsOpponent: false,
  params: {
    window: {
      default: 1,
      min: 1,
      max: 10,
      unit: 'opponent offers',
      description: 'How many opponent offers back the concession is measured over (Faratin\'s delta).',
    },
  },
  reference: 'Faratin, Sierra & Jennings (1998), Negotiation decision functions for autonomous agents, Robotics and Autonomous Systems 24(3-4)',
};

/** Fraction of the gap to our best outcome that the opponent closed between two of its offers. */
export function relativeConcession(uMax: number, previous: number, last: number): number {
  const gap = uMax - previous;
  return gap > utilityTolerance(uMax) ? (last - previous) / gap : 0;
}

interface Prepared {
  readonly source: ProposalSource;
  readonly best: IndexedOffer;
  readonly uMin: number;
  readonly discounting: Discounting;
}

class TitForTat implements Negotiator {
  readonly name = meta.name;
  private readonly window: number;
  private prepared: Prepared | null | undefined;
  private target = Infinity;

  constructor(window: number) {
    this.window = Math.round(window);
  }

  private prepare(view: NegotiationView): Prepared | null {
    const source = proposalSource(view);
    const best = source.best;
    if (best === undefined) return null;
    this.target = best.utility;
    return { source, best, uMin: Math.max(view.own.reservation, source.worstUtility), discounting: new Discounting(view.own) };
  }

  /** Mirror the opponent's last relative concession (needs its offer `window` offers back). */
  private update(view: NegotiationView, p: Prepared): void {
    const h = view.history;
    const last = h[h.length - 1];
    const previous = h[h.length - 1 - 2 * this.window];
    if (last === undefined || previous === undefined || last.by === view.self) return;
    const me = view.self;
    const rho = relativeConcession(p.best.utility, previous.utilities[me], last.utilities[me]);
    const moved = this.target - rho * (this.target - last.utilities[me]);
    this.target = Math.min(p.best.utility, Math.max(p.uMin, moved));
  }

  act(view: NegotiationView): Action {
    if (this.prepared === undefined) this.prepared = this.prepare(view);
    const p = this.prepared;
    if (p === null) return END;
    this.update(view, p);
    const { step, deadline, lastOffer } = view;
    const next = p.source.propose(Math.max(this.target, p.discounting.floor(step))) ?? p.best;
    if (lastOffer !== undefined && p.discounting.worthAccepting(lastOffer.utilities[view.self], lastOffer.step)) {
      // AC_next, and at the last chance anything better than walking away.
      if (reaches(view, lastOffer, next.utility) || step >= deadline) return ACCEPT;
    }
    if (step >= deadline) return END;
    if (!p.discounting.worthAccepting(p.best.utility, step)) return END;
    return next.action;
  }
}

export const titForTat: Strategy = {
  meta,
  create(params) {
    return new TitForTat(param(resolveParams(meta, params), 'window'));
  },
};
