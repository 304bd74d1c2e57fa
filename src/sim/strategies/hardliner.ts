/**
 * Never moves: offers its best outcome every time and accepts nothing worse. Under complete information,
 * of the outcomes tied for its best it offers the one best for the opponent (negotiation/proposals.ts).
 */
import { discounted, meetsReservation } from '../../negotiation/mechanism.js';
import type { IndexedOffer } from '../../negotiation/offer-index.js';
import { proposalSource } from '../../negotiation/proposals.js';
import type { Action, NegotiationView, Negotiator, Strategy, StrategyMeta } from '../../negotiation/types.js';
import { ACCEPT, END, acceptable, reaches, resolveParams } from './common.js';

const meta: StrategyMeta = {
  name: 'hardliner',
  description:
    'Always offers its best outcome and accepts only an offer as good as that; walks away once its best is worth less than its outside option. Among outcomes equally best for it, under complete information it offers the one best for the opponent (Pareto-optimal).',
  deterministic: true,
  needsOpponent: false,
  params: {},
  reference: 'Baseline "hardheaded" agent, e.g. Baarslag et al. (2013), Evaluating practical negotiating agents, Artificial Intelligence 198',
};

class Hardliner implements Negotiator {
  readonly name = meta.name;
  private best: IndexedOffer | null | undefined;

  act(view: NegotiationView): Action {
    if (this.best === undefined) this.best = proposalSource(view).best ?? null;
    const best = this.best;
    if (best === null) return END;
    const offer = view.lastOffer;
    if (offer !== undefined && reaches(view, offer, best.utility) && acceptable(view, offer)) return ACCEPT;
    if (view.step >= view.deadline) return END;
    // Once discounting has pushed even its best below the outside option, stop.
    if (!meetsReservation(discounted(view.own, best.utility, view.step), view.own.reservation)) return END;
    return best.action;
  }
}

export const hardliner: Strategy = {
  meta,
  create(params) {
    resolveParams(meta, params);
    return new Hardliner();
  },
};
