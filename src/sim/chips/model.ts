/**
 * One seeded run of the chip-trade world (docs/model.md, "Process overview"). Each round:
 *   1. supply is set;  2. the regime decides each country's access;  3. supply is shared: deals already signed
 *   first, then purchase allowances and negotiation budgets pro rata;  4. negotiations run, each within its own
 *   budget;  5. what negotiations left unused goes to purchases that were rationed;  6. chips are delivered;
 *   7. some leak;  8. unmet demand turns to the rival;  9. relations update;  10. metrics are recorded.
 * Countries are processed in id order, and every random draw comes from a stream named after its consumer.
 */
import type { Route, RoundMetrics, SimEvent } from '../../core/events.js';
import { normal, streams, type Streams, type Uniform } from '../../core/rng.js';
import type { ChipsScenario } from '../../core/scenario/schema.js';
import type { NegotiationResult } from '../../negotiation/types.js';
import { access, capPeriodRounds, type Access } from './access.js';
import { concessionsValue, effectiveEnforcement, termsOf } from './deal.js';
import { budgetedSpace, negotiateDeal, negotiateLicence, type Negotiated } from './negotiations.js';
import { sum, sumBy } from './sum.js';
import type { PreparedAdversary, PreparedChips, PreparedCountry } from './prepare.js';

interface ActiveDeal {
  readonly chipsPerRound: number;
  /** Round (0-based) the deal was signed: deals signed this round are never rationed. */
  readonly since: number;
  /** Last round (0-based) the deal delivers in. */
  readonly until: number;
  readonly security: number;
  /** A cap-upgrade deal: its chips count against the raised cap. */
  readonly upgrade: boolean;
}

export interface CountryState {
  relations: number;
  capUsed: number;
  upgradeUsed: number;
  exemptUsedThisYear: number;
  deals: ActiveDeal[];
  route: Route;
  // Totals over the run.
  delivered: number;
  market: number;
  capped: number;
  exempt: number;
  veu: number;
  dealChips: number;
  tppUnderCap: number;
  rival: number;
  leaked: number;
  concessionsUsd: number;
  securityCommitment: number;
  dealCount: number;
  negotiations: number;
  firstNegotiationRound: number | null;
  firstDealRound: number | null;
  utilitySum: number;
  nashDistanceSum: number;
  nashDistanceCount: number;
  readonly leakStream: Uniform;
  readonly relationStream: Uniform;
}

export interface AdversaryState {
  domestic: number;
  licensed: number;
  diverted: number;
  revenueShareUsd: number;
  licences: { readonly chipsPerRound: number; readonly share: number; readonly since: number; readonly until: number }[];
}

export interface ExporterTotals {
  revenueUsd: number;
  licensedRevenueShareUsd: number;
  concessionsUsd: number;
  rivalSales: number;
  supply: number;
  exporterUtilitySum: number;
  negotiations: number;
  deals: number;
}

export interface ChipsRun {
  readonly rounds: { round: number; label: string; events: SimEvent[] }[];
  readonly perRound: RoundMetrics[];
  readonly countries: readonly CountryState[];
  readonly adversaries: readonly AdversaryState[];
  readonly totals: ExporterTotals;
}

export interface SimulateOptions {
  /** Keep the event log (the text report, --json and the replay need it; benchmarks may turn it off). */
  readonly record: boolean;
  /** Stream namespace for this run. */
  readonly runName?: string;
}

export function roundLabel(s: ChipsScenario, round: number): string {
  const m = /^(\d{4})Q([1-4])$/.exec(s.start);
  if (s.roundsPerYear !== 4 || !m) return `round ${round + 1}`;
  const k = Number(m[2]) - 1 + round;
  return `${Number(m[1]) + Math.floor(k / 4)}Q${(k % 4) + 1}`;
}

const EPS = 1e-9;
const activeChips = (deals: readonly { chipsPerRound: number }[]): number => sumBy(deals, (d) => d.chipsPerRound);

function newCountryState(pc: PreparedCountry, root: Streams): CountryState {
  const cs = root.child(`country/${pc.c.id}`);
  return {
    relations: pc.c.relations,
    capUsed: 0,
    upgradeUsed: 0,
    exemptUsedThisYear: 0,
    deals: [],
    route: 'denied',
    delivered: 0,
    market: 0,
    capped: 0,
    exempt: 0,
    veu: 0,
    dealChips: 0,
    tppUnderCap: 0,
    rival: 0,
    leaked: 0,
    concessionsUsd: 0,
    securityCommitment: 0,
    dealCount: 0,
    negotiations: 0,
    firstNegotiationRound: null,
    firstDealRound: null,
    utilitySum: 0,
    nashDistanceSum: 0,
    nashDistanceCount: 0,
    leakStream: cs.stream('leakage'),
    relationStream: cs.stream('relations'),
  };
}

function noDealReason(r: NegotiationResult): 'deadline' | 'walkaway' | 'empty' {
  return r.reason === 'agreement' ? 'empty' : r.reason;
}

/** What an adversary asks for this round: open-market purchases, or a budget for licence talks. */
function adversaryRequest(pa: PreparedAdversary, supply: number, prevImporter: number | null): { market: number; licence: number } {
  const rule = pa.rule.rule;
  if (rule.market === 'unlimited') return { market: pa.a.importDemandPerRound, licence: 0 };
  if (!rule.licensed) return { market: 0, licence: 0 };
  // The licensed volume cap is a fraction of what the exporter ships to everyone else [S47]; before any
  // shipments, of the round's supply.
  return { market: 0, licence: Math.min(pa.a.importDemandPerRound, rule.licensed.capFraction * (prevImporter ?? supply)) };
}

/**
 * `xs.map(f)` with packed elements. Optimised code builds a `.map()` result with holes, a different hidden
 * class, so every function compiled earlier that reads it by index (the round loop's steps) was thrown away
 * and compiled again once simulateChips itself was optimised.
 */
function mapPacked<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i] as T, i));
  return out;
}

export function simulateChips(p: PreparedChips, seed: number, opts: SimulateOptions): ChipsRun {
  const s = p.scenario;
  const root = streams(seed, opts.runName ?? 'run/0');
  const T = s.negotiation.term;
  const countries = mapPacked(p.countries, (pc) => newCountryState(pc, root));
  const advs: AdversaryState[] = mapPacked(p.adversaries, () => ({ domestic: 0, licensed: 0, diverted: 0, revenueShareUsd: 0, licences: [] }));
  const totals: ExporterTotals = { revenueUsd: 0, licensedRevenueShareUsd: 0, concessionsUsd: 0, rivalSales: 0, supply: 0, exporterUtilitySum: 0, negotiations: 0, deals: 0 };
  const rounds: ChipsRun['rounds'] = [];
  const perRound: RoundMetrics[] = [];
  const totalDemand = sumBy(p.countries, ({ c }) => c.demandPerRound);
  const rivalCapacity = s.rival?.capacityPerRound ?? 0;
  const rivalAvailability = totalDemand > 0 ? Math.min(1, rivalCapacity / totalDemand) : 0;
  let prevImporterDeliveries: number | null = null;

  for (let r = 0; r < s.rounds; r++) {
    const events: SimEvent[] = [];
    const emit = opts.record ? (e: SimEvent): void => void events.push(e) : undefined;
    const round = r + 1;
    const label = roundLabel(s, r);
    const supply = s.exporter.supplyPerRound * Math.pow(1 + s.exporter.supplyGrowthPerRound, r);
    totals.supply += supply;
    emit?.({ type: 'round-start', round, label, supply });

    // 1-2. Calendar resets and expiries, then access under the regime.
    const acc: Access[] = mapPacked(p.countries, (pc, i) => {
      const st = countries[i] as CountryState;
      const period = capPeriodRounds(pc.rule);
      if (period !== null && r > 0 && r % period === 0) {
        st.capUsed = 0;
        st.upgradeUsed = 0;
      }
      if (r % s.roundsPerYear === 0) st.exemptUsedThisYear = 0;
      st.deals = st.deals.filter((d) => d.until >= r);
      const a = access(s, pc.c, pc.rule, {
        round: r,
        capUsed: st.capUsed,
        upgradeUsed: st.upgradeUsed,
        exemptUsedThisYear: st.exemptUsedThisYear,
        dealChips: activeChips(st.deals),
        upgradeCommitted: sumBy(st.deals, (d) => (d.upgrade ? d.chipsPerRound * (d.until - r + 1) : 0)),
        relations: st.relations,
      });
      st.route = a.route;
      emit?.({ type: 'access', round, country: pc.c.id, route: a.route, marketAllowance: a.marketAllowance, negotiableMax: a.negotiableMax, capRemaining: a.capRemaining });
      return a;
    });
    for (const as of advs) as.licences = as.licences.filter((l) => l.until >= r);

    // 3. Deals already signed come first; if supply falls short of them, they are scaled down together.
    const committed = sumBy(countries, (st) => activeChips(st.deals)) + sumBy(advs, (as) => activeChips(as.licences));
    const dealFactor = committed > supply ? supply / committed : 1;
    const left = Math.max(0, supply - committed * dealFactor);
    const advRequests = mapPacked(p.adversaries, (pa) => adversaryRequest(pa, supply, prevImporterDeliveries));
    const requested = sumBy(acc, (a) => a.marketAllowance + a.negotiableMax) + sumBy(advRequests, (q) => q.market + q.licence);
    const f = requested > left ? left / requested : 1;

    // 4. Negotiations, each within its budget.
    let roundConcessions = 0;
    let roundDeals = 0;
    let roundNegotiations = 0;
    let newChips = 0;
    const observe = (out: Negotiated, who: string): void => {
      roundNegotiations++;
      totals.negotiations++;
      totals.exporterUtilitySum += out.result.payoffs[0];
      if (out.record) emit?.({ type: 'negotiation', round, country: who, ...out.record });
    };
    p.countries.forEach((pc, i) => {
      const st = countries[i] as CountryState;
      const space = budgetedSpace(pc.space.issues, pc.space.index.chips ?? 0, (acc[i]?.negotiableMax ?? 0) * f);
      if (!space) return;
      const out = negotiateDeal(p, pc, space, st.relations, rivalAvailability, root.child(`country/${pc.c.id}/round/${round}`), opts.record, { round, label });
      observe(out, pc.c.id);
      st.negotiations++;
      st.firstNegotiationRound ??= r;
      st.utilitySum += out.result.payoffs[1];
      if (out.distanceToNash !== null) {
        st.nashDistanceSum += out.distanceToNash;
        st.nashDistanceCount++;
      }
      const terms = out.result.agreement ? termsOf(pc.space, out.result.agreement) : null;
      if (!terms || terms.chips <= EPS) {
        emit?.({ type: 'no-deal', round, country: pc.c.id, reason: noDealReason(out.result) });
        return;
      }
      const value = concessionsValue(pc.c, terms);
      st.deals.push({ chipsPerRound: terms.chips, since: r, until: r + T - 1, security: terms.security, upgrade: pc.rule.rule.negotiate === 'cap-upgrade' });
      st.dealCount++;
      st.firstDealRound ??= r;
      st.concessionsUsd += value;
      st.securityCommitment = Math.max(st.securityCommitment, terms.security);
      totals.concessionsUsd += value;
      totals.deals++;
      roundConcessions += value;
      roundDeals++;
      newChips += terms.chips;
      // Concessions weigh on relations in proportion to what they cost the country relative to the chips.
      const gross = pc.payoffs.country({ ...terms, tariff: 0, investment: 0, purchases: 0, security: 0 });
      const burden = gross > 0 ? Math.min(1, (gross - pc.payoffs.country(terms)) / gross) : 0;
      st.relations = clamp01(st.relations + s.relations.dealBonus + s.relations.concessionPenalty * burden);
      emit?.({ type: 'deal', round, country: pc.c.id, chipsPerRound: terms.chips, untilRound: r + T, terms: { ...terms }, concessionsUsd: value });
    });
    p.adversaries.forEach((pa, j) => {
      const lic = pa.licence;
      const space = lic ? budgetedSpace(lic.issues, 0, (advRequests[j]?.licence ?? 0) * f) : null;
      if (!lic || !space) return;
      const out = negotiateLicence(p, pa, space, root.child(`adversary/${pa.a.id}/round/${round}`), opts.record, { round, label });
      observe(out, pa.a.id);
      const ag = out.result.agreement;
      const chips = ag?.[0] ?? 0;
      if (!ag || chips <= EPS) {
        emit?.({ type: 'no-deal', round, country: pa.a.id, reason: noDealReason(out.result) });
        return;
      }
      const share = ag[1] ?? 0;
      (advs[j] as AdversaryState).licences.push({ chipsPerRound: chips, share, since: r, until: r + T - 1 });
      totals.deals++;
      roundDeals++;
      newChips += chips;
      emit?.({ type: 'deal', round, country: pa.a.id, chipsPerRound: chips, untilRound: r + T, terms: { chips, revenueShare: share }, concessionsUsd: 0 });
    });

    // 5. What negotiations left unused goes to purchases that were rationed, pro rata.
    const marketAsked = sumBy(acc, (a) => a.marketAllowance) + sumBy(advRequests, (q) => q.market);
    const marketFirst = f * marketAsked;
    const marketShort = (1 - f) * marketAsked;
    const spare = Math.max(0, left - marketFirst - newChips);
    const g = marketShort > EPS ? Math.min(1, spare / marketShort) : 0;
    const marketFactor = f === 1 || g === 1 ? 1 : f + (1 - f) * g;

    // 6. Deliveries.
    let roundDelivered = 0;
    let roundRevenue = 0;
    const delivered = new Float64Array(countries.length);
    p.countries.forEach((pc, i) => {
      const st = countries[i] as CountryState;
      const a = acc[i] as Access;
      let deal = 0;
      let upgradeDeal = 0;
      for (const d of st.deals) {
        const chips = delivers(d, r, dealFactor);
        deal += chips;
        if (d.upgrade) upgradeDeal += chips;
      }
      const exempt = a.exempt * marketFactor;
      const veu = a.veu * marketFactor;
      const capped = a.capped * marketFactor;
      const market = a.market * marketFactor;
      st.exemptUsedThisYear += exempt;
      // When the whole remaining cap is bought, record the cap itself: the rule's numbers hold exactly.
      st.capUsed = marketFactor === 1 && a.cap !== null && capped === a.capRemaining ? a.cap : st.capUsed + capped;
      st.upgradeUsed += upgradeDeal;
      const total = exempt + veu + capped + market + deal;
      st.exempt += exempt;
      st.veu += veu;
      st.capped += capped;
      st.market += market;
      st.dealChips += deal;
      st.tppUnderCap += (capped + upgradeDeal) * s.tppPerH100e;
      st.delivered += total;
      delivered[i] = total;
      roundDelivered += total;
      const revenueUsd = (total * s.exporter.price) / 1e9;
      roundRevenue += revenueUsd;
      emit?.({ type: 'delivery', round, country: pc.c.id, market, capped, exempt, veu, deal, licensed: 0, total, requested: pc.c.demandPerRound, revenueUsd });
    });
    const importerDelivered = roundDelivered;

    // 7. Leakage: one draw per country per round, whether or not anything was delivered, so streams stay aligned.
    let roundLeak = 0;
    p.countries.forEach((pc, i) => {
      const st = countries[i] as CountryState;
      const u = st.leakStream();
      let security = 0;
      for (const d of st.deals) security = Math.max(security, d.security);
      const rate = pc.c.diversionRisk * (1 - effectiveEnforcement(s, pc.c, security));
      const leak = (delivered[i] ?? 0) * rate * (1 + s.leakage.noise * (2 * u - 1));
      st.leaked += leak;
      roundLeak += leak;
      if (leak > 0) emit?.({ type: 'leakage', round, country: pc.c.id, chips: leak, draw: u });
    });

    // Adversaries: domestic production, legal purchases (licensed, or open-market), diverted chips.
    let roundAdversary = 0;
    p.adversaries.forEach((pa, j) => {
      const as = advs[j] as AdversaryState;
      const marketBought = (advRequests[j]?.market ?? 0) * marketFactor;
      const downgrade = pa.rule.rule.licensed?.downgrade ?? 1;
      let licensedChips = 0;
      let fee = 0;
      for (const l of as.licences) {
        const chips = delivers(l, r, dealFactor);
        licensedChips += chips;
        fee += (chips * downgrade * s.exporter.price * l.share) / 1e9;
      }
      // A licensed chip is a downgraded one: it uses one unit of supply but carries `downgrade` H100e.
      const compute = marketBought + licensedChips * downgrade;
      const diverted = roundLeak * pa.a.diversionShare;
      const domestic = pa.a.domesticPerRound * Math.pow(1 + pa.a.domesticGrowthPerRound, r);
      as.domestic += domestic;
      as.licensed += compute;
      as.diverted += diverted;
      as.revenueShareUsd += fee;
      totals.licensedRevenueShareUsd += fee;
      const revenueUsd = ((marketBought + licensedChips * downgrade) * s.exporter.price) / 1e9 + fee;
      roundRevenue += revenueUsd;
      roundDelivered += marketBought + licensedChips;
      roundAdversary += domestic + compute + diverted;
      if (compute > 0) {
        emit?.({ type: 'delivery', round, country: pa.a.id, market: marketBought, capped: 0, exempt: 0, veu: 0, deal: 0, licensed: licensedChips * downgrade, total: compute, requested: pa.a.importDemandPerRound, revenueUsd });
      }
    });
    totals.revenueUsd += roundRevenue;

    // 8-9. Unmet demand turns to the rival (rationed by its capacity); relations update.
    const wants = new Float64Array(countries.length);
    p.countries.forEach((pc, i) => {
      wants[i] = Math.max(0, pc.c.demandPerRound - (delivered[i] ?? 0)) * pc.c.rivalAccess;
    });
    const wantTotal = sum(wants);
    const rivalFactor = wantTotal > rivalCapacity ? rivalCapacity / wantTotal : 1;
    let roundRival = 0;
    p.countries.forEach((pc, i) => {
      const st = countries[i] as CountryState;
      const got = (wants[i] ?? 0) * rivalFactor;
      st.rival += got;
      roundRival += got;
      if (got > 0) emit?.({ type: 'alternative', round, country: pc.c.id, chips: got });
      const demand = pc.c.demandPerRound;
      const unmetShare = demand > 0 ? Math.max(0, demand - (delivered[i] ?? 0) - got) / demand : 0;
      const before = st.relations;
      const after = clamp01(
        before +
          (st.route === 'denied' ? s.relations.deniedPenalty : 0) +
          s.relations.unmetPenalty * unmetShare -
          (s.rival && demand > 0 ? (s.rival.relationPenalty * got) / demand : 0) +
          s.relations.noise * normal(st.relationStream),
      );
      st.relations = after;
      emit?.({ type: 'relations', round, country: pc.c.id, before, after });
    });
    totals.rivalSales += roundRival;

    // 10. Metrics.
    let relSum = 0;
    let relMin = Infinity;
    for (const c of countries) {
      relSum += c.relations;
      relMin = Math.min(relMin, c.relations);
    }
    const n = countries.length;
    const metrics: RoundMetrics = {
      supply,
      delivered: roundDelivered,
      revenueUsd: roundRevenue,
      concessionsUsd: roundConcessions,
      leakage: roundLeak,
      rivalSales: roundRival,
      marketShare: importerDelivered + roundRival > 0 ? importerDelivered / (importerDelivered + roundRival) : 1,
      relationsMean: n ? relSum / n : 0,
      relationsMin: n ? relMin : 0,
      adversaryCompute: roundAdversary,
      deals: roundDeals,
      negotiations: roundNegotiations,
    };
    perRound.push(metrics);
    emit?.({ type: 'round-end', round, metrics });
    rounds.push({ round, label, events });
    prevImporterDeliveries = importerDelivered;
  }
  return { rounds, perRound, countries, adversaries: advs, totals };
}

/** Chips a deal delivers this round: older deals share any shortfall; deals signed this round were budgeted. */
function delivers(d: { readonly chipsPerRound: number; readonly since: number }, r: number, dealFactor: number): number {
  return d.since === r ? d.chipsPerRound : d.chipsPerRound * dealFactor;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
