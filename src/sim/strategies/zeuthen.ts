/**
 * Zeuthen's risk-based concession (Zeuthen 1930; Harsanyi 1956), along the Pareto frontier.
 *
 * With x_i our standing offer and x_j the opponent's, each side's risk is the share of its stake it would
 * lose by accepting the other's offer rather than having its own accepted:
 *   r_i = (u_i(x_i) - u_i(x_j)) / (u_i(x_i) - d_i)    (1 when the stake u_i(x_i) - d_i is not positive).
 * The side with the smaller risk (both on ties) concedes, just enough that its risk is no longer the
 * smaller one; with no such point better for it than x_j it accepts x_j. An offer at least as good as its
 * own standing offer is accepted. It walks away once its standing offer, discounted, is worth less than its
 * reservation value. Since r_i <= r_j iff the Nash product of x_i is <= that of x_j, two
 * Zeuthen agents climb the Nash product and settle on the Nash point of the individually rational frontier.
 */
import { discounted, meetsReservation } from '../../negotiation/mechanism.js';
import { spaceFrontier, type FrontierPoint } from '../../negotiation/solutions.js';
import type { Action, NegotiationView, Negotiator, PartyIndex, Strategy, StrategyMeta } from '../../negotiation/types.js';
import { ACCEPT, END, acceptable, reaches, requireOpponent, resolveParams } from './common.js';

const meta: StrategyMeta = {
  name: 'zeuthen',
  description: 'Zeuthen\'s risk-based concession along the Pareto frontier; two Zeuthen agents reach the Nash solution.',
  deterministic: true,
  needsOpponent: true,
  params: {},
  reference: 'Zeuthen (1930), Problems of Monopoly and Economic Warfare; Harsanyi (1956), Econometrica 24(2); Rosenschein & Zlotkin (1994), Rules of Encounter',
};

/** Zeuthen's risk of a party whose own offer is worth `own` to it, facing an offer worth `other`. */
export function zeuthenRisk(own: number, other: number, disagreement: number): number {
  const stake = own - disagreement;
  return stake > 0 ? (own - other) / stake : 1;
}

interface Prepared {
  /** Individually rational frontier points, our utility descending. */
  readonly points: readonly FrontierPoint[];
  readonly me: PartyIndex;
  readonly them: PartyIndex;
  readonly dMe: number;
  readonly dThem: number;
}

class Zeuthen implements Negotiator {
  readonly name = meta.name;
  private prepared: Prepared | undefined;
  /** Position of our standing offer in prepared.points. */
  private pos = 0;

  private prepare(view: NegotiationView): Prepared {
    const opponent = requireOpponent(view, meta.name);
    const me = view.self;
    const them = (1 - me) as PartyIndex;
    const utilities = me === 0 ? ([view.own.utility, opponent.utility] as const) : ([opponent.utility, view.own.utility] as const);
    const dMe = view.own.reservation;
    const dThem = opponent.reservation;
    const rational = spaceFrontier(view.space, utilities).points.filter((p) => p.utilities[me] >= dMe && p.utilities[them] >= dThem);
    // The frontier runs u0 descending; party 1 wants it the other way round.
    return { points: me === 0 ? rational : rational.slice().reverse(), me, them, dMe, dThem };
  }

  /** The first point after our standing offer that flips the risk comparison, or -1. */
  private concession(p: Prepared, uMe: number, uThem: number): number {
    for (let j = this.pos + 1; j < p.points.length; j++) {
      const c = p.points[j] as FrontierPoint;
      if (c.utilities[p.me] <= uMe) break; // from here the opponent's offer is at least as good
      if (zeuthenRisk(c.utilities[p.me], uMe, p.dMe) > zeuthenRisk(uThem, c.utilities[p.them], p.dThem)) return j;
    }
    return -1;
  }

  act(view: NegotiationView): Action {
    this.prepared ??= this.prepare(view);
    const p = this.prepared;
    const own = p.points[this.pos];
    if (own === undefined) return END;
    const offer = view.lastOffer;
    if (offer !== undefined) {
      const uMe = offer.utilities[p.me];
      const uThem = offer.utilities[p.them];
      if (reaches(view, offer, own.utilities[p.me])) {
        if (acceptable(view, offer)) return ACCEPT;
      } else if (zeuthenRisk(own.utilities[p.me], uMe, p.dMe) <= zeuthenRisk(uThem, own.utilities[p.them], p.dThem)) {
        const j = this.concession(p, uMe, uThem);
        if (j >= 0) this.pos = j;
        else if (acceptable(view, offer)) return ACCEPT; // conceding all the way means taking their offer
      }
    }
    if (view.step >= view.deadline) return END;
    const standing = p.points[this.pos] as FrontierPoint;
    // Classical Zeuthen ignores discounting; never propose what, accepted now, would pay less than walking away.
    if (!meetsReservation(discounted(view.own, standing.utilities[p.me], view.step), view.own.reservation)) return END;
    return { type: 'offer', outcome: standing.outcome };
  }
}

export const zeuthen: Strategy = {
  meta,
  create(params) {
    resolveParams(meta, params);
    return new Zeuthen();
  },
};
