/**
 * Step 3 (docs/model.md, "Scarcity price"): the exporter prices its free supply. Every buyer's demand falls
 * with the shadow price λ of a chip: the domestic market and licence-free buyers want their demand at list
 * price plus λ; a country that may sign a deal wants, on top, the most chips any package could buy when a
 * chip costs the exporter λ plus its expected leakage; a licence from the main line is worth granting while
 * it beats λ. λ is the least price at which all of that fits the free supply (or its floor, -list price,
 * when it fits at any price: supply is slack). Deals are then bargained at λ, each within what was reserved
 * for it, so they can never exceed supply and their order cannot matter.
 */
import type { ChipsScenario } from '../../../core/scenario/schema.js';
import { clearingPrice, type DemandAt } from '../clearing.js';
import type { CompiledAdversary, CompiledCountry } from '../compile.js';
import { coveredDealChips, effectiveEnforcement, efficientDealChips, licenceGainPerChip, maxDealChips, type DealPricing } from '../deal.js';
import { quantityAt, scaled, type LinearDemand } from '../demand.js';
import type { CountryRound, CountryState, RoundContext, WorldState } from '../world.js';
import { growth } from './open.js';
import { noDeal } from './rival.js';

/** Licence-free purchases of a country at shadow price λ (chips): its demand at list + λ, within its allowances. */
export function licenceFree(s: ChipsScenario, row: CountryRound, lambda: number): number {
  const a = row.access;
  const bound = a.exempt + a.veu + a.capped + a.market;
  if (bound <= 0) return 0;
  const want = quantityAt(row.demand, s.exporter.price + Math.max(0, lambda)) - row.dealChips;
  return want <= 0 ? 0 : want < bound ? want : bound;
}

/** The domestic market's demand this round (chips), or null when the scenario has none. */
export function domesticDemand(ctx: RoundContext): LinearDemand | null {
  const d = ctx.epoch.scenario.exporter.domestic;
  if (!d) return null;
  return scaled({ top: d.valuePerChip, price: ctx.epoch.scenario.exporter.price, atPrice: d.demandPerRound }, growth(ctx.epoch, ctx.r));
}

/** The adversary's compute demand this round (H100e). */
export function adversaryDemand(ctx: RoundContext, ca: CompiledAdversary): LinearDemand {
  return scaled(ca.demand, growth(ctx.epoch, ctx.r));
}

/** Frontier chips an adversary with open-market access buys at shadow price λ, on top of what it has. */
export function openMarketChips(ctx: RoundContext, demand: LinearDemand, have: number, lambda: number): number {
  const s = ctx.epoch.scenario;
  const h = s.exporter.h100ePerChip;
  const want = quantityAt(demand, (s.exporter.price + Math.max(0, lambda)) / h) - have;
  return want > 0 ? want / h : 0;
}

/** Whether a new deal may be negotiated this round: the rule allows one and none is in force. */
export function negotiates(world: WorldState, row: CountryRound, i: number): boolean {
  return row.access.negotiate && (world.countries[i] as CountryState).deals.length === 0;
}

export interface Reservation {
  /** Pricing of each country's negotiation this round (null: none). */
  readonly pricing: (DealPricing | null)[];
  /** Chips per round a licence from the main line may take, by adversary index (0: none). */
  readonly licenceFromMain: number[];
}

/**
 * The no-deal positions of a country's negotiation, evaluated once at the start of the round with its
 * licence-free purchases at last round's λ (what it expects to get anyway).
 */
function positions(ctx: RoundContext, world: WorldState, i: number): { exporter: number; country: number } {
  const s = ctx.epoch.scenario;
  const row = ctx.countries[i] as CountryRound;
  row.baseline = licenceFree(s, row, world.lambdaBefore);
  const share = row.demand.atPrice > 0 ? Math.min(1, Math.max(0, row.demand.atPrice - row.baseline - row.dealChips) / row.demand.atPrice) : 0;
  return noDeal(ctx, world, i, share);
}

function pricingAt(ctx: RoundContext, world: WorldState, i: number, lambda: number, leak: number, nd: { exporter: number; country: number }): DealPricing {
  const row = ctx.countries[i] as CountryRound;
  return {
    demand: row.demand,
    baseline: licenceFree(ctx.epoch.scenario, row, lambda),
    bound: row.access.negotiableMax,
    lambda,
    leakPerChip: leak,
    trust: (world.countries[i] as CountryState).relations,
    exporterReservation: nd.exporter,
    countryReservation: nd.country,
  };
}

/**
 * The most chips any package buys at λ, as a closed form of λ (the clearing evaluates it many times): the
 * same arithmetic as dealEconomics(...).maxChips, at the largest package and the most secure commitment.
 */
function maxChipsAt(ctx: RoundContext, world: WorldState, i: number, leak: number, nd: { exporter: number }): DemandAt {
  const s = ctx.epoch.scenario;
  const cc = ctx.epoch.countries[i] as CompiledCountry;
  const row = ctx.countries[i] as CountryRound;
  const st = world.countries[i] as CountryState;
  const k = cc.c.concessions;
  const ix = cc.space.index;
  const w = s.exporter.objective;
  const T = s.negotiation.term;
  const price = s.exporter.price;
  const sec = ix.security >= 0 ? 1 : 0;
  const value = (ix.tariff >= 0 ? k.maxTariff * k.tariffValuePerPp : 0) + st.relations * ((ix.investment >= 0 ? k.maxInvestment * k.investmentValue : 0) + (ix.purchases >= 0 ? k.maxPurchases * k.purchaseValue : 0));
  const leakCost = w.security * leak * (1 - effectiveEnforcement(s, cc.c, sec, st.relations));
  const pays = (w.concessions * value - nd.exporter) * 1e9;
  return (lambda) => {
    const baseline = licenceFree(s, row, lambda);
    const cost = lambda + leakCost;
    return baseline + coveredDealChips(efficientDealChips(row.demand, price, baseline, row.access.negotiableMax, cost), pays, T, cost);
  };
}

/** Expected leakage cost of one chip shipped to a country this round (USD), before enforcement. */
export function leakPerChip(ctx: RoundContext, world: WorldState, cc: CompiledCountry): number {
  const s = ctx.epoch.scenario;
  return s.exporter.leakageCost * s.exporter.h100ePerChip * cc.c.diversionRisk * world.pressure;
}

export function reserve(ctx: RoundContext, world: WorldState, licenceBounds: readonly number[]): Reservation {
  const s = ctx.epoch.scenario;
  const price = s.exporter.price;
  const floor = -s.exporter.objective.revenue * price;
  const demands: DemandAt[] = [];
  let hi = price;
  const dom = domesticDemand(ctx);
  if (dom) {
    demands.push((l) => quantityAt(dom, price + Math.max(0, l)));
    hi = Math.max(hi, dom.top);
  }
  const leaks = ctx.epoch.countries.map((cc) => leakPerChip(ctx, world, cc));
  const nds = ctx.epoch.countries.map((_, i) => (negotiates(world, ctx.countries[i] as CountryRound, i) ? positions(ctx, world, i) : null));
  ctx.epoch.countries.forEach((_, i) => {
    const row = ctx.countries[i] as CountryRound;
    hi = Math.max(hi, row.demand.top);
    const nd = nds[i];
    if (nd) {
      demands.push(maxChipsAt(ctx, world, i, leaks[i] as number, nd));
    } else {
      demands.push((l) => licenceFree(s, row, l));
    }
  });
  ctx.epoch.adversaries.forEach((ca, j) => {
    const lic = ca.licensed;
    const bound = licenceBounds[j] ?? 0;
    if (ca.rule.rule.market === 'unlimited') {
      const demand = adversaryDemand(ctx, ca);
      const have = (world.adversaries[j]?.domestic ?? 0) + committedH100e(world, j);
      demands.push((l) => openMarketChips(ctx, demand, have, l));
      hi = Math.max(hi, demand.top * s.exporter.h100ePerChip);
    } else if (lic && lic.supplyPerRound === null && bound > 0) {
      demands.push((l) => (licenceGainPerChip(s, lic, l) > 0 ? bound : 0));
      hi = Math.max(hi, lic.price + price);
    }
  });
  const lambda = clearingPrice(demands, ctx.free, floor, hi + price);
  ctx.lambdaDeals = lambda;
  const pricing = ctx.epoch.countries.map((cc, i) => {
    const row = ctx.countries[i] as CountryRound;
    const nd = nds[i];
    if (!nd) {
      row.baseline = licenceFree(s, row, lambda);
      return null;
    }
    const p = pricingAt(ctx, world, i, lambda, leaks[i] as number, nd);
    row.baseline = p.baseline;
    row.reserved = maxDealChips(s, cc.c, cc.space, p);
    return p;
  });
  const licenceFromMain = ctx.epoch.adversaries.map((ca, j) => {
    const lic = ca.licensed;
    return lic && lic.supplyPerRound === null && ca.rule.rule.market !== 'unlimited' && licenceGainPerChip(s, lic, lambda) > 0 ? (licenceBounds[j] ?? 0) : 0;
  });
  return { pricing, licenceFromMain };
}

/** H100e an adversary's licences in force deliver per round. */
export function committedH100e(world: WorldState, j: number): number {
  let x = 0;
  for (const l of world.adversaries[j]?.licences ?? []) x += l.chipsPerRound * l.product.h100ePerChip;
  return x;
}
