/**
 * The negotiation core. It knows nothing about chips: issues, ranges and utilities come from data,
 * so a two-party pie split, an ANAC-style discrete domain and the chip model all run on this engine.
 */

/** One negotiable dimension. `steps` >= 2 gives a grid of evenly spaced values; omitted = continuous. */
export interface Issue {
  readonly name: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly steps?: number;
}

/** An outcome assigns one value to every issue, in issue order. */
export type Outcome = readonly number[];

export interface OutcomeSpace {
  readonly issues: readonly Issue[];
  /**
   * Optional per-issue upper bounds narrower than the issue range (e.g. the exporter's remaining supply for
   * this negotiation). Outcomes above a bound are infeasible: strategies never propose them and the
   * mechanism never records them as an agreement.
   */
  readonly upperBounds?: readonly number[];
  /**
   * Optional claim for a space whose outcomes are all Pareto-optimal (a menu already pruned to the frontier):
   * every outcome's index, by party 0's utility descending (party 1's ascending). The engine checks the claim
   * in linear time against the utilities it is given and sorts as usual when it does not hold.
   */
  readonly frontierOrder?: Int32Array;
}

/**
 * A utility function over outcomes. Pure; must return a finite number. It may depend only on the values of
 * the outcome, not on the array's identity, and must not keep the array: to tabulate a utility over a grid
 * the engine refills one array per outcome.
 */
export type UtilityFn = (o: Outcome) => number;

/** One side's private preferences. */
export interface Preferences {
  readonly utility: UtilityFn;
  /** Utility of no agreement (the outside option); not discounted. */
  readonly reservation: number;
  /** Per-step discount factor in (0, 1]: an agreement at step t is worth discount^t * utility. */
  readonly discount: number;
}

export type PartyIndex = 0 | 1;

export interface OfferRecord {
  readonly step: number;
  readonly by: PartyIndex;
  readonly outcome: Outcome;
  /** Undiscounted utilities of the offer to party 0 and party 1. */
  readonly utilities: readonly [number, number];
}

/** What a negotiator may do on its turn. */
export type Action =
  | { readonly type: 'offer'; readonly outcome: Outcome }
  | { readonly type: 'accept' }
  | { readonly type: 'end' };

/** Read-only view handed to a negotiator on each turn. */
export interface NegotiationView {
  readonly space: OutcomeSpace;
  readonly self: PartyIndex;
  readonly own: Preferences;
  /** Present only under complete information (needed by Zeuthen and the equilibrium strategy). */
  readonly opponent?: Preferences;
  /** Current step (0-based): the number of offers made so far. */
  readonly step: number;
  /** Maximum number of offers; after offer deadline-1 is rejected the negotiation fails. */
  readonly deadline: number;
  readonly firstProposer: PartyIndex;
  /** The offer on the table (made by the opponent at step-1), if any. */
  readonly lastOffer?: OfferRecord;
  readonly history: readonly OfferRecord[];
  /** Seeded uniform [0,1) stream for stochastic strategies; deterministic strategies must not call it. */
  readonly random: () => number;
}

export interface Negotiator {
  act(view: NegotiationView): Action;
}

export interface ParamSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly description: string;
}

export interface StrategyMeta {
  readonly name: string;
  readonly description: string;
  readonly deterministic: boolean;
  /** True when the strategy needs the opponent's preferences (complete information). */
  readonly needsOpponent: boolean;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** A reference for the tactic, shown by `tradesim list`. */
  readonly reference?: string;
  /** A person decides (the classroom's seat): offer every outcome, not only those a rational agent would pick. */
  readonly interactive?: boolean;
}

/**
 * Where one negotiation sits in a run. Engine strategies ignore it; a negotiator that shows the negotiation to
 * a person (the classroom's human seat) or records it needs to say which round and counterpart it is.
 */
export interface NegotiationContext {
  /** 1-based round of the run (1 for a single negotiation). */
  readonly round: number;
  readonly label: string;
  /** Who party 0 and party 1 are (ids). */
  readonly parties: readonly [string, string];
  /** Money per normalised utility unit of each party (e.g. USD bn), when the utilities are scaled payoffs. */
  readonly scales?: readonly [number, number];
  /**
   * When the engine's issues are a coding of richer terms (a chip deal's one issue is a package number): the
   * terms as issues a person can read and type, and the conversions both ways. Engine strategies ignore it.
   */
  readonly coding?: OutcomeCoding;
}

/** Terms an outcome stands for (see NegotiationContext.coding). */
export interface OutcomeCoding {
  /** The terms as issues (names, units, grids), in the order decode gives them. */
  readonly issues: readonly Issue[];
  decode(o: Outcome): readonly number[];
  /** The outcome with these terms, or undefined when no outcome has them. */
  encode(terms: readonly number[]): Outcome | undefined;
  /** Quantities that follow from an outcome (e.g. the chips a package buys), for display. */
  derived(o: Outcome): Readonly<Record<string, number>>;
}

export interface Strategy {
  readonly meta: StrategyMeta;
  /** Build a negotiator for one negotiation. Unknown params are rejected earlier, by the scenario layer. */
  create(params: Readonly<Record<string, number>>, context?: NegotiationContext): Negotiator;
}

export type EndReason = 'agreement' | 'deadline' | 'walkaway';

export interface NegotiationResult {
  readonly agreement: Outcome | null;
  /** Step of the accepted offer, or the number of offers made when there is no agreement. */
  readonly step: number;
  readonly reason: EndReason;
  /** Final (discounted) payoffs; the reservation values when there is no agreement. */
  readonly payoffs: readonly [number, number];
  /** Undiscounted utilities of the agreement (reservation values when none). */
  readonly utilities: readonly [number, number];
  readonly offers: readonly OfferRecord[];
}

export interface NegotiationSetup {
  readonly space: OutcomeSpace;
  readonly parties: readonly [Preferences, Preferences];
  readonly negotiators: readonly [Negotiator, Negotiator];
  readonly deadline: number;
  readonly firstProposer: PartyIndex;
  /** Whether each side sees the other's preferences. */
  readonly completeInformation: boolean;
  /** One seeded stream per party. */
  readonly random: readonly [() => number, () => number];
  /** When false, only the agreement is kept (benchmarks); history still feeds strategies. */
  readonly record?: boolean;
}
