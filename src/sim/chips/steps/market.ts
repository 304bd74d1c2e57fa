/**
 * Steps 5-6 (docs/model.md, "Licence-free market" and "Deliveries"): what this round's deals and licences
 * left of the supply goes to the licence-free buyers (the domestic market, countries within their
 * allowances, adversaries on an open market) at the premium λ that clears it; a chip is unsold only when no
 * such buyer values it at list price. Then every contract and purchase is delivered and paid for, and the
 * accounting identity closes: supply = domestic + exported + licensed + unsold.
 */
import { splitByRoute } from '../access.js';
import { clearingPrice, type DemandAt } from '../clearing.js';
import type { CompiledAdversary } from '../compile.js';
import { quantityAt } from '../demand.js';
import type { AdversaryRound, CountryRound, CountryState, RoundContext, WorldState } from '../world.js';
import { adversaryDemand, committedH100e, domesticDemand, licenceFree, openMarketChips } from './reserve.js';

/** Downgraded chips an adversary buys freely (no licence needed) at the product's price. */
function freeLicensed(ctx: RoundContext, world: WorldState, ca: CompiledAdversary, j: number): number {
  const lic = ca.licensed;
  if (!lic || lic.requiresLicence || ca.a.refusesLicensed || ca.rule.rule.market === 'unlimited') return 0;
  const demand = adversaryDemand(ctx, ca);
  const have = (world.adversaries[j]?.domestic ?? 0) + committedH100e(world, j);
  return Math.max(0, quantityAt(demand, lic.price / lic.h100ePerChip) - have) / lic.h100ePerChip;
}

export function marketStep(ctx: RoundContext, world: WorldState): void {
  const s = ctx.epoch.scenario;
  const price = s.exporter.price;
  const h = s.exporter.h100ePerChip;
  // Main-line supply this round's new contracts left.
  let left = ctx.free;
  for (const row of ctx.countries) left -= row.newDeal;
  ctx.epoch.adversaries.forEach((_, j) => {
    for (const l of world.adversaries[j]?.licences ?? []) if (l.since === ctx.r && l.product.supplyPerRound === null) left -= l.chipsPerRound;
  });
  left = Math.max(0, left);

  const demands: DemandAt[] = [];
  const dom = domesticDemand(ctx);
  demands.push(dom ? (l) => quantityAt(dom, price + l) : () => 0);
  let hi = dom ? dom.top : price;
  ctx.countries.forEach((row) => {
    demands.push((l) => licenceFree(s, row, l));
    hi = Math.max(hi, row.demand.top);
  });
  const openHave = ctx.epoch.adversaries.map((_, j) => (world.adversaries[j]?.domestic ?? 0) + committedH100e(world, j));
  ctx.epoch.adversaries.forEach((ca, j) => {
    if (ca.rule.rule.market === 'unlimited') {
      const demand = adversaryDemand(ctx, ca);
      demands.push((l) => openMarketChips(ctx, demand, openHave[j] as number, l));
      hi = Math.max(hi, demand.top * h);
    } else {
      const lic = ca.licensed;
      const free = lic && lic.supplyPerRound === null ? freeLicensed(ctx, world, ca, j) : 0;
      demands.push(() => free);
    }
  });
  const lambda = clearingPrice(demands, left, 0, hi + price);
  ctx.lambda = lambda;
  const bought = demands.map((d) => d(lambda));
  let sold = 0;
  for (const b of bought) sold += b;
  // With λ > 0 demand meets supply exactly up to bisection rounding, which the domestic market takes.
  const rounding = lambda > 0 ? Math.max(0, left - sold) : 0;
  ctx.domestic = (bought[0] ?? 0) + rounding;
  ctx.unsold = lambda > 0 ? 0 : Math.max(0, left - sold);

  // Deliveries to countries.
  ctx.countries.forEach((row: CountryRound, i) => {
    const st = world.countries[i] as CountryState;
    const id = ctx.epoch.countries[i]?.c.id ?? '';
    const split = splitByRoute(row.access, bought[i + 1] ?? 0);
    row.exempt = split.exempt;
    row.veu = split.veu;
    row.capped = split.capped;
    row.market = split.market;
    let deal = 0;
    let upgrade = 0;
    for (const d of st.deals) {
      const chips = d.since === ctx.r ? d.chipsPerRound : d.chipsPerRound * ctx.contractFactor;
      deal += chips;
      if (d.upgrade) upgrade += chips;
    }
    row.upgradeDelivered = upgrade;
    row.delivered = deal + split.exempt + split.veu + split.capped + split.market;
    st.exemptUsedThisYear += split.exempt * h;
    st.capUsed += split.capped * h;
    st.upgradeUsed += upgrade * h;
    const revenueUsd = (row.delivered * price) / 1e9;
    ctx.revenueUsd += revenueUsd;
    ctx.exportRevenueUsd += revenueUsd;
    ctx.emit?.({
      type: 'delivery',
      round: ctx.round,
      country: id,
      market: split.market,
      capped: split.capped,
      exempt: split.exempt,
      veu: split.veu,
      deal,
      licensed: 0,
      total: row.delivered,
      h100e: row.delivered * h,
      requested: row.demand.atPrice,
      revenueUsd,
    });
  });

  // Adversaries: open-market frontier chips, licensed and freely sold downgraded chips.
  const sales = new Map<string, number>();
  ctx.epoch.adversaries.forEach((ca, j) => {
    const row = ctx.adversaries[j] as AdversaryRound;
    const as = world.adversaries[j];
    const k = ctx.countries.length + 1 + j;
    if (ca.rule.rule.market === 'unlimited') row.marketChips = bought[k] ?? 0;
    let licensed = 0;
    let licensedH100e = 0;
    let fees = 0;
    let revenue = 0;
    for (const l of as?.licences ?? []) {
      const chips = l.since === ctx.r || l.product.supplyPerRound !== null ? l.chipsPerRound : l.chipsPerRound * ctx.contractFactor;
      licensed += chips;
      licensedH100e += chips * l.product.h100ePerChip;
      fees += (chips * l.product.price * l.product.revenueShare) / 1e9;
      revenue += (chips * l.product.price) / 1e9;
      if (l.product.supplyPerRound !== null) sales.set(l.product.product, (sales.get(l.product.product) ?? 0) + chips);
    }
    const lic = ca.licensed;
    if (lic && !lic.requiresLicence && !ca.a.refusesLicensed && ca.rule.rule.market !== 'unlimited') {
      // Free sales: from the main line as cleared above, or from the product's own line while it lasts.
      const want = lic.supplyPerRound === null ? (bought[k] ?? 0) : Math.min(freeLicensed(ctx, world, ca, j), ctx.lines.get(lic.product) ?? 0);
      if (lic.supplyPerRound !== null) {
        ctx.lines.set(lic.product, (ctx.lines.get(lic.product) ?? 0) - want);
        sales.set(lic.product, (sales.get(lic.product) ?? 0) + want);
      }
      licensed += want;
      licensedH100e += want * lic.h100ePerChip;
      revenue += (want * lic.price) / 1e9;
    }
    row.licensedChips = licensed;
    row.licensedH100e = licensedH100e;
    row.licenceFees = fees;
    revenue += (row.marketChips * price) / 1e9;
    row.revenueUsd = revenue;
    row.imports = row.marketChips * h + licensedH100e;
    ctx.revenueUsd += revenue;
    ctx.exportRevenueUsd += revenue;
    if (row.marketChips + licensed > 0) {
      ctx.emit?.({
        type: 'delivery',
        round: ctx.round,
        country: ca.a.id,
        market: row.marketChips,
        capped: 0,
        exempt: 0,
        veu: 0,
        deal: 0,
        licensed,
        total: row.marketChips + licensed,
        h100e: row.imports,
        requested: row.demand.atPrice,
        revenueUsd: revenue,
      });
    }
  });
  // Licensed lines: what no licence or free sale took is unsold.
  for (const [product, supply] of ctx.lineSupplies) ctx.licensedUnsold += Math.max(0, supply - (sales.get(product) ?? 0));
  ctx.unsold += ctx.licensedUnsold;
  ctx.revenueUsd += (ctx.domestic * price) / 1e9;
  world.domesticBefore = ctx.domestic;
  world.lambdaBefore = lambda;
  ctx.emit?.({ type: 'market', round: ctx.round, premiumForDeals: ctx.lambdaDeals, premium: lambda, domestic: ctx.domestic, unsold: ctx.unsold, committed: ctx.committed });
}
