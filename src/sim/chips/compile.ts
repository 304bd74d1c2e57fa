/**
 * compile: a validated chips scenario -> a Model that runs seeds (docs/model.md, "Initialisation"). Everything
 * that can be wrong with the input is found here, once, before any run: every regime the scenario can reach
 * (built-in, its own, inline) with its expressions, every timeline event with the scenario it produces, every
 * strategy and payoff expression. `validate` compiles; `run`, `compare` and `sweep` compile once and run many
 * seeds on the same Model.
 *
 * A timeline splits the run into epochs: each epoch is the scenario with the events up to its first round
 * applied, compiled on its own. Agents and their state carry over from epoch to epoch; their parameters come
 * from the epoch in force.
 */
import { compileExpression, type CompiledExpression } from '../../core/expr.js';
import { InputError } from '../../core/errors.js';
import type { TimelineEvent } from '../../core/events.js';
import { setPlainPath } from '../../core/scenario/overrides.js';
import {
  ChipsScenarioSchema,
  RegimeSchema,
  type Adversary,
  type ChipsScenario,
  type Country,
  type LicensedRuleT,
  type Regime,
  type StrategyChoice,
} from '../../core/scenario/schema.js';
import { builtinRegimes } from '../regimes/index.js';
import { resolveStrategy, type ResolvedStrategy } from '../strategy-choice.js';
import { RULE_VARIABLES, type CompiledRule } from './access.js';
import { dealSpace, PAYOFF_VARIABLES, type DealSpace } from './deal.js';
import type { LinearDemand } from './demand.js';

export interface CompiledCountry {
  readonly c: Country;
  readonly rule: CompiledRule;
  /** The concession issues on the table (chips follow from the package: docs/model.md, "Deals"). */
  readonly space: DealSpace;
  readonly strategy: ResolvedStrategy;
  readonly countryExpr?: CompiledExpression;
  readonly exporterExpr?: CompiledExpression;
  /** Demand for the exporter's chips at round 0, before growth and any switch to the rival stack (per chip). */
  readonly demand: LinearDemand;
}

export interface CompiledAdversary {
  readonly a: Adversary;
  readonly rule: CompiledRule;
  /** The licensing policy in force for it: the regime's rule for it, else its own `licensed`; null: none. */
  readonly licensed: LicensedRuleT | null;
  readonly strategy: ResolvedStrategy;
  /** Compute demand (H100e) at round 0: top valuePerH100e, atPrice domestic + import demand. */
  readonly demand: LinearDemand;
}

export interface Epoch {
  /** First round (0-based) this epoch is in force. */
  readonly from: number;
  readonly scenario: ChipsScenario;
  readonly regime: Regime;
  readonly exporterStrategy: ResolvedStrategy;
  /** In id order; the same ids in every epoch. */
  readonly countries: readonly CompiledCountry[];
  readonly adversaries: readonly CompiledAdversary[];
  /** The timeline events that start this epoch. */
  readonly events: readonly TimelineEvent[];
  /** State the events reset (a value they set that the model evolves): by country/adversary index. */
  readonly resets: {
    readonly relations: ReadonlyMap<number, number>;
    readonly stackShare: ReadonlyMap<number, number>;
    readonly domestic: ReadonlyMap<number, number>;
    readonly rivalCapacity: number | null;
  };
}

export interface CompileOptions {
  /** Regime name: replaces the starting regime; a name other than the scenario's own also fixes it for the whole run. */
  readonly regime?: string;
  readonly rounds?: number;
}

export interface CompiledChips {
  /** The scenario the run uses (rounds override applied), with the starting regime resolved inline. */
  readonly scenario: ChipsScenario;
  readonly epochs: readonly Epoch[];
  /** Timeline events the run applies, with the 1-based round each takes effect. */
  readonly timeline: readonly (TimelineEvent & { readonly round: number })[];
  /** Whether --regime fixed the regime for the whole run (timeline regime changes ignored). */
  readonly regimeFixed: boolean;
}

const byId = <T extends { readonly id: string }>(xs: readonly T[]): T[] => [...xs].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

function knownRegimes(s: ChipsScenario): string[] {
  return [...Object.keys(s.regimes), ...Object.keys(builtinRegimes).filter((k) => !Object.hasOwn(s.regimes, k))];
}

/** A regime by name (the scenario's own first, then built-in), or undefined. */
function regimeNamed(s: ChipsScenario, name: string): Regime | undefined {
  if (Object.hasOwn(s.regimes, name)) return s.regimes[name];
  return Object.hasOwn(builtinRegimes, name) ? builtinRegimes[name] : undefined;
}

function unknownRegime(s: ChipsScenario, path: string, name: string): InputError {
  return new InputError({ path, message: `unknown regime "${name}"`, expected: `one of ${knownRegimes(s).join(', ')}`, found: JSON.stringify(name) });
}

/** Where a regime's rules sit in the document, for messages. */
function regimePath(s: ChipsScenario, regime: Regime, inline: boolean): string {
  if (inline) return 'regime';
  return Object.hasOwn(s.regimes, regime.id) && s.regimes[regime.id] === regime ? `regimes.${regime.id}` : `(built-in regime ${regime.id})`;
}

function compileRule(regime: Regime, key: string, path: string): CompiledRule {
  const rule = Object.hasOwn(regime.countries, key) ? (regime.countries[key] as Regime['tier1']) : regime[key as 'tier1' | 'tier2' | 'tier3'];
  const out: { rule: typeof rule; capExpr?: CompiledExpression; eligible?: CompiledExpression } = { rule };
  if (rule.capExpr !== undefined) out.capExpr = compileExpression(rule.capExpr, { where: { path: `${path}.capExpr` }, variables: RULE_VARIABLES, type: 'number' });
  if (rule.eligible !== undefined) out.eligible = compileExpression(rule.eligible, { where: { path: `${path}.eligible` }, variables: RULE_VARIABLES, type: 'boolean' });
  if (rule.capExpr !== undefined && typeof rule.market === 'string') {
    throw new InputError({ path: `${path}.capExpr`, message: 'a custom cap needs a cap period', expected: 'market: { capTpp, periodRounds }', found: `market: ${rule.market}` });
  }
  return out;
}

function ruleFor(regime: Regime, base: string, id: string, tier: 1 | 2 | 3): CompiledRule {
  const own = Object.hasOwn(regime.countries, id);
  return compileRule(regime, own ? id : `tier${tier}`, own ? `${base}.countries.${id}` : `${base}.tier${tier}`);
}

/** Compile every rule of a regime (so an unselected regime's mistakes are found at load too). */
function checkRegime(regime: Regime, base: string): void {
  for (const k of ['tier1', 'tier2', 'tier3'] as const) compileRule(regime, k, `${base}.${k}`);
  for (const id of Object.keys(regime.countries)) compileRule(regime, id, `${base}.countries.${id}`);
}

function player(s: ChipsScenario, choice: StrategyChoice, path: string): ResolvedStrategy {
  return resolveStrategy(choice, path, { complete: s.negotiation.information === 'complete', path: 'negotiation.information' });
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
  const shares = s.adversaries.reduce((a, x) => a + x.diversionShare, 0);
  if (shares > 1 + 1e-9) {
    throw new InputError({ path: 'adversaries', message: "the adversaries' diversionShare values add up to more than 1: more chips would arrive than leaked", expected: 'a sum of at most 1', found: String(shares) });
  }
}

function countryDemand(s: ChipsScenario, c: Country): LinearDemand {
  const h = s.exporter.h100ePerChip;
  return { top: c.valuePerH100e * h, price: s.exporter.price, atPrice: c.demandPerRound };
}

function adversaryDemand(s: ChipsScenario, a: Adversary): LinearDemand {
  return { top: a.valuePerH100e, price: s.exporter.price / s.exporter.h100ePerChip, atPrice: a.domesticPerRound + a.importDemandPerRound };
}

function compileCountry(s: ChipsScenario, regime: Regime, base: string, c: Country): CompiledCountry {
  const vars = PAYOFF_VARIABLES;
  return {
    c,
    rule: ruleFor(regime, base, c.id, c.tier),
    space: dealSpace(s, c),
    strategy: player(s, c.strategy, `countries[${c.id}].strategy`),
    ...(c.utility !== undefined ? { countryExpr: compileExpression(c.utility, { where: { path: `countries[${c.id}].utility` }, variables: vars, type: 'number' }) } : {}),
    ...(s.exporter.utility !== undefined ? { exporterExpr: compileExpression(s.exporter.utility, { where: { path: 'exporter.utility' }, variables: vars, type: 'number' }) } : {}),
    demand: countryDemand(s, c),
  };
}

function compileAdversary(s: ChipsScenario, regime: Regime, base: string, a: Adversary): CompiledAdversary {
  const rule = ruleFor(regime, base, a.id, 3);
  return {
    a,
    rule,
    licensed: rule.rule.licensed ?? a.licensed,
    strategy: player(s, a.strategy, `adversaries[${a.id}].strategy`),
    demand: adversaryDemand(s, a),
  };
}

/** Round (0-based) of a date or quarter label, given the scenario's start and calendar. */
export function roundOfDate(s: ChipsScenario, e: { readonly date?: string | undefined; readonly at?: string | undefined }): number {
  const m = /^(\d{4})Q([1-4])$/.exec(s.start);
  const startYear = m ? Number(m[1]) + (Number(m[2]) - 1) / 4 : 0;
  let t: number;
  if (e.at !== undefined) {
    const q = /^(\d{4})Q([1-4])$/.exec(e.at);
    t = q ? Number(q[1]) + (Number(q[2]) - 1) / 4 : 0;
  } else {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(e.date ?? '');
    const year = Number(d?.[1] ?? 0);
    const month = Number(d?.[2] ?? 1);
    // The quarter that contains the date, so an event dated inside a quarter applies from that quarter's round.
    t = year + Math.floor((month - 1) / 3) / 4;
  }
  return Math.floor((t - startYear) * s.roundsPerYear + 1e-9);
}

interface Stage {
  readonly from: number;
  readonly events: { readonly event: TimelineEvent; readonly index: number }[];
}

/** Timeline events grouped by the round they take effect (events before the first round apply at round 0). */
function stages(s: ChipsScenario): Stage[] {
  const dated = s.timeline
    .map((e, index) => ({ e, index, round: Math.max(0, roundOfDate(s, e)) }))
    .filter((x) => x.round < s.rounds)
    .sort((x, y) => x.round - y.round || x.index - y.index);
  const out: Stage[] = [];
  for (const { e, index, round } of dated) {
    const event: TimelineEvent = { id: e.id, date: e.date ?? e.at ?? '', title: e.title, source: e.source, ...(typeof e.regime === 'string' ? { regime: e.regime } : {}), set: e.set };
    const last = out[out.length - 1];
    if (last && last.from === round) last.events.push({ event, index });
    else out.push({ from: round, events: [{ event, index }] });
  }
  return out;
}

/** The scenario with an event's values set, validated again (an event may set anything --set could). */
function applyEvent(doc: Record<string, unknown>, event: TimelineEvent, index: number): void {
  for (const [path, value] of Object.entries(event.set)) setPlainPath(doc, path, value, `timeline[${index}].set["${path}"]`);
}

function revalidate(doc: unknown, index: number): ChipsScenario {
  const parsed = ChipsScenarioSchema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '';
  throw new InputError({ path: `timeline[${index}]`, message: `after this event the scenario is invalid at ${at || '(top level)'}: ${issue?.message ?? 'invalid'}`, expected: 'values the scenario format allows (docs/scenarios.md)' });
}

function sameIds(a: readonly { id: string }[], b: readonly { id: string }[]): boolean {
  return a.length === b.length && a.every((x, i) => x.id === b[i]?.id);
}

function resetsBetween(prev: ChipsScenario, next: ChipsScenario): Epoch['resets'] {
  const pc = byId(prev.countries);
  const nc = byId(next.countries);
  const pa = byId(prev.adversaries);
  const na = byId(next.adversaries);
  const relations = new Map<number, number>();
  const stackShare = new Map<number, number>();
  const domestic = new Map<number, number>();
  nc.forEach((c, i) => {
    if (c.relations !== pc[i]?.relations) relations.set(i, c.relations);
    if (c.stackShare !== pc[i]?.stackShare) stackShare.set(i, c.stackShare);
  });
  na.forEach((a, i) => {
    if (a.domesticPerRound !== pa[i]?.domesticPerRound) domestic.set(i, a.domesticPerRound);
  });
  const rc = next.rival?.capacityPerRound ?? null;
  return { relations, stackShare, domestic, rivalCapacity: rc !== (prev.rival?.capacityPerRound ?? null) ? rc : null };
}

const NO_RESETS: Epoch['resets'] = { relations: new Map(), stackShare: new Map(), domestic: new Map(), rivalCapacity: null };

function compileEpoch(s: ChipsScenario, regime: Regime, base: string, from: number, events: readonly TimelineEvent[], resets: Epoch['resets']): Epoch {
  return {
    from,
    scenario: s,
    regime,
    exporterStrategy: player(s, s.exporter.strategy, 'exporter.strategy'),
    countries: byId(s.countries).map((c) => compileCountry(s, regime, base, c)),
    adversaries: byId(s.adversaries).map((a) => compileAdversary(s, regime, base, a)),
    events,
    resets,
  };
}

export function compileChips(input: ChipsScenario, opts: CompileOptions = {}): CompiledChips {
  const s0 = opts.rounds !== undefined ? { ...input, rounds: opts.rounds } : input;
  checkIds(s0);
  // Every regime the scenario can reach is checked now, selected or not.
  if (typeof s0.regime !== 'string') checkRegime(RegimeSchema.parse(s0.regime), 'regime');
  for (const [k, r] of Object.entries(s0.regimes)) checkRegime(r, `regimes.${k}`);
  const own = typeof s0.regime === 'string' ? s0.regime : s0.regime.id;
  const choice = opts.regime ?? own;
  const fixed = opts.regime !== undefined && opts.regime !== own;
  const inline = typeof s0.regime !== 'string' && opts.regime === undefined;
  const start = inline ? RegimeSchema.parse(s0.regime) : regimeNamed(s0, choice);
  if (!start) throw unknownRegime(s0, opts.regime !== undefined ? '--regime' : 'regime', choice);
  s0.timeline.forEach((e, i) => {
    if (typeof e.regime === 'string' && !regimeNamed(s0, e.regime) && !(inline && e.regime === own)) throw unknownRegime(s0, `timeline[${i}].regime`, e.regime);
  });

  const epochs: Epoch[] = [compileEpoch(s0, start, regimePath(s0, start, inline), 0, [], NO_RESETS)];
  const timeline: (TimelineEvent & { round: number })[] = [];
  let doc = structuredClone(s0) as unknown as Record<string, unknown>;
  let regime = start;
  let prev = s0;
  for (const stage of stages(s0)) {
    for (const { event, index } of stage.events) {
      applyEvent(doc, event, index);
      if (event.regime !== undefined && !fixed) {
        regime = (inline && event.regime === own ? start : regimeNamed(s0, event.regime)) as Regime;
      }
      timeline.push({ ...event, round: stage.from + 1 });
    }
    const last = stage.events[stage.events.length - 1] as { index: number };
    const next = revalidate(doc, last.index);
    if (!sameIds(byId(next.countries), byId(prev.countries)) || !sameIds(byId(next.adversaries), byId(prev.adversaries))) {
      throw new InputError({ path: `timeline[${last.index}]`, message: 'a timeline event may change countries and adversaries but not add or remove them', expected: 'the same ids before and after' });
    }
    doc = structuredClone(next) as unknown as Record<string, unknown>;
    const compiled = compileEpoch(next, regime, regimePath(next, regime, inline && regime === start), stage.from, stage.events.map((x) => x.event), resetsBetween(prev, next));
    if (stage.from === 0) epochs[0] = compiled;
    else epochs.push(compiled);
    prev = next;
  }
  return { scenario: { ...s0, regime: start }, epochs, timeline, regimeFixed: fixed };
}

/** The epoch in force in round r. */
export function epochAt(model: CompiledChips, r: number): Epoch {
  let e = model.epochs[0] as Epoch;
  for (const x of model.epochs) if (x.from <= r) e = x;
  return e;
}
