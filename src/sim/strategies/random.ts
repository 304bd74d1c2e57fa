/**
 * A stochastic baseline: proposes a uniformly random feasible outcome worth at least its reservation
 * (undiscounted equivalent) and accepts an offer at least as good as the one it drew for this turn.
 * Draws come only from the negotiation's seeded stream.
 */
import { discounted, meetsReservation } from '../../negotiation/mechanism.js';
import { offerIndex, type OfferIndex } from '../../negotiation/offer-index.js';
import type { Action, NegotiationView, Negotiator, Strategy, StrategyMeta } from '../../negotiation/types.js';
import { ACCEPT, END, acceptable, reaches, reservationFloor, resolveParams } from './common.js';

const meta: StrategyMeta = {
  name: 'random',
  description: 'Offers random feasible outcomes above its reservation value; accepts offers at least as good as its own draw.',
  deterministic: false,
  needsOpponent: false,
  params: {},
  reference: 'Random baseline, as in the Genius negotiation environment (Lin et al. 2014, Computational Intelligence 30(1))',
};

class RandomNegotiator implements Negotiator {
  readonly name = meta.name;
  private index: OfferIndex | undefined;

  act(view: NegotiationView): Action {
    this.index ??= offerIndex(view.space, view.own.utility);
    const { own, step, lastOffer } = view;
    const worst = this.index.worst;
    if (worst === undefined) return END;
    const draw = this.index.sampleAtLeast(Math.max(worst.utility, reservationFloor(own, step)), view.random);
    if (lastOffer !== undefined && acceptable(view, lastOffer)) {
      if (step >= view.deadline || draw === undefined || reaches(view, lastOffer, draw.utility)) return ACCEPT;
    }
    if (step >= view.deadline || draw === undefined) return END;
    if (!meetsReservation(discounted(own, draw.utility, step), own.reservation)) return END;
    return draw.action;
  }
}

export const random: Strategy = {
  meta,
  create(params) {
    resolveParams(meta, params);
    return new RandomNegotiator();
  },
};
