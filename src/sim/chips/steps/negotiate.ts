/**
 * Step 4 (docs/model.md, "Deals" and "Licences"): each country that may sign a deal bargains with the
 * exporter over a package of concessions by alternating offers (the engine in src/negotiation), priced at
 * this round's λ; each adversary the exporter licenses bargains over a licensed volume. Each talk sees only
 * its own reservation, so the talks of one round are independent of their order.
 */
import type { NegotiationRecord } from '../../../core/events.js';
import type { Streams, Uniform } from '../../../core/rng.js';
import { negotiate } from '../../../negotiation/mechanism.js';
import { tabulatedUtility } from '../../../negotiation/offer-index.js';
import type { NegotiationContext, NegotiationResult, Outcome, OutcomeCoding, OutcomeSpace, Preferences, UtilityFn } from '../../../negotiation/types.js';
import { analyse, negotiationRecord, type Analysis } from '../../analysis.js';
import type { ResolvedStrategy } from '../../strategy-choice.js';
import type { CompiledAdversary, CompiledCountry } from '../compile.js';
import { dealEconomics, licenceGainPerChip, licenceIssue, licenceSurplus, type DealEconomics, type DealPricing, type Package } from '../deal.js';
import { quantityAt } from '../demand.js';
import type { CountryState, RoundContext, WorldState } from '../world.js';
import { adversaryDemand, committedH100e, type Reservation } from './reserve.js';

const EPS = 1e-9;

/** Who sits at each table: the strategies of this run (the classroom may seat a person). */
export interface Seats {
  readonly exporter: ResolvedStrategy;
  readonly party: (id: string, own: ResolvedStrategy) => ResolvedStrategy;
}

export interface Talk {
  readonly result: NegotiationResult;
  readonly record: NegotiationRecord | null;
  readonly analysis: Analysis;
  /** USD bn per normalised utility unit, exporter first. */
  readonly scales: readonly [number, number];
}

/** A stream created on first use: deterministic strategies never pay for seeding one. */
function lazyStream(make: () => Uniform): Uniform {
  let u: Uniform | undefined;
  return () => (u ??= make())();
}

/** Largest absolute payoff over the outcomes of a one-issue space: a positive scale for normalising utilities. */
function scaleOf(space: OutcomeSpace, payoff: (o: Outcome) => number): number {
  const iss = space.issues[0];
  if (!iss) return 1;
  let best = 0;
  const n = iss.steps ?? 2;
  const o = [0];
  for (let k = 0; k < n; k++) {
    o[0] = k === n - 1 ? iss.max : iss.min + ((iss.max - iss.min) * k) / (n - 1);
    if (o[0] > (space.upperBounds?.[0] ?? Infinity)) break;
    best = Math.max(best, Math.abs(payoff(o)));
  }
  // Gains below a thousandth of a dollar are nothing to bargain over (USD bn units): scale 1.
  return best > 1e-12 ? best : 1;
}

/** scaleOf for payoffs given by index, less the reservation (the same arithmetic, so the same scale). */
function scaleOfTable(table: readonly number[], reservation: number): number {
  let best = 0;
  for (let k = 0; k < table.length; k++) best = Math.max(best, Math.abs((table[k] as number) - reservation));
  return best > 1e-12 ? best : 1;
}

const DEAL_ISSUES = [
  { name: 'chips', unit: 'chips per round' },
  { name: 'tariff', unit: 'percentage points' },
  { name: 'investment', unit: 'USD bn' },
  { name: 'purchases', unit: 'USD bn' },
  { name: 'security', unit: 'commitment 0-1' },
] as const;

/** A package as the event log shows it: chips, then the concessions. */
export function packageOutcome(q: Package): number[] {
  return [q.chips, q.tariff, q.investment, q.purchases, q.security];
}

/** The negotiation record with every package number replaced by the package's terms. */
function asPackages(rec: NegotiationRecord, econ: DealEconomics): NegotiationRecord {
  const terms = (o: readonly number[]): number[] => packageOutcome(econ.packageOf(o));
  const point = <T extends { outcome: readonly number[] } | null>(p: T): T => (p === null ? p : ({ ...p, outcome: terms(p.outcome) } as T));
  const max = (pick: (q: Package) => number): number => econ.packages.reduce((m, q) => Math.max(m, pick(q)), 0);
  const maxima = [econ.maxChips, max((q) => q.tariff), max((q) => q.investment), max((q) => q.purchases), max((q) => q.security)];
  return {
    ...rec,
    issues: DEAL_ISSUES.map((i, k) => ({ name: i.name, unit: i.unit, min: 0, max: maxima[k] ?? 0 })),
    upperBounds: maxima,
    offers: rec.offers.map((o) => ({ ...o, outcome: terms(o.outcome) })),
    agreement: point(rec.agreement),
    nash: point(rec.nash),
    ks: point(rec.ks),
  };
}

function talk(
  ctx: RoundContext,
  space: OutcomeSpace,
  payoffs: readonly [(o: Outcome) => number, (o: Outcome) => number],
  reservations: readonly [number, number],
  discounts: readonly [number, number],
  players: readonly [ResolvedStrategy, ResolvedStrategy],
  names: readonly [string, string],
  streams: Streams,
  streamNames: readonly [string, string],
  record: boolean,
  coding?: OutcomeCoding,
  /** The payoffs by outcome index when the space is an index space (a menu of packages): no calls per outcome. */
  tables?: readonly [readonly number[], readonly number[]],
): Talk {
  const s = ctx.epoch.scenario;
  // Each side's utility is its gain over no deal, so the disagreement point is (0, 0): a failed talk this
  // quarter means the outside option this quarter, delayed as much as a deal would be, so discounting shrinks
  // gains, not the comparison with walking away (an impatient country concedes sooner, it does not walk out).
  let scales: readonly [number, number];
  let u0: UtilityFn;
  let u1: UtilityFn;
  if (tables) {
    const [t0, t1] = tables;
    scales = [scaleOfTable(t0, reservations[0]), scaleOfTable(t1, reservations[1])];
    // One backing store for both tables (allocating typed arrays is what this path would otherwise cost).
    const m = t0.length;
    const both = new Float64Array(2 * m);
    for (let k = 0; k < m; k++) {
      both[k] = ((t0[k] as number) - reservations[0]) / scales[0];
      both[m + k] = ((t1[k] as number) - reservations[1]) / scales[1];
    }
    u0 = tabulatedUtility(both.subarray(0, m));
    u1 = tabulatedUtility(both.subarray(m));
  } else {
    const g0 = (o: Outcome): number => payoffs[0](o) - reservations[0];
    const g1 = (o: Outcome): number => payoffs[1](o) - reservations[1];
    const sc = [scaleOf(space, g0), scaleOf(space, g1)] as const;
    scales = sc;
    u0 = (o) => g0(o) / sc[0];
    u1 = (o) => g1(o) / sc[1];
  }
  const parties: readonly [Preferences, Preferences] = [
    { utility: u0, reservation: 0, discount: discounts[0] },
    { utility: u1, reservation: 0, discount: discounts[1] },
  ];
  const context: NegotiationContext = { round: ctx.round, label: ctx.label, parties: names, scales, ...(coding ? { coding } : {}) };
  const { deadline, information } = s.negotiation;
  const result = negotiate({
    space,
    parties,
    negotiators: [players[0].strategy.create(players[0].params, context), players[1].strategy.create(players[1].params, context)],
    deadline,
    // The importer opens: it asks for chips, the exporter answers with its price.
    firstProposer: 1,
    completeInformation: information === 'complete',
    random: [lazyStream(() => streams.stream(streamNames[0])), lazyStream(() => streams.stream(streamNames[1]))],
    record,
  });
  const analysis = analyse(space, parties, result, record);
  const rec = record ? { ...negotiationRecord(names, players, space, parties, deadline, result, analysis), scales } : null;
  return { result, record: rec, analysis, scales };
}

export interface DealOutcome {
  readonly talk: Talk;
  readonly economics: DealEconomics;
}

/** One country's deal negotiation at the reserved pricing; null talk when only one package is on the table. */
export function negotiateDeal(ctx: RoundContext, cc: CompiledCountry, pricing: DealPricing, seats: Seats, streams: Streams, record: boolean): DealOutcome {
  const s = ctx.epoch.scenario;
  const players = [seats.exporter, seats.party(cc.c.id, cc.strategy)] as const;
  const person = players.some((x) => x.strategy.meta.interactive === true);
  // With one package on the table the engine still runs (over two copies of it): take it or leave it.
  const menu = person ? 'every' : s.negotiation.information === 'complete' ? 'frontier' : 'efficient';
  const econ = dealEconomics(s, cc.c, cc.space, pricing, { country: cc.countryExpr, exporter: cc.exporterExpr }, menu);
  const t = talk(
    ctx,
    econ.space,
    [econ.exporter, econ.country],
    [pricing.exporterReservation, pricing.countryReservation],
    [s.exporter.patience, cc.c.patience],
    players,
    [s.exporter.id, cc.c.id],
    streams,
    ['exporter', 'country'],
    record,
    econ.coding,
    [econ.exporterTable, econ.countryTable],
  );
  const rec = t.record ? asPackages(t.record, econ) : null;
  return { talk: { ...t, record: rec }, economics: econ };
}

/** Step 4a: the deal negotiations of the round. */
export function dealsStep(ctx: RoundContext, world: WorldState, res: Reservation, seats: Seats, root: Streams, record: boolean, collect: (i: number, out: DealOutcome) => void): void {
  const s = ctx.epoch.scenario;
  const T = s.negotiation.term;
  ctx.epoch.countries.forEach((cc, i) => {
    const pricing = res.pricing[i];
    const row = ctx.countries[i];
    if (!pricing || !row || row.reserved <= EPS) return;
    const out = negotiateDeal(ctx, cc, pricing, seats, root.child(`country/${cc.c.id}/round/${ctx.round}`), record);
    collect(i, out);
    const agreed = out.talk.result.agreement;
    if (out.talk.record) ctx.emit?.({ type: 'negotiation', round: ctx.round, country: cc.c.id, ...out.talk.record });
    const terms = agreed ? out.economics.packageOf(agreed) : null;
    if (!terms || terms.chips <= EPS) {
      ctx.emit?.({ type: 'no-deal', round: ctx.round, country: cc.c.id, reason: out.talk.result.reason !== 'agreement' ? out.talk.result.reason : 'empty' });
      return;
    }
    const st = world.countries[i] as CountryState;
    // Never more than was reserved (the same arithmetic, up to rounding).
    const chips = Math.min(terms.chips, row.reserved);
    const value = terms.value;
    const face = terms.face;
    st.deals.push({ chipsPerRound: chips, since: ctx.r, until: ctx.r + T - 1, security: terms.security, upgrade: cc.rule.rule.negotiate === 'cap-upgrade' });
    row.newDeal = chips;
    row.signed = true;
    row.signedValue = value;
    row.signedFace = face;
    // What the concessions cost the country, as a share of what the chips are worth to it (relations).
    const gross = out.economics.country(agreed as Outcome) + terms.cost;
    row.concessionBurden = gross > 0 ? Math.min(1, terms.cost / gross) : 0;
    ctx.concessionsUsd += value;
    ctx.faceUsd += face;
    ctx.deals++;
    ctx.emit?.({
      type: 'deal',
      round: ctx.round,
      country: cc.c.id,
      chipsPerRound: chips,
      untilRound: ctx.r + T,
      terms: { chips, tariff: terms.tariff, investment: terms.investment, purchases: terms.purchases, security: terms.security },
      concessionsUsd: value,
      faceUsd: face,
      chipCost: out.economics.chipCost(terms.security),
    });
  });
}

/**
 * The most licensed chips per round a licence could cover for adversary j: what it would buy at the
 * product's price on top of what it has, within the volume cap and, on its own line, what the line has left.
 */
export function licenceBound(ctx: RoundContext, world: WorldState, ca: CompiledAdversary, j: number): number {
  const lic = ca.licensed;
  if (!lic || !lic.requiresLicence || ca.a.refusesLicensed || ca.rule.rule.market === 'unlimited') return 0;
  if ((world.adversaries[j]?.licences.length ?? 0) > 0) return 0;
  const demand = adversaryDemand(ctx, ca);
  const have = (world.adversaries[j]?.domestic ?? 0) + committedH100e(world, j);
  let bound = Math.max(0, quantityAt(demand, lic.price / lic.h100ePerChip) - have) / lic.h100ePerChip;
  if (lic.capFraction !== null) bound = Math.min(bound, lic.capFraction * world.domesticBefore);
  if (lic.supplyPerRound !== null) bound = Math.min(bound, ctx.lines.get(lic.product) ?? 0);
  return bound;
}

/** Step 4b: licence talks with adversaries. */
export function licencesStep(ctx: RoundContext, world: WorldState, res: Reservation, bounds: readonly number[], seats: Seats, root: Streams, record: boolean, collect: (j: number, t: Talk) => void): void {
  const s = ctx.epoch.scenario;
  const T = s.negotiation.term;
  ctx.epoch.adversaries.forEach((ca, j) => {
    const lic = ca.licensed;
    // On a product's own line, what earlier talks this round left of it.
    const bound = !lic ? 0 : lic.supplyPerRound === null ? (res.licenceFromMain[j] ?? 0) : Math.min(bounds[j] ?? 0, ctx.lines.get(lic.product) ?? 0);
    if (!lic || bound <= EPS) return;
    const gain = licenceGainPerChip(s, lic, ctx.lambdaDeals);
    const demand = adversaryDemand(ctx, ca);
    const have = (world.adversaries[j]?.domestic ?? 0) + committedH100e(world, j);
    const space: OutcomeSpace = { issues: [licenceIssue(s, bound, lic.product)] };
    const t = talk(
      ctx,
      space,
      [(o) => (T * (o[0] ?? 0) * gain) / 1e9, (o) => licenceSurplus(s, demand, have, o[0] ?? 0, lic)],
      [0, 0],
      [s.exporter.patience, ca.a.patience],
      [seats.exporter, seats.party(ca.a.id, ca.strategy)],
      [s.exporter.id, ca.a.id],
      root.child(`adversary/${ca.a.id}/round/${ctx.round}`),
      ['exporter', 'adversary'],
      record,
    );
    collect(j, t);
    if (t.record) ctx.emit?.({ type: 'negotiation', round: ctx.round, country: ca.a.id, ...t.record });
    const chips = t.result.agreement?.[0] ?? 0;
    if (!t.result.agreement || chips <= EPS) {
      ctx.emit?.({ type: 'no-deal', round: ctx.round, country: ca.a.id, reason: t.result.reason === 'agreement' ? 'empty' : t.result.reason });
      return;
    }
    (world.adversaries[j] as (typeof world.adversaries)[number]).licences.push({ chipsPerRound: chips, since: ctx.r, until: ctx.r + T - 1, product: lic });
    if (lic.supplyPerRound !== null) ctx.lines.set(lic.product, (ctx.lines.get(lic.product) ?? 0) - chips);
    ctx.deals++;
    ctx.emit?.({ type: 'deal', round: ctx.round, country: ca.a.id, chipsPerRound: chips, untilRound: ctx.r + T, terms: { chips, revenueShare: lic.revenueShare }, concessionsUsd: 0, faceUsd: 0, chipCost: -gain });
  });
}
