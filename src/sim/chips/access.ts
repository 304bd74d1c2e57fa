/**
 * What a regime allows one country in one round: purchases without a deal (split into the routes the 2025 rule
 * distinguishes: small-order exemption, validated end users, the cumulative cap) and how much a deal may add.
 * Pure: takes the country's state, returns allowances; the model applies supply and records use.
 */
import type { CompiledExpression } from '../../core/expr.js';
import type { ChipsScenario, Country, Rule } from '../../core/scenario/schema.js';
import type { Route } from '../../core/events.js';

/** Per-country state the rules read. Cap use is in H100e; "period" is the cumulative-cap period. */
export interface AccessState {
  readonly round: number;
  /** H100e bought under the cap in the current cap period (market purchases). */
  readonly capUsed: number;
  /** H100e delivered under a cap-upgrade deal in the current cap period. */
  readonly upgradeUsed: number;
  /** H100e bought under the small-order exemption in the current calendar year. */
  readonly exemptUsedThisYear: number;
  /** Chips per round active deals already deliver. */
  readonly dealChips: number;
  /** Chips still to be delivered (this round included) by active cap-upgrade deals. */
  readonly upgradeCommitted: number;
  readonly relations: number;
}

export interface Access {
  readonly route: Route;
  readonly exempt: number;
  readonly veu: number;
  /** Allowance under the cumulative cap this round (or unlimited market purchases). */
  readonly capped: number;
  readonly market: number;
  /** Total purchases allowed without a deal this round. */
  readonly marketAllowance: number;
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

/** Cumulative cap (H100e) that applies before any negotiated upgrade, or null for no cap. */
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

export function access(s: ChipsScenario, c: Country, r: CompiledRule, st: AccessState): Access {
  const none: Access = { route: 'denied', exempt: 0, veu: 0, capped: 0, market: 0, marketAllowance: 0, negotiableMax: 0, capRemaining: null, cap: null };
  const rule = r.rule;
  if (r.eligible && r.eligible.evaluate(ruleScope(c, st)) === 0) return none;

  // Purchases already covered by an active deal are not bought again.
  let want = Math.max(0, c.demandPerRound - st.dealChips);
  const exemptYear = rule.exemption ? (c.consignees * rule.exemption.tppPerConsigneePerYear) / s.tppPerH100e : 0;
  const exempt = Math.min(want, Math.max(0, exemptYear - st.exemptUsedThisYear));
  want -= exempt;
  const veuOk = rule.veu !== undefined && c.veuEligible && c.enforcement >= rule.veu.minEnforcement;
  const veu = veuOk && rule.veu ? Math.min(want, rule.veu.h100ePerRound) : 0;
  want -= veu;

  let capped = 0;
  let market = 0;
  let cap: number | null = null;
  let capRemaining: number | null = null;
  if (rule.market === 'unlimited') {
    market = want;
  } else if (rule.market !== 'none') {
    cap = baseCap(s, c, r, st) ?? 0;
    capRemaining = Math.max(0, cap - st.capUsed);
    capped = Math.min(want, capRemaining);
  }
  want -= market + capped;

  // Demand that neither active deals nor purchases cover may be bargained for, in a further deal if need be.
  let negotiableMax = 0;
  if (rule.negotiate === 'demand') {
    negotiableMax = want;
  } else if (rule.negotiate === 'cap-upgrade' && typeof rule.market !== 'string' && !c.g2g && cap !== null) {
    // A government-to-government agreement lifts the cap to g2gMultiplier times; a deal spreads what is left
    // of the extra allowance over its term.
    const extra = cap * (rule.market.g2gMultiplier - 1) - st.upgradeUsed - st.upgradeCommitted;
    negotiableMax = Math.min(want, Math.max(0, extra) / s.negotiation.term);
  }
  const marketAllowance = exempt + veu + capped + market;
  const route: Route = st.dealChips > 0 || negotiableMax > 0 ? 'negotiate' : marketAllowance > 0 ? 'market' : 'denied';
  return { route, exempt, veu, capped, market, marketAllowance, negotiableMax, capRemaining, cap };
}
