/**
 * Steps 1-2 of a round (docs/model.md, "Process overview"): the timeline, supply and the contracts in force,
 * and each country's access under the regime in force.
 */
import { access, capPeriodRounds } from '../access.js';
import type { Epoch } from '../compile.js';
import { scaled } from '../demand.js';
import type { CountryRound, RoundContext, WorldState } from '../world.js';

/** Step 1a: the events that start an epoch this round, the state they reset, a change of regime. */
export function enterEpoch(ctx: RoundContext, world: WorldState, epoch: Epoch): void {
  const { r, round, emit } = ctx;
  if (epoch.from === r) {
    for (const e of epoch.events) emit?.({ type: 'timeline', round, ...e });
    epoch.resets.relations.forEach((v, i) => ((world.countries[i] as { relations: number }).relations = v));
    epoch.resets.stackShare.forEach((v, i) => ((world.countries[i] as { stack: number }).stack = v));
    epoch.resets.domestic.forEach((v, j) => ((world.adversaries[j] as { domestic: number }).domestic = v));
    if (epoch.resets.rivalCapacity !== null) world.rivalCapacity = epoch.resets.rivalCapacity;
  }
  if (epoch.regime.id !== world.regimeId) {
    // A new rule's cumulative caps start counting when it comes into force; contracts signed earlier run on.
    world.regimeId = epoch.regime.id;
    world.regimeSince = r;
    for (const st of world.countries) {
      st.capUsed = 0;
      st.upgradeUsed = 0;
    }
  }
}

/** Supply of the main line this round (chips). */
export function supplyOf(epoch: Epoch, r: number): number {
  const e = epoch.scenario.exporter;
  return e.supplyPerRound * Math.pow(1 + e.supplyGrowthPerRound, r);
}

/** Demand growth factor of round r. */
export function growth(epoch: Epoch, r: number): number {
  return Math.pow(1 + epoch.scenario.demandGrowthPerRound, r);
}

/**
 * Step 1b-2: contracts in force (expired ones dropped; scaled down together if supply fell below them),
 * calendar resets, each country's access and demand this round.
 */
export function openRound(ctx: RoundContext, world: WorldState): void {
  const { r, epoch } = ctx;
  const s = epoch.scenario;
  const g = growth(epoch, r);
  for (const as of world.adversaries) as.licences = as.licences.filter((l) => l.until >= r);
  let committed = 0;
  world.countries.forEach((st) => {
    st.deals = st.deals.filter((d) => d.until >= r);
    for (const d of st.deals) committed += d.chipsPerRound;
  });
  for (const as of world.adversaries) for (const l of as.licences) if (l.product.supplyPerRound === null) committed += l.chipsPerRound;
  // Force majeure: when supply falls below the contracts in force, they are all delivered in proportion.
  const factor = committed > ctx.supply ? ctx.supply / committed : 1;
  ctx.committed = committed * factor;
  ctx.free = Math.max(0, ctx.supply - ctx.committed);
  const regimeRound = r - world.regimeSince;
  epoch.countries.forEach((cc, i) => {
    const st = world.countries[i] as (typeof world.countries)[number];
    const period = capPeriodRounds(cc.rule);
    if (period !== null && regimeRound > 0 && regimeRound % period === 0) {
      st.capUsed = 0;
      st.upgradeUsed = 0;
    }
    if (r % s.roundsPerYear === 0) st.exemptUsedThisYear = 0;
    let dealChips = 0;
    let upgradeOwed = 0;
    for (const d of st.deals) {
      dealChips += d.chipsPerRound * factor;
      if (d.upgrade) upgradeOwed += d.chipsPerRound * (d.until - r + 1) * s.exporter.h100ePerChip;
    }
    const a = access(s, cc.c, cc.rule, {
      round: r,
      regimeRound,
      capUsed: st.capUsed,
      upgradeUsed: st.upgradeUsed + upgradeOwed,
      exemptUsedThisYear: st.exemptUsedThisYear,
      dealChips,
      relations: st.relations,
      domesticBefore: world.domesticBefore,
    });
    if (a.route === 'denied' && st.deals.length > 0) {
      // A regime that denies the country voids its contracts from this round.
      ctx.free += dealChips;
      ctx.committed -= dealChips;
      st.deals = [];
      dealChips = 0;
    }
    st.route = a.route;
    const row: CountryRound = {
      access: a,
      demand: scaled(cc.demand, g * (1 - st.stack)),
      dealChips,
      baseline: 0,
      reserved: 0,
      newDeal: 0,
      exempt: 0,
      veu: 0,
      capped: 0,
      market: 0,
      delivered: 0,
      upgradeDelivered: 0,
      rivalChips: 0,
      rivalH100e: 0,
      leaked: 0,
      signed: false,
      signedValue: 0,
      signedFace: 0,
      concessionBurden: 0,
    };
    ctx.countries[i] = row;
    ctx.emit?.({
      type: 'access',
      round: ctx.round,
      country: cc.c.id,
      route: a.route,
      marketAllowance: a.exempt + a.veu + a.capped + a.market,
      negotiableMax: a.negotiate ? a.negotiableMax : 0,
      capRemaining: a.capRemaining,
    });
  });
  ctx.contractFactor = factor;
}
