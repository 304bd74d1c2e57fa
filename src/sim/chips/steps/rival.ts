/**
 * The rival supplier (docs/model.md, "Rival supplier"): importers buy its chips for the compute the exporter
 * did not supply, at its price per H100e (price / compute per chip) plus a stigma that grows with their
 * relations to the exporter and shrinks as their rival-stack share grows. Its capacity is cleared like the
 * exporter's supply, by a premium; demand it cannot serve makes it add capacity next round.
 */
import type { ChipsScenario, Country } from '../../../core/scenario/schema.js';
import { clearingPrice, type DemandAt } from '../clearing.js';
import type { CompiledCountry } from '../compile.js';
import { quantityAt, surplus, type LinearDemand } from '../demand.js';
import type { CountryState, RoundContext, WorldState } from '../world.js';
import { growth } from './open.js';

/** The country's whole compute demand this round, in H100e (its rival-stack part included). */
export function computeDemand(s: ChipsScenario, cc: CompiledCountry, g: number): LinearDemand {
  const h = s.exporter.h100ePerChip;
  return { top: cc.c.valuePerH100e, price: s.exporter.price / h, atPrice: cc.c.demandPerRound * g * h };
}

/** The rival's price per chip (parity with the exporter's list price per H100e when the scenario gives none). */
export function rivalPrice(s: ChipsScenario): number {
  const rv = s.rival;
  if (!rv) return 0;
  return rv.price ?? (s.exporter.price / s.exporter.h100ePerChip) * rv.h100ePerChip;
}

/** Share of the country's market open to the rival: its access, widened by its rival-stack share. */
function openTo(c: Country, st: CountryState): number {
  return c.rivalAccess + (1 - c.rivalAccess) * st.stack;
}

/** What one H100e from the rival costs the country at rival premium μ (USD per H100e). */
export function rivalCost(s: ChipsScenario, c: Country, st: CountryState, mu: number): number {
  const rv = s.rival;
  if (!rv) return Infinity;
  return (rivalPrice(s) + mu) / rv.h100ePerChip + rv.stigma * st.relations * (1 - st.stack);
}

/** Rival H100e the country would buy at premium μ on top of `have` H100e from the exporter. */
export function rivalDemand(s: ChipsScenario, cc: CompiledCountry, st: CountryState, total: LinearDemand, have: number, mu: number): number {
  if (!s.rival) return 0;
  const want = quantityAt(total, rivalCost(s, cc.c, st, mu)) - have;
  return want > 0 ? want * openTo(cc.c, st) : 0;
}

/**
 * The no-deal position of a negotiation: the rival chips the country would buy for the demand its contracts
 * and licence-free purchases leave (at last round's rival premium, within the rival's capacity), the
 * surplus that gives it over the term (USD bn), and the exporter's reservation (USD bn): those sales valued at
 * list price by its market-share weight, and the relations a failure costs by its relations weight.
 */
export function noDeal(ctx: RoundContext, world: WorldState, i: number, reservedShare: number): { country: number; exporter: number; rivalChips: number } {
  const s = ctx.epoch.scenario;
  const cc = ctx.epoch.countries[i] as CompiledCountry;
  const st = world.countries[i] as CountryState;
  const row = ctx.countries[i];
  const T = s.negotiation.term;
  const w = s.exporter.objective;
  const relationLoss = w.relations * -s.relations.unmetPenalty * T * reservedShare;
  if (!s.rival || !row) return { country: 0, exporter: -relationLoss, rivalChips: 0 };
  const h = s.exporter.h100ePerChip;
  const total = computeDemand(s, cc, growth(ctx.epoch, ctx.r));
  const have = (row.dealChips + row.baseline) * h;
  // Nash-in-Nash: the others are held at what they bought from the rival last round.
  // Summed over the buyers only: the others are zeros, which add nothing, so this is the sum over every
  // other country, in the same order, without a pass over all of them per talk (quadratic in countries).
  let others = 0;
  for (const j of world.rivalBuyers) others += j === i ? 0 : (world.rivalBought[j] as number);
  const available = Math.max(0, world.rivalCapacity - others) * s.rival.h100ePerChip;
  const y = Math.min(rivalDemand(s, cc, st, total, have, world.rivalPremium), available);
  const cost = rivalCost(s, cc.c, st, world.rivalPremium);
  const country = y > 0 ? (T * surplus(total, have, have + y, cost)) / 1e9 : 0;
  const rivalChips = y / s.rival.h100ePerChip;
  return { country: Math.max(0, country), exporter: -(w.marketShare * T * s.exporter.price * rivalChips) / 1e9 - relationLoss, rivalChips };
}

/** Step 8: importers buy from the rival; its premium clears its capacity; its capacity responds. */
export function rivalStep(ctx: RoundContext, world: WorldState): void {
  const s = ctx.epoch.scenario;
  const rv = s.rival;
  if (!rv) return;
  const h = s.exporter.h100ePerChip;
  const g = growth(ctx.epoch, ctx.r);
  const totals = ctx.epoch.countries.map((cc) => computeDemand(s, cc, g));
  const have = ctx.countries.map((row) => row.delivered * h);
  const demands: DemandAt[] = ctx.epoch.countries.map((cc, i) => (mu) => rivalDemand(s, cc, world.countries[i] as CountryState, totals[i] as LinearDemand, have[i] as number, mu) / rv.h100ePerChip);
  let atZero = 0;
  for (const d of demands) atZero += d(0);
  const hi = Math.max(1, ...ctx.epoch.countries.map((cc) => cc.c.valuePerH100e * rv.h100ePerChip)) + rivalPrice(s);
  const mu = clearingPrice(demands, world.rivalCapacity, 0, hi);
  ctx.countries.forEach((row, i) => {
    const chips = (demands[i] as DemandAt)(mu);
    row.rivalChips = chips;
    world.rivalBought[i] = chips;
    row.rivalH100e = chips * rv.h100ePerChip;
    if (chips > 0) ctx.emit?.({ type: 'alternative', round: ctx.round, country: (ctx.epoch.countries[i] as CompiledCountry).c.id, chips, h100e: row.rivalH100e });
  });
  refreshBuyers(world);
  ctx.rivalCapacity = world.rivalCapacity;
  const excess = Math.max(0, atZero - world.rivalCapacity);
  world.rivalPremium = mu;
  world.rivalCapacity = world.rivalCapacity * (1 + rv.capacityGrowthPerRound) + rv.demandResponse * excess;
}

/**
 * Before the first round there is no rival market to expect from: clear it once as if every country turned to
 * the rival for the demand its licence-free purchases leave, which sets the premium and purchases the first
 * negotiations take as the rival's state.
 */
export function expectRival(ctx: RoundContext, world: WorldState, licenceFree: (i: number) => number): void {
  const s = ctx.epoch.scenario;
  const rv = s.rival;
  if (!rv) return;
  const h = s.exporter.h100ePerChip;
  const g = growth(ctx.epoch, ctx.r);
  const demands: DemandAt[] = ctx.epoch.countries.map((cc, i) => {
    const total = computeDemand(s, cc, g);
    const have = ((ctx.countries[i]?.dealChips ?? 0) + licenceFree(i)) * h;
    return (mu) => rivalDemand(s, cc, world.countries[i] as CountryState, total, have, mu) / rv.h100ePerChip;
  });
  const hi = Math.max(1, ...ctx.epoch.countries.map((cc) => cc.c.valuePerH100e * rv.h100ePerChip)) + rivalPrice(s);
  const mu = clearingPrice(demands, world.rivalCapacity, 0, hi);
  world.rivalPremium = mu;
  demands.forEach((d, i) => (world.rivalBought[i] = d(mu)));
  refreshBuyers(world);
}

function refreshBuyers(world: WorldState): void {
  world.rivalBuyers = [];
  world.rivalBought.forEach((x, j) => {
    if (x !== 0) world.rivalBuyers.push(j);
  });
}
