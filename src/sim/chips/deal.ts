/**
 * What the exporter and one country bargain over, and what each side gets from an outcome.
 *
 * Payoffs are in USD bn over one deal term; the negotiation engine sees them divided by a positive per-side
 * scale, which changes neither the Pareto frontier nor the Nash or Kalai-Smorodinsky solutions.
 */
import type { CompiledExpression } from '../../core/expr.js';
import type { Adversary, ChipsScenario, Country } from '../../core/scenario/schema.js';
import type { Issue, Outcome } from '../../negotiation/types.js';

/** Names of the deal issues, in the order they may appear in an outcome. */
export const DEAL_ISSUES = ['chips', 'tariff', 'investment', 'purchases', 'security'] as const;
export type DealIssue = (typeof DEAL_ISSUES)[number];

export const LICENCE_ISSUES = ['chips', 'revenueShare'] as const;

export interface DealSpace {
  readonly issues: readonly Issue[];
  /** Issue name -> index in an outcome, or -1 when the issue is not on the table for this country. */
  readonly index: Readonly<Record<string, number>>;
}

/** Money side of a deal, used for payoffs, events and metrics. */
export interface DealTerms {
  readonly chips: number;
  readonly tariff: number;
  readonly investment: number;
  readonly purchases: number;
  readonly security: number;
}

export function dealSpace(s: ChipsScenario, c: Country): DealSpace {
  const g = s.negotiation.grid;
  const k = c.concessions;
  const candidates: readonly (Issue & { readonly on: boolean })[] = [
    { name: 'chips', unit: 'H100e per round', min: 0, max: c.demandPerRound, steps: g.chips, on: c.demandPerRound > 0 },
    { name: 'tariff', unit: 'percentage points', min: 0, max: k.maxTariff, steps: g.tariff, on: k.maxTariff > 0 && g.tariff > 1 },
    { name: 'investment', unit: 'USD bn', min: 0, max: k.maxInvestment, steps: g.investment, on: k.maxInvestment > 0 && g.investment > 1 },
    { name: 'purchases', unit: 'USD bn', min: 0, max: k.maxPurchases, steps: g.purchases, on: k.maxPurchases > 0 && g.purchases > 1 },
    { name: 'security', unit: 'commitment 0-1', min: 0, max: 1, steps: g.security, on: g.security > 1 },
  ];
  const issues: Issue[] = [];
  const index: Record<string, number> = {};
  for (const { on, ...issue } of candidates) {
    index[issue.name] = on ? issues.length : -1;
    if (on) issues.push(issue);
  }
  return { issues, index };
}

export function termsOf(space: DealSpace, o: Outcome): DealTerms {
  const at = (name: DealIssue): number => {
    const i = space.index[name] ?? -1;
    return i < 0 ? 0 : (o[i] ?? 0);
  };
  return { chips: at('chips'), tariff: at('tariff'), investment: at('investment'), purchases: at('purchases'), security: at('security') };
}

/** Enforcement in force given a security commitment: the better of own capacity and the credible commitment. */
export function effectiveEnforcement(s: ChipsScenario, c: Country, security: number): number {
  return Math.max(c.enforcement, security * s.leakage.commitmentCredibility);
}

/** Face value to the exporter of the concessions in a deal (USD bn over the term). */
export function concessionsValue(c: Country, t: DealTerms): number {
  return t.tariff * c.concessions.tariffValuePerPp + t.investment + t.purchases;
}

/** Variables an expression payoff may use: the issues plus the country's parameters. */
export const PAYOFF_VARIABLES = [
  ...DEAL_ISSUES,
  'term', 'price', 'leakageCost', 'gdp', 'demand', 'value', 'relations', 'diversionRisk', 'enforcement', 'tier',
  'maxTariff', 'maxInvestment', 'maxPurchases',
] as const;

export function payoffScope(s: ChipsScenario, c: Country, t: DealTerms): Record<(typeof PAYOFF_VARIABLES)[number], number> {
  return {
    ...t,
    term: s.negotiation.term,
    price: s.exporter.price,
    leakageCost: s.exporter.leakageCost,
    gdp: c.gdp,
    demand: c.demandPerRound,
    value: c.valuePerH100e,
    relations: c.relations,
    diversionRisk: c.diversionRisk,
    enforcement: c.enforcement,
    tier: c.tier,
    maxTariff: c.concessions.maxTariff,
    maxInvestment: c.concessions.maxInvestment,
    maxPurchases: c.concessions.maxPurchases,
  };
}

export interface DealPayoffs {
  /** Country payoff of a deal, USD bn over the term. */
  country(t: DealTerms): number;
  /** Exporter payoff of a deal, USD bn over the term. */
  exporter(t: DealTerms): number;
  /** The same payoffs read straight from an outcome (the negotiation's inner loop: no allocation). */
  countryOf(o: Outcome): number;
  exporterOf(o: Outcome): number;
}

/** Built-in payoffs (docs/model.md, "Deal payoffs"), unless the scenario gives expressions. */
export function dealPayoffs(
  s: ChipsScenario,
  c: Country,
  space: DealSpace,
  exprs: { readonly country?: CompiledExpression; readonly exporter?: CompiledExpression },
): DealPayoffs {
  const T = s.negotiation.term;
  const { price, leakageCost, objective: w } = s.exporter;
  const k = c.concessions;
  const builtinCountry = (t: DealTerms): number =>
    (t.chips * T * (c.valuePerH100e - price)) / 1e9 -
    (t.tariff * k.tariffValuePerPp + t.investment * k.investmentCost + t.purchases * k.purchaseCost + t.security * k.securityCost);
  const builtinExporter = (t: DealTerms): number => {
    const revenue = (t.chips * T * price) / 1e9;
    const leak = (t.chips * T * c.diversionRisk * (1 - effectiveEnforcement(s, c, t.security)) * leakageCost) / 1e9;
    return w.revenue * revenue - w.security * leak + w.concessions * concessionsValue(c, t);
  };
  const ce = exprs.country;
  const ee = exprs.exporter;
  const country = ce ? (t: DealTerms) => ce.evaluate(payoffScope(s, c, t)) : builtinCountry;
  const exporter = ee ? (t: DealTerms) => ee.evaluate(payoffScope(s, c, t)) : builtinExporter;
  const ix = (name: DealIssue): number => space.index[name] ?? -1;
  const [iC, iT, iI, iP, iS] = [ix('chips'), ix('tariff'), ix('investment'), ix('purchases'), ix('security')];
  const at = (o: Outcome, i: number): number => (i < 0 ? 0 : (o[i] ?? 0));
  // Built-in payoffs are linear in every issue but security (which enters the exporter's leakage through a
  // max), so the inner loop needs only a few multiplications.
  const chipC = (T * (c.valuePerH100e - price)) / 1e9;
  const countryOf = ce
    ? (o: Outcome) => country(termsOf(space, o))
    : (o: Outcome) =>
        chipC * at(o, iC) -
        (at(o, iT) * k.tariffValuePerPp + at(o, iI) * k.investmentCost + at(o, iP) * k.purchaseCost + at(o, iS) * k.securityCost);
  const rev = (w.revenue * T * price) / 1e9;
  const leak = (w.security * T * c.diversionRisk * leakageCost) / 1e9;
  const exporterOf = ee
    ? (o: Outcome) => exporter(termsOf(space, o))
    : (o: Outcome) => {
        const chips = at(o, iC);
        return (
          rev * chips -
          leak * chips * (1 - effectiveEnforcement(s, c, at(o, iS))) +
          w.concessions * (at(o, iT) * k.tariffValuePerPp + at(o, iI) + at(o, iP))
        );
      };
  return { country, exporter, countryOf, exporterOf };
}

/**
 * No-deal payoffs (USD bn over the term) when the country could get `chipsAtStake` per round from a deal.
 * Country: what the rival supplier would give it. Exporter: sales lost to the rival, and the relationship.
 */
export function noDealPayoffs(
  s: ChipsScenario,
  c: Country,
  chipsAtStake: number,
  relations: number,
  rivalShare: number,
): { country: number; exporter: number } {
  const T = s.negotiation.term;
  const rivalChips = chipsAtStake * c.rivalAccess * rivalShare;
  const country = (rivalChips * T * Math.max(0, c.valuePerH100e - s.exporter.price)) / 1e9;
  const w = s.exporter.objective;
  const exporter = -w.marketShare * ((rivalChips * T * s.exporter.price) / 1e9) - w.relations * relations;
  return { country, exporter };
}

/** Licensed sales of downgraded chips to an adversary: chips (H100e per round) and the revenue share. */
export function licenceSpace(s: ChipsScenario, a: Adversary, maxShare: number): readonly Issue[] {
  return [
    { name: 'chips', unit: 'licensed chips per round', min: 0, max: Math.max(a.importDemandPerRound, 1e-9), steps: s.negotiation.grid.chips },
    { name: 'revenueShare', unit: 'fraction of price', min: 0, max: Math.max(maxShare, 1e-9), steps: 11 },
  ];
}

/**
 * Licensed-sale payoffs per downgraded chip (`downgrade` H100e each, sold at `downgrade` x price): the buyer
 * pays the price plus the revenue share; the exporter counts the adversary's compute gain as a security cost.
 */
export function licencePayoffs(
  s: ChipsScenario,
  a: Adversary,
  downgrade: number,
): { adversary: (o: Outcome) => number; exporter: (o: Outcome) => number } {
  const T = s.negotiation.term;
  const { price, leakageCost, objective: w } = s.exporter;
  return {
    adversary: (o) => ((o[0] ?? 0) * T * downgrade * (a.valuePerH100e - price * (1 + (o[1] ?? 0)))) / 1e9,
    exporter: (o) => {
      const compute = (o[0] ?? 0) * T * downgrade;
      return (w.revenue * compute * price * (1 + (o[1] ?? 0)) - w.security * compute * leakageCost) / 1e9;
    },
  };
}
