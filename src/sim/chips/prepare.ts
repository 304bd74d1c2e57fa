/**
 * Turn a validated chips scenario into what a run needs: the regime resolved, rules and expressions compiled,
 * strategies looked up and checked, each country's deal space and utilities built. Done once per scenario and
 * regime, then shared by every seeded run (utilities keep their identity, so offer indexes are cached).
 */
import { compileExpression, type CompiledExpression } from '../../core/expr.js';
import { InputError } from '../../core/errors.js';
import type { Adversary, ChipsScenario, Country, Regime, StrategyChoice } from '../../core/scenario/schema.js';
import { RegimeSchema } from '../../core/scenario/schema.js';
import type { Outcome, Strategy, UtilityFn } from '../../negotiation/types.js';
import { builtinRegimes } from '../regimes/index.js';
import { resolveStrategy } from '../strategy-choice.js';
import { RULE_VARIABLES, type CompiledRule } from './access.js';
import {
  dealPayoffs,
  dealSpace,
  licencePayoffs,
  licenceSpace,
  PAYOFF_VARIABLES,
  type DealPayoffs,
  type DealSpace,
} from './deal.js';

export interface PlayerStrategy {
  readonly strategy: Strategy;
  readonly params: Readonly<Record<string, number>>;
}

export interface PreparedCountry {
  readonly c: Country;
  readonly rule: CompiledRule;
  readonly space: DealSpace;
  readonly payoffs: DealPayoffs;
  /** Normalised utilities seen by the negotiation engine (payoff / scale). */
  readonly uExporter: UtilityFn;
  readonly uCountry: UtilityFn;
  readonly scaleExporter: number;
  readonly scaleCountry: number;
  readonly strategy: PlayerStrategy;
}

export interface PreparedAdversary {
  readonly a: Adversary;
  readonly rule: CompiledRule;
  readonly licence?: {
    readonly issues: ReturnType<typeof licenceSpace>;
    readonly uExporter: UtilityFn;
    readonly uAdversary: UtilityFn;
    readonly scaleExporter: number;
    readonly scaleAdversary: number;
  };
  readonly strategy: PlayerStrategy;
}

export interface PreparedChips {
  readonly scenario: ChipsScenario;
  readonly regime: Regime;
  readonly exporterStrategy: PlayerStrategy;
  /** Sorted by id, so file order never matters. */
  readonly countries: readonly PreparedCountry[];
  readonly adversaries: readonly PreparedAdversary[];
}

/** Resolve a regime name (built-in or the scenario's own) or an inline regime. */
export function resolveRegime(s: ChipsScenario, override?: string): Regime {
  const choice = override ?? s.regime;
  if (typeof choice !== 'string') return choice;
  // Own keys only: a name such as "constructor" must not find an inherited property (issue 22).
  const own = Object.hasOwn(s.regimes, choice) ? s.regimes[choice] : undefined;
  if (own) return own;
  const builtin = Object.hasOwn(builtinRegimes, choice) ? builtinRegimes[choice] : undefined;
  if (builtin) return builtin;
  const known = [...Object.keys(s.regimes), ...Object.keys(builtinRegimes)];
  throw new InputError({
    path: override !== undefined ? '--regime' : 'regime',
    message: `unknown regime "${choice}"`,
    expected: `one of ${known.join(', ')}`,
    found: JSON.stringify(choice),
  });
}

function compileRule(regime: Regime, key: string, path: string): CompiledRule {
  const rule = (Object.hasOwn(regime.countries, key) ? regime.countries[key] : undefined) ?? regime[key as 'tier1' | 'tier2' | 'tier3'];
  const where = { path };
  const out: { rule: typeof rule; capExpr?: CompiledExpression; eligible?: CompiledExpression } = { rule };
  if (rule.capExpr !== undefined) {
    out.capExpr = compileExpression(rule.capExpr, { where: { path: `${path}.capExpr` }, variables: RULE_VARIABLES, type: 'number' });
  }
  if (rule.eligible !== undefined) {
    out.eligible = compileExpression(rule.eligible, { where: { ...where, path: `${path}.eligible` }, variables: RULE_VARIABLES, type: 'boolean' });
  }
  return out;
}

function ruleFor(regime: Regime, regimePath: string, id: string, tier: 1 | 2 | 3): CompiledRule {
  const own = Object.hasOwn(regime.countries, id);
  const key = own ? id : `tier${tier}`;
  const path = own ? `${regimePath}.countries.${id}` : `${regimePath}.tier${tier}`;
  return compileRule(regime, key, path);
}

/** Where the regime's rules are written in the scenario, for error messages. */
function regimePathOf(s: ChipsScenario, override?: string): string {
  const choice = override ?? s.regime;
  return typeof choice === 'string' && Object.hasOwn(s.regimes, choice) ? `regimes.${choice}` : 'regime';
}

function player(s: ChipsScenario, choice: StrategyChoice, path: string): PlayerStrategy {
  return resolveStrategy(choice, path, { complete: s.negotiation.information === 'complete', path: 'negotiation.information' });
}

/** Largest absolute payoff over the corners of the space: a positive scale for normalising utilities. */
function scaleOf(space: DealSpace, payoff: (o: Outcome) => number): number {
  const n = space.issues.length;
  let best = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    const o = space.issues.map((iss, k) => ((mask >> k) & 1 ? iss.max : iss.min));
    best = Math.max(best, Math.abs(payoff(o)));
  }
  return best > 0 ? best : 1;
}

function prepareCountry(s: ChipsScenario, regime: Regime, regimePath: string, c: Country): PreparedCountry {
  const space = dealSpace(s, c);
  const vars = PAYOFF_VARIABLES;
  const exprs: { country?: CompiledExpression; exporter?: CompiledExpression } = {};
  if (c.utility !== undefined) {
    exprs.country = compileExpression(c.utility, { where: { path: `countries[${c.id}].utility` }, variables: vars, type: 'number' });
  }
  if (s.exporter.utility !== undefined) {
    exprs.exporter = compileExpression(s.exporter.utility, { where: { path: 'exporter.utility' }, variables: vars, type: 'number' });
  }
  const payoffs = dealPayoffs(s, c, space, exprs);
  const country = payoffs.countryOf;
  const exporter = payoffs.exporterOf;
  const scaleCountry = scaleOf(space, country);
  const scaleExporter = scaleOf(space, exporter);
  return {
    c,
    rule: ruleFor(regime, regimePath, c.id, c.tier),
    space,
    payoffs,
    uCountry: (o) => country(o) / scaleCountry,
    uExporter: (o) => exporter(o) / scaleExporter,
    scaleCountry,
    scaleExporter,
    strategy: player(s, c.strategy, `countries[${c.id}].strategy`),
  };
}

function prepareAdversary(s: ChipsScenario, regime: Regime, regimePath: string, a: Adversary): PreparedAdversary {
  const rule = ruleFor(regime, regimePath, a.id, 3);
  const strategy = player(s, a.strategy, `adversaries[${a.id}].strategy`);
  if (!rule.rule.licensed) return { a, rule, strategy };
  const issues = licenceSpace(s, a, rule.rule.licensed.maxRevenueShare);
  const pay = licencePayoffs(s, a, rule.rule.licensed.downgrade);
  const space: DealSpace = { issues, index: { chips: 0, revenueShare: 1 } };
  const scaleExporter = scaleOf(space, pay.exporter);
  const scaleAdversary = scaleOf(space, pay.adversary);
  return {
    a,
    rule,
    strategy,
    licence: {
      issues,
      uExporter: (o) => pay.exporter(o) / scaleExporter,
      uAdversary: (o) => pay.adversary(o) / scaleAdversary,
      scaleExporter,
      scaleAdversary,
    },
  };
}

function checkConsistency(s: ChipsScenario, regime: Regime, regimePath: string): void {
  const shares = s.adversaries.reduce((a, x) => a + x.diversionShare, 0);
  if (shares > 1 + 1e-9) {
    throw new InputError({
      path: 'adversaries',
      message: 'the adversaries\' diversionShare values add up to more than 1: more chips would arrive than leaked',
      expected: 'a sum of at most 1',
      found: String(shares),
    });
  }
  const rules = [
    ...(['tier1', 'tier2', 'tier3'] as const).map((k) => [`${regimePath}.${k}`, regime[k]] as const),
    ...Object.entries(regime.countries).map(([id, r]) => [`${regimePath}.countries.${id}`, r] as const),
  ];
  for (const [path, r] of rules) {
    if (r.capExpr !== undefined && typeof r.market === 'string') {
      throw new InputError({ path: `${path}.capExpr`, message: 'a custom cap needs a cap period', expected: 'market: { capTpp, periodRounds }', found: `market: ${r.market}` });
    }
  }
}

function checkIds(s: ChipsScenario): void {
  const seen = new Map<string, string>();
  const add = (id: string, path: string): void => {
    const prev = seen.get(id);
    if (prev !== undefined) throw new InputError({ path, message: `duplicate id "${id}" (also at ${prev})`, expected: 'unique ids' });
    seen.set(id, path);
  };
  add(s.exporter.id, 'exporter.id');
  s.countries.forEach((c, i) => add(c.id, `countries[${i}].id`));
  s.adversaries.forEach((a, i) => add(a.id, `adversaries[${i}].id`));
}

export function prepareChips(s: ChipsScenario, regimeOverride?: string): PreparedChips {
  checkIds(s);
  const regime = RegimeSchema.parse(resolveRegime(s, regimeOverride));
  const regimePath = regimePathOf(s, regimeOverride);
  checkConsistency(s, regime, regimePath);
  const byId = <T extends { readonly id: string }>(xs: readonly T[]): T[] => [...xs].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return {
    scenario: s,
    regime,
    exporterStrategy: player(s, s.exporter.strategy, 'exporter.strategy'),
    countries: byId(s.countries).map((c) => prepareCountry(s, regime, regimePath, c)),
    adversaries: byId(s.adversaries).map((a) => prepareAdversary(s, regime, regimePath, a)),
  };
}
