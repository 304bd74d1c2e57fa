/**
 * What a regime allows one country in one round (docs/model.md, "Access"): upper bounds on licence-free
 * purchases by route (small-order exemption, validated end users, the cumulative cap, unlimited), and whether
 * and how far a deal may add to them. Pure: takes the country's state, returns bounds in chips; the market
 * clearing decides how much of each bound is bought.
 */
import type { CompiledExpression } from '../../core/expr.js';
import type { Route } from '../../core/events.js';
import type { ChipsScenario, Country, Rule } from '../../core/scenario/schema.js';

/** Per-country state the rules read. Cap use is in H100e; "period" is the cumulative-cap period. */
export interface AccessState {
  readonly round: number;
  /** Rounds since the regime in force came into force (cap periods count from then). */
  readonly regimeRound: number;
  /** H100e bought under the cap in the current cap period. */
  readonly capUsed: number;
  /** H100e delivered under cap-upgrade deals in the current cap period, plus what those in force still owe. */
  readonly upgradeUsed: number;
  /** H100e bought under the small-order exemption in the current calendar year. */
  readonly exemptUsedThisYear: number;
  /** Chips per round of the deals in force. */
  readonly dealChips: number;
  readonly relations: number;
  /** Chips the exporter's domestic market absorbed the round before (the UVEU share applies to it). */
  readonly domesticBefore: number;
}

export interface Access {
  readonly route: Route;
  /** Upper bounds on this round's licence-free purchases, by route (chips); Infinity for `unlimited`. */
  readonly exempt: number;
  readonly veu: number;
  readonly capped: number;
  readonly market: number;
  /** Whether a new deal may be negotiated, and the most chips per round it may add (Infinity: demand-bound). */
  readonly negotiate: boolean;
  readonly negotiableMax: number;
  readonly capRemaining: number | null;
  /** Cap in H100e for the current period (after any g2g multiple), or null when uncapped. */
  readonly cap: number | null;
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly capExpr?: CompiledExpression;
  readonly eligible?: CompiledExpression;
}

export const RULE_VARIABLES = [
  'tier', 'gdp', 'demand', 'value', 'relations', 'diversionRisk', 'enforcement', 'g2g', 'veuEligible', 'consignees', 'round',
] as const;

export function ruleScope(c: Country, st: AccessState): Record<(typeof RULE_VARIABLES)[number], number> {
  return {
    tier: c.tier,
    gdp: c.gdp,
    demand: c.demandPerRound,
    value: c.valuePerH100e,
    relations: st.relations,
    diversionRisk: c.diversionRisk,
    enforcement: c.enforcement,
    g2g: c.g2g ? 1 : 0,
    veuEligible: c.veuEligible ? 1 : 0,
    consignees: c.consignees,
    round: st.round + 1,
  };
}

/** Cumulative cap (H100e) before any negotiated upgrade, or null for no cap. */
export function baseCap(s: ChipsScenario, c: Country, r: CompiledRule, st: AccessState): number | null {
  const m = r.rule.market;
  if (typeof m === 'string') return null;
  const cap = r.capExpr ? r.capExpr.evaluate(ruleScope(c, st)) : m.capTpp / s.tppPerH100e;
  return Math.max(0, cap) * (c.g2g ? m.g2gMultiplier : 1);
}

export function capPeriodRounds(r: CompiledRule): number | null {
  const m = r.rule.market;
  return typeof m === 'string' ? null : m.periodRounds;
}

/** Share of a VEU allowance approved at enforcement e: 0 below `from`, 1 from `to`, smoothstep between (no cliff). */
export function veuApproval(e: number, from: number, to: number): number {
  if (to <= from) return e >= from ? 1 : 0;
  const x = Math.min(1, Math.max(0, (e - from) / (to - from)));
  return x * x * (3 - 2 * x);
}

const NONE: Access = { route: 'denied', exempt: 0, veu: 0, capped: 0, market: 0, negotiate: false, negotiableMax: 0, capRemaining: null, cap: null };

export function access(s: ChipsScenario, c: Country, r: CompiledRule, st: AccessState): Access {
  const rule = r.rule;
  if (r.eligible && !r.eligible.test(ruleScope(c, st))) return NONE;
  const h = s.exporter.h100ePerChip;
  const exemptYear = rule.exemption ? (c.consignees * rule.exemption.tppPerConsigneePerYear) / s.tppPerH100e : 0;
  const exempt = Math.max(0, exemptYear - st.exemptUsedThisYear) / h;
  let veu = 0;
  if (rule.veu) {
    const v = rule.veu;
    const approved = veuApproval(c.enforcement, v.approvalFrom, v.approvalTo);
    veu = approved * ((c.veuEligible ? v.nveuPerRound / h : 0) + v.uveuShare * st.domesticBefore);
  }
  let capped = 0;
  let market = 0;
  let cap: number | null = null;
  let capRemaining: number | null = null;
  if (rule.market === 'unlimited') {
    market = Infinity;
  } else if (rule.market !== 'none') {
    cap = baseCap(s, c, r, st) ?? 0;
    capRemaining = Math.max(0, cap - st.capUsed);
    capped = capRemaining / h;
  }
  let negotiableMax = 0;
  let negotiate = false;
  if (rule.negotiate === 'demand') {
    negotiate = true;
    negotiableMax = Infinity;
  } else if (rule.negotiate === 'cap-upgrade' && typeof rule.market !== 'string' && !c.g2g && cap !== null) {
    // A government-to-government agreement lifts the cap to g2gMultiplier times; a deal spreads what is left
    // of the extra allowance over its term.
    const extra = cap * (rule.market.g2gMultiplier - 1) - st.upgradeUsed;
    negotiableMax = Math.max(0, extra) / s.negotiation.term / h;
    negotiate = negotiableMax > 0;
  }
  const free = exempt + veu + capped + market;
  const route: Route = st.dealChips > 0 || negotiate ? 'negotiate' : free > 0 ? 'market' : 'denied';
  return { route, exempt, veu, capped, market, negotiate, negotiableMax, capRemaining, cap };
}

/**
 * Splits a country's licence-free purchase across the routes that allowed it, in the order the rule counts
 * them: exemption first (outside the cap), then VEU, then the cap, then unlimited purchases.
 */
export function splitByRoute(a: Access, bought: number): { exempt: number; veu: number; capped: number; market: number } {
  let left = bought;
  const take = (bound: number): number => {
    const x = Math.min(left, bound);
    left -= x;
    return x;
  };
  const exempt = take(a.exempt);
  const veu = take(a.veu);
  const capped = take(a.capped);
  const market = take(a.market);
  return { exempt, veu, capped, market };
}
