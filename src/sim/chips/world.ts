/**
 * The state of a chips run: agents hold only state (relations, rival-stack share, caps used, contracts in
 * force, capacities); what a round computes lives in RoundContext and is dropped when the round ends; every
 * metric is the collector's (collector.ts).
 */
import type { Route, SimEvent } from '../../core/events.js';
import type { Uniform } from '../../core/rng.js';
import type { LicensedRuleT } from '../../core/scenario/schema.js';
import type { Access } from './access.js';
import type { Epoch } from './compile.js';
import type { LinearDemand } from './demand.js';

/** A signed deal: chips per round for its term. */
export interface ActiveDeal {
  readonly chipsPerRound: number;
  /** Round (0-based) it was signed; it delivers from then. */
  readonly since: number;
  /** Last round (0-based) it delivers in. */
  readonly until: number;
  readonly security: number;
  /** A cap-upgrade deal (tiered rule): its chips count against the raised cap. */
  readonly upgrade: boolean;
}

/** A licence for an adversary: downgraded chips per round for its term. */
export interface ActiveLicence {
  readonly chipsPerRound: number;
  readonly since: number;
  readonly until: number;
  readonly product: LicensedRuleT;
}

export interface CountryState {
  relations: number;
  /** Share of its AI compute on the rival stack. */
  stack: number;
  capUsed: number;
  upgradeUsed: number;
  exemptUsedThisYear: number;
  deals: ActiveDeal[];
  route: Route;
  readonly leakStream: Uniform;
  readonly relationStream: Uniform;
}

export interface AdversaryState {
  /** Domestic production this round (H100e per round). */
  domestic: number;
  /** Domestic production in the last round run (for the outcome). */
  domesticLast: number;
  licences: ActiveLicence[];
  /** Share of its import demand left unmet last round (drives domestic investment). */
  unmetShare: number;
}

export interface WorldState {
  readonly countries: CountryState[];
  readonly adversaries: AdversaryState[];
  /** The rival's export capacity this round (chips). */
  rivalCapacity: number;
  /** The rival's scarcity premium last round (USD per chip): what countries expect to pay above its price. */
  rivalPremium: number;
  /** Rival chips each country bought last round (a failed talk expects the others to buy the same again). */
  readonly rivalBought: number[];
  /** The countries whose rivalBought is not zero, in order (the no-deal positions sum over them only). */
  rivalBuyers: number[];
  /** λ at which the licence-free market cleared last round (countries expect it again). */
  lambdaBefore: number;
  /** Chips the domestic market absorbed last round (the UVEU share and the licensed-volume cap read it). */
  domesticBefore: number;
  /** Smuggling pressure for this round (from the adversaries' position last round), 0-1. */
  pressure: number;
  /** Id of the regime in force and the round it came into force. */
  regimeId: string;
  regimeSince: number;
}

/** Per country, what this round computed. */
export interface CountryRound {
  access: Access;
  /** Demand for the exporter's chips this round (growth and rival-stack share applied). */
  demand: LinearDemand;
  /** Chips per round of deals in force (after any force-majeure scaling), before this round's new deal. */
  dealChips: number;
  /** Licence-free purchases reserved at the deal price (the baseline a new deal adds to). */
  baseline: number;
  /** Chips reserved for a new deal this round (the most a package could buy), 0 when none is negotiated. */
  reserved: number;
  newDeal: number;
  /** Licence-free purchases this round, by route. */
  exempt: number;
  veu: number;
  capped: number;
  market: number;
  delivered: number;
  /** Chips delivered under upgrade deals this round. */
  upgradeDelivered: number;
  rivalChips: number;
  rivalH100e: number;
  leaked: number;
  signed: boolean;
  /** Value to the exporter and face value of the concessions of the deal signed this round (USD bn). */
  signedValue: number;
  signedFace: number;
  concessionBurden: number;
}

export interface AdversaryRound {
  /** Frontier chips bought on an open market, downgraded chips bought freely or under licence. */
  marketChips: number;
  licensedChips: number;
  licensedH100e: number;
  licenceFees: number;
  revenueUsd: number;
  /** Compute demand curve this round (H100e). */
  demand: LinearDemand;
  imports: number;
  diverted: number;
  /** Domestic production this round (H100e). */
  domesticThisRound: number;
}

export interface RoundContext {
  readonly r: number;
  readonly round: number;
  readonly label: string;
  readonly epoch: Epoch;
  readonly emit: ((e: SimEvent) => void) | undefined;
  readonly supply: number;
  /** Main-line supply left after contracts in force. */
  free: number;
  /** Share of their chips the contracts in force deliver this round (below 1 only if supply fell below them). */
  contractFactor: number;
  /** Licensed lines: chips available this round by product name. */
  readonly lines: Map<string, number>;
  /** Licensed lines: supply this round by product name, and in all. */
  readonly lineSupplies: ReadonlyMap<string, number>;
  readonly lineSupply: number;
  readonly countries: CountryRound[];
  readonly adversaries: AdversaryRound[];
  /** Shadow price the deals were priced at, and the one the licence-free market cleared at. */
  lambdaDeals: number;
  lambda: number;
  committed: number;
  domestic: number;
  unsold: number;
  /** The part of unsold from licensed product lines. */
  licensedUnsold: number;
  revenueUsd: number;
  exportRevenueUsd: number;
  concessionsUsd: number;
  faceUsd: number;
  deals: number;
  negotiations: number;
  /** Smuggling pressure this round, and the one it leaves for the next. */
  readonly pressure: number;
  pressureNext: number;
  /** The rival's export capacity this round (chips). */
  rivalCapacity: number;
}
