/**
 * The metric catalogue: every outcome a chips run reports, once, with its label, unit, direction and
 * definition. The result types (src/core/events.ts), the text report, the TUI, the HTML report, the
 * invariant names of `tradesim check`, the sweep columns and the metric tables of docs/model.md all derive
 * from these lists; the simulation attaches one compute function per key (src/sim/chips/collector.ts, typed
 * so that no key can be left out). test/sim/catalogue.test.ts checks that every metric is finite on every
 * shipped scenario, that its `movedBy` variant moves it, and that every consumer shows it.
 *
 * Pure data, in the core layer, so every layer above may read it.
 */

/** How a value is written: the unit decides the format everywhere. */
export type MetricFormat = 'h100e' | 'chips' | 'usd-bn' | 'usd' | 'share' | 'score' | 'count' | 'rounds' | 'utility';

/**
 * Which way is "better" from the exporter's policy point of view (used to colour differences, never to
 * compute anything). `neutral` when the debate has no agreed sign.
 */
export type MetricDirection = 'higher-better' | 'lower-better' | 'neutral';

/** A parameter change that should move the metric on the shipped calibrated scenarios (the conformance test runs it). */
export interface MetricVariant {
  /** A value path as for --set. */
  readonly path: string;
  /** The new value: a number or text, or `{ times }` to scale the scenario's own value. */
  readonly value: number | string | { readonly times: number };
  /** The shipped scenario the variant is run on (default: scenarios/bilateral-2025.yaml). */
  readonly scenario?: string;
}

export interface MetricDef {
  readonly key: string;
  /** Short label for tables and charts (no unit). */
  readonly label: string;
  readonly unit: string;
  readonly format: MetricFormat;
  readonly direction: MetricDirection;
  /** The claim of the debate it tests (model brief, section 4), or '' for bookkeeping metrics. */
  readonly claim: string;
  /** Definition, in words and symbols of docs/model.md. */
  readonly description: string;
  /** May be null (e.g. no agreement, so no rounds to agreement). */
  readonly nullable?: boolean;
  /** One of the metrics a report charts first when it has room for only some (the debate's headline claims). */
  readonly headline?: boolean;
  readonly movedBy: MetricVariant;
}

const CLAIM = {
  unenforceable: 'the tiered rule is unenforceable',
  hurtsFirms: 'controls stifle US innovation and hurt US firms',
  relations: 'controls weaken diplomatic relationships',
  fragments: 'controls fragment supply chains',
  leverage: 'chips are leverage in trade talks',
  catchUp: 'adversaries catch up',
  bargaining: 'who wins the bargaining',
  allocation: 'who gets how many chips',
} as const;

const supplyUp: MetricVariant = { path: 'exporter.supplyPerRound', value: { times: 1.3 } };

/** Final metrics of a chips run, in report order. */
export const FINAL_METRICS = [
  { key: 'delivered', headline: true, label: 'Chips exported to importers', unit: 'chips', format: 'chips', direction: 'neutral', claim: CLAIM.allocation, description: 'Σ over rounds and importing countries of the chips delivered, by every route (licence-free purchases, caps, exemption, VEU, deals).', movedBy: supplyUp },
  { key: 'importerFulfilment', label: 'Importer demand met', unit: 'share', format: 'share', direction: 'higher-better', claim: CLAIM.allocation, description: 'delivered / Σ demand at list price of the importing countries (their demand for the exporter\'s chips, after any switch to the rival stack).', movedBy: supplyUp },
  { key: 'domestic', label: 'Chips kept for the domestic market', unit: 'chips', format: 'chips', direction: 'neutral', claim: CLAIM.hurtsFirms, description: 'Σ over rounds of the chips the exporter\'s domestic buyers absorb (their demand at list price plus the scarcity premium, then what exports left).', movedBy: supplyUp },
  { key: 'licensedChips', label: 'Licensed chips sold to adversaries', unit: 'chips', format: 'chips', direction: 'neutral', claim: CLAIM.catchUp, description: 'Σ over rounds of downgraded chips sold to adversaries under licence or, where a regime lets them, on the open market (physical chips).', movedBy: { path: 'adversaries[CHN].importDemandPerRound', value: { times: 2 } } },
  { key: 'unsoldShare', label: 'Supply left unsold', unit: 'share', format: 'share', direction: 'lower-better', claim: CLAIM.hurtsFirms, description: 'Σ unsold chips / Σ supply (all product lines). A chip is unsold only when no buyer the regime admits values it at the list price.', movedBy: { path: 'exporter.supplyPerRound', value: { times: 1.6 } } },
  { key: 'scarcityPremium', label: 'Scarcity premium (mean)', unit: 'USD per chip', format: 'usd', direction: 'neutral', claim: CLAIM.leverage, description: 'Mean over rounds of λ, the price above list at which the licence-free market clears: the exporter\'s opportunity cost of a chip it licenses abroad.', movedBy: supplyUp },
  { key: 'revenueUsd', headline: true, label: 'Exporter revenue (all sales)', unit: 'USD bn', format: 'usd-bn', direction: 'higher-better', claim: CLAIM.hurtsFirms, description: 'Σ over rounds of list price × chips sold at home and abroad, licensed chips at their own price; revenue shares paid to the government are not deducted.', movedBy: { path: 'exporter.supplyPerRound', value: { times: 1.6 } } },
  { key: 'exportRevenueUsd', headline: true, label: 'Exporter revenue abroad', unit: 'USD bn', format: 'usd-bn', direction: 'higher-better', claim: CLAIM.hurtsFirms, description: 'The part of revenueUsd from sales to importing countries and adversaries.', movedBy: supplyUp },
  { key: 'licenceFeesUsd', label: 'Revenue share paid on licensed sales', unit: 'USD bn', format: 'usd-bn', direction: 'neutral', claim: CLAIM.catchUp, description: 'Σ revenue share × price × licensed chips: what the exporter\'s firms pay their government out of licensed sales (a transfer inside the exporter).', movedBy: { path: 'adversaries[CHN].importDemandPerRound', value: { times: 2 } } },
  { key: 'marketShare', headline: true, label: 'Exporter share of compute bought abroad', unit: 'share', format: 'share', direction: 'higher-better', claim: CLAIM.hurtsFirms, description: 'H100e the exporter sells to importing countries / (that + H100e importers buy from the rival).', movedBy: { path: 'rival.capacityPerRound', value: { times: 4 } } },
  { key: 'alternativeShare', headline: true, label: 'Importers\' compute from the rival stack', unit: 'share', format: 'share', direction: 'lower-better', claim: CLAIM.fragments, description: 'H100e importers buy from the rival / all H100e importers buy.', movedBy: { path: 'rival.capacityPerRound', value: { times: 4 } } },
  { key: 'countriesSwitched', label: 'Countries switched to the rival stack', unit: 'countries', format: 'count', direction: 'lower-better', claim: CLAIM.fragments, description: 'Importing countries whose rival-stack share ends at or above stack.switchThreshold (the share moves towards the rival share of each round\'s purchases, and falls back slowly: lock-in).', movedBy: { path: 'rival.capacityPerRound', value: { times: 40 } } },
  { key: 'relationsMean', headline: true, label: 'Relations at the end (mean)', unit: 'score 0-1', format: 'score', direction: 'higher-better', claim: CLAIM.relations, description: 'Mean over importing countries of the final relation score.', movedBy: supplyUp },
  { key: 'relationsMin', label: 'Relations at the end (lowest)', unit: 'score 0-1', format: 'score', direction: 'higher-better', claim: CLAIM.relations, description: 'Lowest final relation score.', movedBy: supplyUp },
  { key: 'relationsFell', label: 'Countries whose relations fell', unit: 'countries', format: 'count', direction: 'lower-better', claim: CLAIM.relations, description: 'Importing countries whose final score is more than relations.fallThreshold below their start.', movedBy: { path: 'exporter.supplyPerRound', value: { times: 0.6 } } },
  { key: 'concessionsUsd', headline: true, label: 'Concessions obtained (value to the exporter)', unit: 'USD bn', format: 'usd-bn', direction: 'higher-better', claim: CLAIM.leverage, description: 'Σ over signed deals of Y(x): tariff points at their value plus pledges at the share of face value the exporter credits, times trust (the relation score).', movedBy: { path: 'exporter.supplyPerRound', value: { times: 0.8 } } },
  { key: 'pledgesFaceUsd', label: 'Concessions at face value (headline)', unit: 'USD bn', format: 'usd-bn', direction: 'neutral', claim: CLAIM.leverage, description: 'Σ over signed deals of tariff value + investment and purchase pledges at face value: what a press release would announce.', movedBy: { path: 'exporter.supplyPerRound', value: { times: 0.8 } } },
  { key: 'concessionsPerChip', label: 'Concessions per chip under deals', unit: 'USD per chip', format: 'usd', direction: 'higher-better', claim: CLAIM.leverage, description: 'concessionsUsd × 10^9 / chips delivered under deals (0 when no deal delivered).', nullable: true, movedBy: { path: 'exporter.supplyPerRound', value: { times: 0.8 } } },
  { key: 'enforcementCommitments', label: 'Countries with a security commitment', unit: 'countries', format: 'count', direction: 'higher-better', claim: CLAIM.unenforceable, description: 'Importing countries that signed at least one deal with a security commitment above 0.', movedBy: { path: 'exporter.leakageCost', value: { times: 3 } } },
  { key: 'leakage', headline: true, label: 'Compute diverted to adversaries', unit: 'H100e', format: 'h100e', direction: 'lower-better', claim: CLAIM.unenforceable, description: 'Σ over rounds and importers of diverted H100e: deliveries × diversion risk × (1 - effective enforcement) × smuggling pressure × noise.', movedBy: { path: 'leakage.scarcityElasticity', value: 0 } },
  { key: 'leakageShare', label: 'Diverted share of exports', unit: 'share', format: 'share', direction: 'lower-better', claim: CLAIM.unenforceable, description: 'leakage / H100e delivered to importers.', movedBy: { path: 'leakage.scarcityElasticity', value: 0 } },
  { key: 'adversaryCompute', headline: true, label: 'Adversary compute acquired', unit: 'H100e', format: 'h100e', direction: 'lower-better', claim: CLAIM.catchUp, description: 'Σ over adversaries and rounds of domestic production + legal imports + diverted chips.', movedBy: { path: 'adversaries[CHN].domesticScarcityResponse', value: 0 } },
  { key: 'adversaryDomestic', label: 'Adversary domestic production', unit: 'H100e', format: 'h100e', direction: 'lower-better', claim: CLAIM.catchUp, description: 'Σ of domestic production; it grows with time and with the share of the adversary\'s import demand left unmet (domesticScarcityResponse).', movedBy: { path: 'adversaries[CHN].domesticScarcityResponse', value: 0 } },
  { key: 'adversaryLicensed', label: 'Adversary legal imports', unit: 'H100e', format: 'h100e', direction: 'lower-better', claim: CLAIM.catchUp, description: 'Σ of H100e adversaries import legally: licensed downgraded chips and, where a regime allows it, open-market purchases.', movedBy: { path: 'adversaries[CHN].importDemandPerRound', value: { times: 2 } } },
  { key: 'adversaryDiverted', label: 'Adversary compute from diversion', unit: 'H100e', format: 'h100e', direction: 'lower-better', claim: CLAIM.catchUp, description: 'Σ of the adversaries\' shares of leaked H100e.', movedBy: { path: 'leakage.scarcityElasticity', value: 0 } },
  { key: 'blocCompute', label: 'Compute added to the exporter bloc', unit: 'H100e', format: 'h100e', direction: 'higher-better', claim: CLAIM.catchUp, description: 'H100e kept at home + H100e delivered to importers - leakage.', movedBy: supplyUp },
  { key: 'gapToBloc', label: 'Bloc lead over adversaries', unit: 'H100e', format: 'h100e', direction: 'higher-better', claim: CLAIM.catchUp, description: 'blocCompute - adversaryCompute.', movedBy: supplyUp },
  { key: 'agreementRate', headline: true, label: 'Agreement rate', unit: 'share', format: 'share', direction: 'neutral', claim: CLAIM.bargaining, description: 'Deals and licences signed / negotiations held (an agreement on zero chips counts as none).', nullable: true, movedBy: { path: 'rival.price', value: { times: 0.3 } } },
  { key: 'meanRoundsToAgreement', label: 'Rounds to first agreement (mean)', unit: 'rounds', format: 'rounds', direction: 'neutral', claim: CLAIM.bargaining, description: 'Mean over countries with a deal of the rounds from their first negotiation to their first deal, counting both (1: agreed at once).', nullable: true, movedBy: { path: 'regime', value: 'tiered-2025' } },
  { key: 'giniFulfilment', headline: true, label: 'Inequality of access (Gini of demand met)', unit: 'Gini 0-1', format: 'score', direction: 'neutral', claim: CLAIM.allocation, description: 'Gini coefficient, across importing countries, of the share of each one\'s demand the exporter met.', movedBy: { path: 'regime', value: 'tiered-2025' } },
  { key: 'meanDistanceToNash', label: 'Distance to the Nash solution (mean)', unit: 'normalised utility', format: 'utility', direction: 'neutral', claim: CLAIM.bargaining, description: 'Mean over countries of the mean distance, in normalised utility space, from each agreement (or the disagreement point) to the Nash point of that negotiation.', nullable: true, movedBy: { path: 'exporter.strategy', value: 'conceder' } },
  { key: 'meanExporterUtility', label: 'Exporter utility per negotiation (mean)', unit: 'normalised utility', format: 'utility', direction: 'higher-better', claim: CLAIM.bargaining, description: 'Mean over negotiations of the exporter\'s discounted payoff (its reservation on no deal).', nullable: true, movedBy: { path: 'exporter.strategy', value: 'conceder' } },
  { key: 'meanCountryUtility', label: 'Country utility per negotiation (mean)', unit: 'normalised utility', format: 'utility', direction: 'neutral', claim: CLAIM.bargaining, description: 'Mean over countries that negotiated of their mean discounted payoff.', nullable: true, movedBy: { path: 'exporter.strategy', value: 'conceder' } },
] as const satisfies readonly MetricDef[];

/** Metrics recorded every round (the time series of the reports and the replay). */
export const ROUND_METRICS = [
  { key: 'delivered', headline: true, label: 'Chips exported to importers', unit: 'chips', format: 'chips', direction: 'neutral', claim: CLAIM.allocation, description: 'Chips delivered to importing countries this round.', movedBy: supplyUp },
  { key: 'domestic', label: 'Chips kept at home', unit: 'chips', format: 'chips', direction: 'neutral', claim: CLAIM.hurtsFirms, description: 'Chips the domestic market absorbed this round.', movedBy: supplyUp },
  { key: 'licensed', label: 'Chips sold to adversaries', unit: 'chips', format: 'chips', direction: 'neutral', claim: CLAIM.catchUp, description: 'Chips sold to adversaries this round: licensed downgraded products, or any chip where the regime admits them (open market).', movedBy: { path: 'adversaries[CHN].importDemandPerRound', value: { times: 2 } } },
  { key: 'unsold', label: 'Chips unsold', unit: 'chips', format: 'chips', direction: 'lower-better', claim: CLAIM.hurtsFirms, description: 'Supply no admitted buyer valued at its price this round, all product lines.', movedBy: { path: 'exporter.supplyPerRound', value: { times: 1.6 } } },
  { key: 'licensedUnsold', label: 'Licensed-line chips unsold', unit: 'chips', format: 'chips', direction: 'neutral', claim: CLAIM.catchUp, description: 'The part of unsold from licensed product lines (a downgraded product nobody else buys: e.g. H20s the adversary would not take at their price).', movedBy: { path: 'adversaries[CHN].importDemandPerRound', value: { times: 2 } } },
  { key: 'scarcityPremium', label: 'Scarcity premium', unit: 'USD per chip', format: 'usd', direction: 'neutral', claim: CLAIM.leverage, description: 'λ after the round\'s deals: the premium above list price at which the licence-free market clears.', movedBy: supplyUp },
  { key: 'revenueUsd', headline: true, label: 'Exporter revenue', unit: 'USD bn', format: 'usd-bn', direction: 'higher-better', claim: CLAIM.hurtsFirms, description: 'Revenue from all sales this round.', movedBy: { path: 'exporter.supplyPerRound', value: { times: 1.6 } } },
  { key: 'concessionsUsd', label: 'Concessions signed', unit: 'USD bn', format: 'usd-bn', direction: 'higher-better', claim: CLAIM.leverage, description: 'Value to the exporter of the concessions in deals signed this round.', movedBy: { path: 'exporter.supplyPerRound', value: { times: 0.8 } } },
  { key: 'leakage', headline: true, label: 'Compute diverted', unit: 'H100e', format: 'h100e', direction: 'lower-better', claim: CLAIM.unenforceable, description: 'H100e diverted from importers this round.', movedBy: { path: 'leakage.scarcityElasticity', value: 0 } },
  { key: 'diversionPressure', label: 'Smuggling pressure', unit: 'index 0-1', format: 'score', direction: 'lower-better', claim: CLAIM.unenforceable, description: 'The adversaries\' demand-weighted premium for a diverted chip, relative to its maximum, raised to leakage.scarcityElasticity: it scales every country\'s diversion this round.', movedBy: { path: 'adversaries[CHN].importDemandPerRound', value: { times: 2 } } },
  { key: 'rivalSales', label: 'Rival chips to importers', unit: 'chips', format: 'chips', direction: 'lower-better', claim: CLAIM.fragments, description: 'Rival chips importers bought this round.', movedBy: { path: 'rival.capacityPerRound', value: { times: 4 } } },
  { key: 'rivalCapacity', label: 'Rival export capacity', unit: 'chips per round', format: 'chips', direction: 'lower-better', claim: CLAIM.fragments, description: 'The rival\'s export capacity this round; it grows with time and with demand it could not serve.', movedBy: { path: 'rival.demandResponse', value: 0 } },
  { key: 'marketShare', label: 'Exporter share abroad', unit: 'share', format: 'share', direction: 'higher-better', claim: CLAIM.hurtsFirms, description: 'Exporter H100e to importers / (that + rival H100e) this round.', movedBy: { path: 'rival.capacityPerRound', value: { times: 4 } } },
  { key: 'relationsMean', headline: true, label: 'Relations (mean)', unit: 'score 0-1', format: 'score', direction: 'higher-better', claim: CLAIM.relations, description: 'Mean relation score after this round.', movedBy: supplyUp },
  { key: 'relationsMin', label: 'Relations (lowest)', unit: 'score 0-1', format: 'score', direction: 'higher-better', claim: CLAIM.relations, description: 'Lowest relation score after this round.', movedBy: supplyUp },
  { key: 'adversaryCompute', label: 'Adversary compute', unit: 'H100e', format: 'h100e', direction: 'lower-better', claim: CLAIM.catchUp, description: 'Adversaries\' domestic + imported + diverted H100e this round.', movedBy: { path: 'adversaries[CHN].domesticScarcityResponse', value: 0 } },
  { key: 'deals', label: 'Deals signed', unit: 'deals', format: 'count', direction: 'neutral', claim: CLAIM.bargaining, description: 'Deals and licences signed this round.', movedBy: { path: 'rival.price', value: { times: 0.3 } } },
  { key: 'negotiations', label: 'Negotiations held', unit: 'negotiations', format: 'count', direction: 'neutral', claim: CLAIM.bargaining, description: 'Negotiations held this round.', movedBy: { path: 'negotiation.term', value: 2 } },
] as const satisfies readonly MetricDef[];

/**
 * Per-country outcomes (CountryOutcome fields) a comparison reports for "who gains and loses". `direction` is
 * from the country's point of view here (more chips is better for it), unlike the exporter-policy view above.
 */
export interface CountryMetricDef {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly format: MetricFormat;
  readonly direction: MetricDirection;
  readonly description: string;
}

export const COUNTRY_METRICS = [
  { key: 'delivered', label: 'Chips delivered', unit: 'chips', format: 'chips', direction: 'higher-better', description: 'Chips the country received over the run, by every route (physical chips).' },
  { key: 'fulfilment', label: 'Demand met', unit: 'share', format: 'share', direction: 'higher-better', description: 'delivered / its demand at list price over the run.' },
  { key: 'concessionsUsd', label: 'Concessions given', unit: 'USD bn', format: 'usd-bn', direction: 'neutral', description: 'Value to the exporter of the concessions in the deals it signed (tariff cuts, credited pledges, times trust).' },
  { key: 'relationsEnd', label: 'Relations at the end', unit: 'score 0-1', format: 'score', direction: 'higher-better', description: 'Its relation score with the exporter after the last round.' },
] as const satisfies readonly CountryMetricDef[];

export type CountryMetricKey = (typeof COUNTRY_METRICS)[number]['key'];

export type FinalMetricKey = (typeof FINAL_METRICS)[number]['key'];
export type RoundMetricKey = (typeof ROUND_METRICS)[number]['key'];

type NullableKeys<L extends readonly MetricDef[]> = Extract<L[number], { readonly nullable: true }>['key'];

/** Final metrics of a run: one value per catalogue key (null only where the catalogue says so). */
export type FinalMetrics = { readonly [K in FinalMetricKey]: K extends NullableKeys<typeof FINAL_METRICS> ? number | null : number };
export type RoundMetricValues = { readonly [K in RoundMetricKey]: number };

export const FINAL_METRIC_KEYS: readonly FinalMetricKey[] = FINAL_METRICS.map((m) => m.key);
export const ROUND_METRIC_KEYS: readonly RoundMetricKey[] = ROUND_METRICS.map((m) => m.key);

const finalByKey = new Map<string, MetricDef>(FINAL_METRICS.map((m) => [m.key, m]));
const roundByKey = new Map<string, MetricDef>(ROUND_METRICS.map((m) => [m.key, m]));

/** The catalogue entry of a final metric (undefined for an unknown key, e.g. from an older artifact). */
export function finalMetric(key: string): MetricDef | undefined {
  return finalByKey.get(key);
}

const countryByKey = new Map<string, CountryMetricDef>(COUNTRY_METRICS.map((m) => [m.key, m]));

export function countryMetric(key: string): CountryMetricDef | undefined {
  return countryByKey.get(key);
}

export function roundMetric(key: string): MetricDef | undefined {
  return roundByKey.get(key);
}

export function isFinalMetricKey(key: string): key is FinalMetricKey {
  return finalByKey.has(key);
}

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec = (d: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const f1 = dec(1);
const f2 = dec(2);
const f3 = dec(3);

/** A metric value written with its unit, as every report shows it. */
export function formatMetric(def: Pick<MetricDef, 'format' | 'unit'>, x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  const int = (v: number): string => intFmt.format(Math.round(v) === 0 ? 0 : v);
  switch (def.format) {
    case 'h100e':
      return `${int(x)} H100e`;
    case 'chips':
      return `${int(x)} chips`;
    case 'usd-bn':
      return `$${f2.format(x)}bn`;
    case 'usd':
      return `$${int(x)}`;
    case 'share':
      return `${f1.format(100 * x)}%`;
    case 'score':
    case 'utility':
      return f3.format(x);
    case 'count':
      return int(x);
    case 'rounds':
      return f2.format(x);
  }
}

/** A metric value without its unit (for a column whose header carries it): "3.62", "92.5%", "137,305". */
export function formatValue(def: Pick<MetricDef, 'format'>, x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  switch (def.format) {
    case 'usd-bn':
      return f2.format(x);
    case 'share':
      return `${f1.format(100 * x)}%`;
    case 'score':
    case 'utility':
      return f3.format(x);
    case 'rounds':
      return f2.format(x);
    default:
      return intFmt.format(Math.round(x) === 0 ? 0 : x);
  }
}

/** Label with its unit, for chart titles and table headers: "Exporter revenue (USD bn)". */
export function labelWithUnit(def: Pick<MetricDef, 'label' | 'unit'>): string {
  return `${def.label} (${def.unit})`;
}
