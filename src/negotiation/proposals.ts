/**
 * What a strategy that aims at an own-utility target proposes (time-dependent tactics, tit-for-tat,
 * hardliner): the rule that turns "I want at least u" into an outcome.
 *
 * - Private information (the view carries no opponent preferences): the feasible outcome of lowest own
 *   utility still reaching the target (OfferIndex.atLeast); ties in enumeration order.
 * - Complete information: among the feasible outcomes reaching the target, the one best for the opponent,
 *   i.e. the point of the Pareto frontier of the feasible space where the opponent's utility is highest
 *   subject to own utility >= target (BargainingFrontier.bestFor). Its own utility may exceed the target
 *   (the frontier is discrete), never falls below it, and no feasible outcome is at least as good for both
 *   sides and better for one. Of outcomes with identical utilities to both, the first in enumeration order.
 *
 * Both answer "nothing reaches the target" with undefined; the best own outcome is then the natural
 * fallback. Sources are cached with the index or frontier they wrap, so a strategy pays nothing per
 * negotiation beyond the lookup.
 */
import { memo } from './cache.js';
import { bargainingFrontier, ContinuousFrontier, DiscreteFrontier, type FrontierPoint } from './frontier.js';
import { offerIndex, type IndexedOffer, type OfferIndex } from './offer-index.js';
import type { NegotiationView, PartyIndex } from './types.js';

export interface ProposalSource {
  /** Own best feasible outcome (under complete information the best for the opponent among those). */
  readonly best: IndexedOffer | undefined;
  /** Own lowest utility over the feasible outcomes (NaN when nothing is feasible). */
  readonly worstUtility: number;
  /** What to propose for an own-utility target; undefined when no feasible outcome reaches it. */
  propose(target: number): IndexedOffer | undefined;
}

class OwnIndexSource implements ProposalSource {
  readonly best: IndexedOffer | undefined;
  readonly worstUtility: number;
  private readonly index: OfferIndex;

  constructor(index: OfferIndex) {
    this.index = index;
    this.best = index.best;
    this.worstUtility = index.worst?.utility ?? Number.NaN;
  }

  propose(target: number): IndexedOffer | undefined {
    return this.index.atLeast(target);
  }
}

class ParetoSource implements ProposalSource {
  readonly best: IndexedOffer | undefined;
  readonly worstUtility: number;
  private readonly frontier: DiscreteFrontier;
  private readonly self: PartyIndex;
  private readonly other: PartyIndex;

  constructor(frontier: DiscreteFrontier, self: PartyIndex) {
    this.frontier = frontier;
    this.self = self;
    this.other = (1 - self) as PartyIndex;
    this.best = frontier.offer(self, frontier.indexFor(self, -Infinity));
    this.worstUtility = frontier.worst?.[self] ?? Number.NaN;
  }

  propose(target: number): IndexedOffer | undefined {
    return this.frontier.offer(this.self, this.frontier.indexFor(this.other, target));
  }
}

/** One continuous issue with monotone utilities: the exact frontier, points made on demand. */
class ContinuousSource implements ProposalSource {
  readonly best: IndexedOffer | undefined;
  readonly worstUtility: number;
  private readonly frontier: ContinuousFrontier;
  private readonly self: PartyIndex;

  constructor(frontier: ContinuousFrontier, self: PartyIndex) {
    this.frontier = frontier;
    this.self = self;
    this.best = this.offer(frontier.bestFor(self, -Infinity));
    this.worstUtility =
      frontier.hi < frontier.lo ? Number.NaN : Math.min(frontier.at(frontier.lo).utilities[self], frontier.at(frontier.hi).utilities[self]);
  }

  private offer(p: FrontierPoint | null): IndexedOffer | undefined {
    if (p === null) return undefined;
    return { outcome: p.outcome, utility: p.utilities[this.self], action: Object.freeze({ type: 'offer', outcome: p.outcome }) };
  }

  propose(target: number): IndexedOffer | undefined {
    return this.offer(this.frontier.bestFor((1 - this.self) as PartyIndex, target));
  }
}

// Kept on the index or frontier they wrap (cache.ts: memo), so they die with it.
const OWN_SOURCE = Symbol('tradesim.ownSource');
const PARETO_SOURCES = Symbol('tradesim.paretoSources');

/**
 * The proposal rule for the viewer of `view`: Pareto-aware when the view carries the opponent's preferences,
 * own-utility only otherwise (see the module comment).
 */
export function proposalSource(view: NegotiationView): ProposalSource {
  const opponent = view.opponent;
  if (opponent === undefined) {
    const index = offerIndex(view.space, view.own.utility);
    return memo(index, OWN_SOURCE, () => new OwnIndexSource(index));
  }
  const self = view.self;
  const utilities = self === 0 ? ([view.own.utility, opponent.utility] as const) : ([opponent.utility, view.own.utility] as const);
  const frontier = bargainingFrontier(view.space, utilities);
  if (frontier instanceof DiscreteFrontier) {
    const pair = memo<[ParetoSource | undefined, ParetoSource | undefined]>(frontier, PARETO_SOURCES, () => [undefined, undefined]);
    let src = pair[self];
    if (src === undefined) {
      src = new ParetoSource(frontier, self);
      pair[self] = src;
    }
    return src;
  }
  if (frontier instanceof ContinuousFrontier) return new ContinuousSource(frontier, self);
  throw new Error('unexpected bargaining frontier');
}
