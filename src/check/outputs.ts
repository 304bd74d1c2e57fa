/**
 * The outputs an invariant can read, as expression variables: scalars with dotted names (`final.leakage`,
 * `country.IND.delivered`) and lists, one number per country, round, adversary, negotiation, deal or offer
 * (`countries.delivered`, `rounds.supply`), read through aggregates (all, any, count, sum, mean, max, min).
 *
 * The catalogue depends only on the scenario (so invariants compile once, at load, before any run); the scope
 * is filled from a result artifact. Null metrics (no agreement, so no rounds-to-agreement) become NaN, which
 * every comparison treats as false: guard them, e.g. `final.agreementRate == 0 or final.meanRoundsToAgreement < 4`.
 */
import type { BargainingResult, ChipsResult, CountryOutcome, Result, RoundMetrics, SimEvent } from '../core/events.js';
import { FINAL_METRIC_KEYS, ROUND_METRIC_KEYS, type FinalMetricKey } from '../core/metrics.js';
import { isUsableVariableName } from '../core/expr.js';
import type { Scenario } from '../core/scenario/schema.js';

export type Scope = Record<string, number | readonly number[]>;

/** Names an expression may use: scalars, and lists with the kind of element they hold. */
export interface Catalogue {
  readonly scalars: readonly string[];
  readonly lists: Readonly<Record<string, string>>;
}

/** The scope for one result, with labels for list elements (country ids, round labels...) for messages. */
export interface Outputs {
  readonly scope: Scope;
  readonly labels: Readonly<Record<string, readonly string[]>>;
}

const FINAL_KEYS: readonly FinalMetricKey[] = FINAL_METRIC_KEYS;
/** Per-round metrics of the catalogue, plus the supply they account for (supply = domestic + delivered + licensed + unsold). */
const ROUND_KEYS: readonly (keyof RoundMetrics)[] = ['supply', ...ROUND_METRIC_KEYS];

type CountryField = readonly [string, (c: CountryOutcome) => number | boolean | null];
const COUNTRY_FIELDS: readonly CountryField[] = [
  ['tier', (c) => c.tier],
  ['demand', (c) => c.demand],
  ['delivered', (c) => c.delivered],
  ['market', (c) => c.byRoute.market],
  ['capped', (c) => c.byRoute.capped],
  ['exempt', (c) => c.byRoute.exempt],
  ['veu', (c) => c.byRoute.veu],
  ['deal', (c) => c.byRoute.deal],
  ['licensed', (c) => c.byRoute.licensed],
  ['tppUnderCap', (c) => c.tppUnderCap],
  ['fulfilment', (c) => c.fulfilment],
  ['rival', (c) => c.rival],
  ['rivalH100e', (c) => c.rivalH100e],
  ['alternativeShare', (c) => c.alternativeShare],
  ['stackShare', (c) => c.stackShare],
  ['switched', (c) => c.switched],
  ['denied', (c) => c.route === 'denied'],
  ['leaked', (c) => c.leaked],
  ['concessionsUsd', (c) => c.concessionsUsd],
  ['faceUsd', (c) => c.faceUsd],
  ['securityCommitment', (c) => c.securityCommitment],
  ['deals', (c) => c.deals],
  ['negotiations', (c) => c.negotiations],
  ['firstDealRound', (c) => c.firstDealRound],
  ['relationsStart', (c) => c.relationsStart],
  ['relationsEnd', (c) => c.relationsEnd],
  ['utility', (c) => c.utility],
  ['meanDistanceToNash', (c) => c.meanDistanceToNash],
];
/** Country inputs worth reading next to outcomes (e.g. "well-enforced countries leak little"). */
const COUNTRY_INPUTS = ['gdp', 'enforcement', 'diversionRisk', 'patience', 'g2g', 'rivalAccess', 'valuePerH100e', 'demandPerRound'] as const;
const ADVERSARY_KEYS = ['domestic', 'licensed', 'licensedChips', 'diverted', 'total', 'revenueShareUsd', 'domesticCapacityEnd'] as const;
const NEGOTIATION_KEYS = ['round', 'agreed', 'steps', 'chips', 'chipsLimit', 'exporterPayoff', 'countryPayoff', 'exporterReservation', 'countryReservation', 'distanceToNash'] as const;
const DEAL_KEYS = ['round', 'chipsPerRound', 'untilRound', 'concessionsUsd', 'faceUsd', 'chipCost'] as const;

/** Lists that come from the event log: a run must record events for invariants that read them. */
export const EVENT_LISTS: readonly string[] = ['negotiations', 'deals'];

const n = (v: number | boolean | null | undefined): number => (v === null || v === undefined ? NaN : typeof v === 'boolean' ? (v ? 1 : 0) : v);

function chipsCatalogue(s: Extract<Scenario, { kind: 'chips' }>): Catalogue {
  const scalars: string[] = FINAL_KEYS.map((k) => `final.${k}`);
  // Supply is an input, not a metric, but invariants compare outputs with it (leakage within 2% of supply).
  scalars.push('final.supply', 'rounds.count', 'countries.count');
  for (const c of s.countries) {
    if (!isUsableVariableName(c.id)) continue; // ids with '-' cannot be written in an expression
    for (const [k] of COUNTRY_FIELDS) scalars.push(`country.${c.id}.${k}`);
    for (const k of COUNTRY_INPUTS) scalars.push(`country.${c.id}.${k}`);
  }
  for (const a of s.adversaries) if (isUsableVariableName(a.id)) for (const k of ADVERSARY_KEYS) scalars.push(`adversary.${a.id}.${k}`);
  const lists: Record<string, string> = {};
  for (const k of [...ROUND_KEYS, 'round']) lists[`rounds.${k}`] = 'rounds';
  for (const [k] of COUNTRY_FIELDS) lists[`countries.${k}`] = 'countries';
  for (const k of COUNTRY_INPUTS) lists[`countries.${k}`] = 'countries';
  for (const k of ADVERSARY_KEYS) lists[`adversaries.${k}`] = 'adversaries';
  for (const k of NEGOTIATION_KEYS) lists[`negotiations.${k}`] = 'negotiations';
  for (const k of DEAL_KEYS) lists[`deals.${k}`] = 'deals';
  return { scalars, lists };
}

function bargainingCatalogue(s: Extract<Scenario, { kind: 'bargaining' }>): Catalogue {
  const scalars = ['agreed', 'steps', 'deadline', 'distanceToNash', 'payoff0', 'payoff1', 'reservation0', 'reservation1', 'rubinstein.share', 'rubinstein.finite'];
  for (const point of ['agreement', 'nash', 'ks']) {
    scalars.push(`${point}.u0`, `${point}.u1`);
    for (const i of s.issues) scalars.push(`${point}.${i.name}`);
  }
  const lists: Record<string, string> = { 'offers.step': 'offers', 'offers.by': 'offers', 'offers.u0': 'offers', 'offers.u1': 'offers' };
  for (const i of s.issues) lists[`offers.${i.name}`] = 'offers';
  return { scalars, lists };
}

/** Everything an invariant of this scenario may read; with `prefix` ('a.', 'b.') for comparative invariants. */
export function catalogue(s: Scenario, prefix = ''): Catalogue {
  const c = s.kind === 'chips' ? chipsCatalogue(s) : bargainingCatalogue(s);
  if (prefix === '') return c;
  const lists: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.lists)) lists[prefix + k] = v;
  return { scalars: c.scalars.map((x) => prefix + x), lists };
}

/** True if any of the names reads a list built from the event log. */
export function needsEvents(names: readonly string[]): boolean {
  return names.some((x) => EVENT_LISTS.some((l) => x.startsWith(`${l}.`) || x.startsWith(`a.${l}.`) || x.startsWith(`b.${l}.`)));
}

function eventsOf<T extends SimEvent['type']>(r: ChipsResult, type: T): Extract<SimEvent, { type: T }>[] {
  return r.rounds.flatMap((x) => x.events.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type));
}

function chipsOutputs(r: ChipsResult): Outputs {
  const scope: Scope = {};
  const labels: Record<string, string[]> = {};
  const f = r.metrics.final;
  for (const k of FINAL_KEYS) scope[`final.${k}`] = n(f[k]);
  const perRound = r.metrics.perRound;
  scope['final.supply'] = perRound.reduce((a, m) => a + m.supply, 0);
  for (const k of ROUND_KEYS) scope[`rounds.${k}`] = perRound.map((m) => n(m[k]));
  scope['rounds.round'] = perRound.map((_, i) => i + 1);
  labels.rounds = r.rounds.length === perRound.length ? r.rounds.map((x) => x.label) : perRound.map((_, i) => `round ${i + 1}`);
  scope['rounds.count'] = perRound.length;
  scope['countries.count'] = r.countries.length;
  const params = r.parameters as { countries?: readonly Record<string, unknown>[] } | null;
  const inputs = new Map((params?.countries ?? []).map((c) => [String(c.id), c]));
  for (const [k, get] of COUNTRY_FIELDS) {
    const values = r.countries.map((c) => n(get(c)));
    scope[`countries.${k}`] = values;
    r.countries.forEach((c, i) => (scope[`country.${c.id}.${k}`] = values[i] as number));
  }
  for (const k of COUNTRY_INPUTS) {
    const values = r.countries.map((c) => {
      const v = inputs.get(c.id)?.[k];
      return typeof v === 'number' || typeof v === 'boolean' ? n(v) : NaN;
    });
    scope[`countries.${k}`] = values;
    r.countries.forEach((c, i) => (scope[`country.${c.id}.${k}`] = values[i] as number));
  }
  labels.countries = r.countries.map((c) => c.id);
  for (const k of ADVERSARY_KEYS) {
    scope[`adversaries.${k}`] = r.adversaries.map((a) => a[k]);
    for (const a of r.adversaries) scope[`adversary.${a.id}.${k}`] = a[k];
  }
  labels.adversaries = r.adversaries.map((a) => a.id);
  const negs = eventsOf(r, 'negotiation');
  const col = <T>(xs: readonly T[], g: (x: T) => number | boolean | null | undefined) => xs.map((x) => n(g(x)));
  scope['negotiations.round'] = col(negs, (x) => x.round);
  scope['negotiations.agreed'] = col(negs, (x) => x.agreement !== null);
  scope['negotiations.steps'] = col(negs, (x) => x.steps);
  scope['negotiations.chips'] = col(negs, (x) => x.agreement?.outcome[0] ?? 0);
  scope['negotiations.chipsLimit'] = col(negs, (x) => x.upperBounds[0]);
  scope['negotiations.exporterPayoff'] = col(negs, (x) => x.payoffs[0]);
  scope['negotiations.countryPayoff'] = col(negs, (x) => x.payoffs[1]);
  scope['negotiations.exporterReservation'] = col(negs, (x) => x.reservations[0]);
  scope['negotiations.countryReservation'] = col(negs, (x) => x.reservations[1]);
  scope['negotiations.distanceToNash'] = col(negs, (x) => x.distanceToNash);
  labels.negotiations = negs.map((x) => `${x.country} in round ${x.round}`);
  const deals = eventsOf(r, 'deal');
  for (const k of DEAL_KEYS) scope[`deals.${k}`] = col(deals, (x) => x[k]);
  labels.deals = deals.map((x) => `${x.country} in round ${x.round}`);
  return { scope, labels };
}

function point(scope: Scope, name: string, issues: readonly string[], p: { outcome: readonly number[]; utilities: readonly [number, number] } | null): void {
  scope[`${name}.u0`] = n(p?.utilities[0]);
  scope[`${name}.u1`] = n(p?.utilities[1]);
  issues.forEach((issue, i) => (scope[`${name}.${issue}`] = n(p?.outcome[i])));
}

function bargainingOutputs(r: BargainingResult): Outputs {
  const g = r.negotiation;
  const issues = g.issues.map((i) => i.name);
  const scope: Scope = {
    agreed: g.agreement !== null ? 1 : 0,
    steps: g.steps,
    deadline: g.deadline,
    distanceToNash: n(g.distanceToNash),
    payoff0: g.payoffs[0],
    payoff1: g.payoffs[1],
    reservation0: g.reservations[0],
    reservation1: g.reservations[1],
    'rubinstein.share': n(r.theory.rubinstein?.infiniteHorizon),
    'rubinstein.finite': n(r.theory.rubinstein?.finiteHorizon),
    'offers.step': g.offers.map((o) => o.step),
    'offers.by': g.offers.map((o) => o.by),
    'offers.u0': g.offers.map((o) => o.utilities[0]),
    'offers.u1': g.offers.map((o) => o.utilities[1]),
  };
  issues.forEach((issue, i) => (scope[`offers.${issue}`] = g.offers.map((o) => n(o.outcome[i]))));
  point(scope, 'agreement', issues, g.agreement);
  point(scope, 'nash', issues, g.nash);
  point(scope, 'ks', issues, g.ks);
  return { scope, labels: { offers: g.offers.map((o) => `offer ${o.step}`) } };
}

/** The variables of one result; with `prefix` for comparative invariants. */
export function outputsOf(r: Result, prefix = ''): Outputs {
  const o = r.kind === 'chips' ? chipsOutputs(r) : bargainingOutputs(r);
  if (prefix === '') return o;
  const scope: Scope = {};
  for (const [k, v] of Object.entries(o.scope)) scope[prefix + k] = v;
  return { scope, labels: o.labels };
}
