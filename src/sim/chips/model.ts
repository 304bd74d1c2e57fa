/**
 * One seeded run of the chip-trade world (docs/model.md, "Process overview"). Each round:
 *   1. supply is set;  2. the regime decides each country's access;  3. supply is shared pro rata among
 *   committed deals, purchase allowances and negotiation budgets;  4. negotiations run (concurrently: each sees
 *   only its own budget, so their order cannot matter);  5. chips are delivered;  6. some leak;  7. unmet
 *   demand turns to the rival;  8. relations update;  9. metrics are recorded.
 * Countries are processed in id order and every random draw comes from a stream named after its consumer.
 */
import type { NegotiationRecord, Route, SimEvent, RoundMetrics } from '../../core/events.js';
import { normal, streams, type Uniform } from '../../core/rng.js';
import type { ChipsScenario } from '../../core/scenario/schema.js';
import { negotiate } from '../../negotiation/mechanism.js';
import type { Issue, NegotiationResult, Outcome, Preferences } from '../../negotiation/types.js';
import { access, capPeriodRounds, type Access } from './access.js';
import { concessionsValue, effectiveEnforcement, noDealPayoffs, termsOf } from './deal.js';
import { analyse } from '../analysis.js';
import type { PreparedAdversary, PreparedChips, PreparedCountry } from './prepare.js';

export interface CountryState {
  relations: number;
  capUsed: number;
  upgradeUsed: number;
  exemptUsedThisYear: number;
  deal: { chipsPerRound: number; until: number; security: number; upgrade: boolean } | null;
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
  deals: number;
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
  licence: { chipsPerRound: number; share: number; until: number } | null;
}

export interface ExporterTotals {
  revenueUsd: number;
  licensedRevenueShareUsd: number;
  concessionsUsd: number;
  rivalSales: number;
  exporterSalesToImporters: number;
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

export interface RunOptions {
  /** Keep the event log (the text report, --json and the replay need it; benchmarks may turn it off). */
  readonly record: boolean;
  /** Stream namespace for this run, e.g. "run/0". */
  readonly runName?: string;
}

export function roundLabel(s: ChipsScenario, round: number): string {
  const [y, q] = s.start.split('Q').map(Number);
  if (s.roundsPerYear !== 4 || y === undefined || q === undefined) return `round ${round + 1}`;
  const k = q - 1 + round;
  return `${y + Math.floor(k / 4)}Q${(k % 4) + 1}`;
}

const EPS = 1e-9;

interface Pending {
  readonly index: number;
  readonly acc: Access;
}

export function simulateChips(p: PreparedChips, seed: number, opts: RunOptions): ChipsRun {
  const s = p.scenario;
  const root = streams(seed, opts.runName ?? 'run/0');
  const T = s.negotiation.term;
  const countries: CountryState[] = p.countries.map(({ c }) => {
    const cs = root.child(`country/${c.id}`);
    return {
      relations: c.relations,
      capUsed: 0,
      upgradeUsed: 0,
      exemptUsedThisYear: 0,
      deal: null,
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
      deals: 0,
      negotiations: 0,
      firstNegotiationRound: null,
      firstDealRound: null,
      utilitySum: 0,
      nashDistanceSum: 0,
      nashDistanceCount: 0,
      leakStream: cs.stream('leakage'),
      relationStream: cs.stream('relations'),
    };
  });
  const advs: AdversaryState[] = p.adversaries.map(() => ({ domestic: 0, licensed: 0, diverted: 0, revenueShareUsd: 0, licence: null }));
  const totals: ExporterTotals = {
    revenueUsd: 0,
    licensedRevenueShareUsd: 0,
    concessionsUsd: 0,
    rivalSales: 0,
    exporterSalesToImporters: 0,
    supply: 0,
    exporterUtilitySum: 0,
    negotiations: 0,
    deals: 0,
  };
  const rounds: ChipsRun['rounds'] = [];
  const perRound: RoundMetrics[] = [];
  const totalDemand = p.countries.reduce((a, { c }) => a + c.demandPerRound, 0);
  const rivalCapacity = s.rival?.capacityPerRound ?? 0;
  const rivalAvailability = totalDemand > 0 ? Math.min(1, rivalCapacity / totalDemand) : 0;
  let prevImporterDeliveries: number | null = null;

  for (let r = 0; r < s.rounds; r++) {
    const events: SimEvent[] = [];
    const emit = opts.record ? (e: SimEvent) => void events.push(e) : undefined;
    const label = roundLabel(s, r);
    const supply = s.exporter.supplyPerRound * Math.pow(1 + s.exporter.supplyGrowthPerRound, r);
    totals.supply += supply;
    emit?.({ type: 'round-start', round: r + 1, label, supply });

    // 1-2. Calendar resets, then access under the regime.
    const pending: Pending[] = [];
    p.countries.forEach((pc, i) => {
      const st = countries[i] as CountryState;
      const period = capPeriodRounds(pc.rule);
      if (period !== null && r > 0 && r % period === 0) {
        st.capUsed = 0;
        st.upgradeUsed = 0;
      }
      if (r % s.roundsPerYear === 0) st.exemptUsedThisYear = 0;
      if (st.deal && st.deal.until < r) st.deal = null;
      const acc = access(s, pc.c, pc.rule, {
        round: r,
        capUsed: st.capUsed,
        upgradeUsed: st.upgradeUsed,
        exemptUsedThisYear: st.exemptUsedThisYear,
        dealChips: st.deal?.chipsPerRound ?? 0,
        hasActiveDeal: st.deal !== null,
        relations: st.relations,
      });
      st.route = acc.route;
      pending.push({ index: i, acc });
      emit?.({
        type: 'access',
        round: r + 1,
        country: pc.c.id,
        route: acc.route,
        marketAllowance: acc.marketAllowance,
        negotiableMax: acc.negotiableMax,
        capRemaining: acc.capRemaining,
      });
    });
    p.adversaries.forEach((pa, j) => {
      const as = advs[j] as AdversaryState;
      if (as.licence && as.licence.until < r) as.licence = null;
    });

    // 3. Share supply: committed deals first, then everything else pro rata.
    let committed = 0;
    for (const st of countries) committed += st.deal?.chipsPerRound ?? 0;
    for (const as of advs) committed += as.licence?.chipsPerRound ?? 0;
    const dealFactor = committed > supply ? supply / committed : 1;
    const left = Math.max(0, supply - committed * dealFactor);
    const advRequests = p.adversaries.map((pa, j) => adversaryRequest(pa, advs[j] as AdversaryState, supply, prevImporterDeliveries));
    let requested = 0;
    for (const { acc } of pending) requested += acc.marketAllowance + acc.negotiableMax;
    for (const q of advRequests) requested += q.market + q.licence;
    const f = requested > left ? left / requested : 1;

    // 4. Negotiations, each within its own budget.
    let roundConcessions = 0;
    let roundDeals = 0;
    let roundNegotiations = 0;
    for (const { index, acc } of pending) {
      const budget = acc.negotiableMax * f;
      if (budget <= EPS) continue;
      const pc = p.countries[index] as PreparedCountry;
      const st = countries[index] as CountryState;
      const out = negotiateDeal(p, pc, st, budget, rivalAvailability, root, r, opts.record);
      roundNegotiations++;
      totals.negotiations++;
      st.negotiations++;
      st.firstNegotiationRound ??= r;
      st.utilitySum += out.result.payoffs[1];
      totals.exporterUtilitySum += out.result.payoffs[0];
      if (out.distanceToNash !== null) {
        st.nashDistanceSum += out.distanceToNash;
        st.nashDistanceCount++;
      }
      if (out.record) emit?.({ type: 'negotiation', round: r + 1, country: pc.c.id, ...out.record });
      const agreement = out.result.agreement;
      const terms = agreement ? termsOf(pc.space, agreement) : null;
      if (terms && terms.chips > EPS) {
        const value = concessionsValue(pc.c, terms);
        st.deal = { chipsPerRound: terms.chips, until: r + T - 1, security: terms.security, upgrade: pc.rule.rule.negotiate === 'cap-upgrade' };
        st.deals++;
        st.firstDealRound ??= r;
        st.concessionsUsd += value;
        st.securityCommitment = Math.max(st.securityCommitment, terms.security);
        totals.concessionsUsd += value;
        totals.deals++;
        roundConcessions += value;
        roundDeals++;
        const burden = pc.payoffs.country({ ...terms, tariff: 0, investment: 0, purchases: 0, security: 0 });
        const cost = burden - pc.payoffs.country(terms);
        st.relations += s.relations.dealBonus + (burden > 0 ? s.relations.concessionPenalty * Math.min(1, cost / burden) : 0);
        emit?.({
          type: 'deal',
          round: r + 1,
          country: pc.c.id,
          chipsPerRound: terms.chips,
          untilRound: r + T,
          terms: { ...terms },
          concessionsUsd: value,
        });
      } else {
        emit?.({ type: 'no-deal', round: r + 1, country: pc.c.id, reason: noDealReason(out.result) });
      }
    }
    p.adversaries.forEach((pa, j) => {
      const q = advRequests[j];
      const as = advs[j] as AdversaryState;
      if (!q || q.licence * f <= EPS || !pa.licence) return;
      const out = negotiateLicence(p, pa, q.licence * f, root, r, opts.record);
      roundNegotiations++;
      totals.negotiations++;
      if (out.record) emit?.({ type: 'negotiation', round: r + 1, country: pa.a.id, ...out.record });
      const ag = out.result.agreement;
      if (ag && (ag[0] ?? 0) > EPS) {
        as.licence = { chipsPerRound: ag[0] ?? 0, share: ag[1] ?? 0, until: r + T - 1 };
        totals.deals++;
        roundDeals++;
        emit?.({ type: 'deal', round: r + 1, country: pa.a.id, chipsPerRound: ag[0] ?? 0, untilRound: r + T, terms: { chips: ag[0] ?? 0, revenueShare: ag[1] ?? 0 }, concessionsUsd: 0 });
      } else {
        emit?.({ type: 'no-deal', round: r + 1, country: pa.a.id, reason: noDealReason(out.result) });
      }
    });

    // 5-8. Deliveries, leakage, alternatives, relations.
    let roundDelivered = 0;
    let roundRevenue = 0;
    let roundLeak = 0;
    const delivered: number[] = new Array<number>(countries.length).fill(0);
    for (const { index, acc } of pending) {
      const pc = p.countries[index] as PreparedCountry;
      const st = countries[index] as CountryState;
      // Deals signed this round were budgeted from what was left, so dealFactor < 1 means none were signed.
      const deal = (st.deal?.chipsPerRound ?? 0) * dealFactor;
      const exempt = acc.exempt * f;
      const veu = acc.veu * f;
      const capped = acc.capped * f;
      const market = acc.market * f;
      st.exemptUsedThisYear += exempt;
      st.capUsed = f === 1 && acc.capRemaining !== null && capped === acc.capRemaining && acc.cap !== null ? acc.cap : st.capUsed + capped;
      if (st.deal?.upgrade) st.upgradeUsed += deal;
      const total = exempt + veu + capped + market + deal;
      st.exempt += exempt;
      st.veu += veu;
      st.capped += capped;
      st.market += market;
      st.dealChips += deal;
      st.tppUnderCap += (capped + (st.deal?.upgrade ? deal : 0)) * s.tppPerH100e;
      st.delivered += total;
      delivered[index] = total;
      roundDelivered += total;
      const revenue = (total * s.exporter.price) / 1e9;
      roundRevenue += revenue;
      emit?.({
        type: 'delivery',
        round: r + 1,
        country: pc.c.id,
        market,
        capped,
        exempt,
        veu,
        deal,
        licensed: 0,
        total,
        requested: pc.c.demandPerRound,
        revenueUsd: revenue,
      });
    }
    totals.exporterSalesToImporters += roundDelivered;

    // Leakage: one draw per country per round, whether or not anything was delivered, so streams stay aligned.
    let leakedThisRound = 0;
    p.countries.forEach((pc, i) => {
      const st = countries[i] as CountryState;
      const u = st.leakStream();
      const given = delivered[i] ?? 0;
      const rate = pc.c.diversionRisk * (1 - effectiveEnforcement(s, pc.c, st.deal?.security ?? 0));
      const leak = given * rate * (1 + s.leakage.noise * (2 * u - 1));
      st.leaked += leak;
      leakedThisRound += leak;
      if (leak > 0) emit?.({ type: 'leakage', round: r + 1, country: pc.c.id, chips: leak, draw: u });
    });
    roundLeak = leakedThisRound;

    // Adversaries: domestic production, licensed and open-market purchases, diverted chips.
    let roundAdversary = 0;
    let licensedRound = 0;
    p.adversaries.forEach((pa, j) => {
      const as = advs[j] as AdversaryState;
      const q = advRequests[j];
      const licensed = (as.licence?.chipsPerRound ?? 0) * dealFactor + (q?.market ?? 0) * f;
      const share = as.licence?.share ?? 0;
      const diverted = leakedThisRound * pa.a.diversionShare;
      as.domestic += pa.a.domesticPerRound;
      as.licensed += licensed;
      as.diverted += diverted;
      const fee = (licensed * s.exporter.price * share) / 1e9;
      as.revenueShareUsd += fee;
      totals.licensedRevenueShareUsd += fee;
      roundRevenue += (licensed * s.exporter.price) / 1e9 + fee;
      licensedRound += licensed;
      roundAdversary += pa.a.domesticPerRound + licensed + diverted;
      if (licensed > 0) {
        emit?.({ type: 'delivery', round: r + 1, country: pa.a.id, market: (q?.market ?? 0) * f, capped: 0, exempt: 0, veu: 0, deal: 0, licensed, total: licensed, requested: pa.a.importDemandPerRound, revenueUsd: (licensed * s.exporter.price) / 1e9 + fee });
      }
    });
    roundDelivered += licensedRound;
    totals.revenueUsd += roundRevenue;

    // Unmet demand turns to the rival, rationed by its capacity.
    const wants = p.countries.map((pc, i) => Math.max(0, pc.c.demandPerRound - (delivered[i] ?? 0)) * pc.c.rivalAccess);
    const wantTotal = wants.reduce((a, b) => a + b, 0);
    const rf = wantTotal > rivalCapacity ? (wantTotal > 0 ? rivalCapacity / wantTotal : 0) : 1;
    let roundRival = 0;
    p.countries.forEach((pc, i) => {
      const st = countries[i] as CountryState;
      const got = (wants[i] ?? 0) * rf;
      st.rival += got;
      roundRival += got;
      if (got > 0) emit?.({ type: 'alternative', round: r + 1, country: pc.c.id, chips: got });
      const demand = pc.c.demandPerRound;
      const unmetShare = demand > 0 ? Math.max(0, demand - (delivered[i] ?? 0) - got) / demand : 0;
      const before = st.relations;
      let after =
        before +
        (st.route === 'denied' ? s.relations.deniedPenalty : 0) +
        s.relations.unmetPenalty * unmetShare -
        (s.rival ? s.rival.relationPenalty * (demand > 0 ? got / demand : 0) : 0) +
        s.relations.noise * normal(st.relationStream);
      after = Math.min(1, Math.max(0, after));
      st.relations = after;
      emit?.({ type: 'relations', round: r + 1, country: pc.c.id, before, after });
    });
    totals.rivalSales += roundRival;

    const rel = countries.map((c) => c.relations);
    const metrics: RoundMetrics = {
      supply,
      delivered: roundDelivered,
      revenueUsd: roundRevenue,
      concessionsUsd: roundConcessions,
      leakage: roundLeak,
      rivalSales: roundRival,
      marketShare: roundDelivered - licensedRound + roundRival > 0 ? (roundDelivered - licensedRound) / (roundDelivered - licensedRound + roundRival) : 1,
      relationsMean: rel.length ? rel.reduce((a, b) => a + b, 0) / rel.length : 0,
      relationsMin: rel.length ? Math.min(...rel) : 0,
      adversaryCompute: roundAdversary,
      deals: roundDeals,
      negotiations: roundNegotiations,
    };
    perRound.push(metrics);
    emit?.({ type: 'round-end', round: r + 1, metrics });
    rounds.push({ round: r + 1, label, events });
    prevImporterDeliveries = roundDelivered - licensedRound;
  }
  return { rounds, perRound, countries, adversaries: advs, totals };
}

function adversaryRequest(pa: PreparedAdversary, as: AdversaryState, supply: number, prevImporter: number | null): { market: number; licence: number } {
  const rule = pa.rule.rule;
  if (rule.market === 'unlimited') return { market: pa.a.importDemandPerRound, licence: 0 };
  if (!rule.licensed || as.licence) return { market: 0, licence: 0 };
  const base = prevImporter ?? supply;
  return { market: 0, licence: Math.min(pa.a.importDemandPerRound, rule.licensed.capFraction * base) };
}

function noDealReason(r: NegotiationResult): 'deadline' | 'walkaway' | 'empty' {
  return r.reason === 'agreement' ? 'empty' : r.reason;
}

interface Negotiated {
  readonly result: NegotiationResult;
  readonly record: NegotiationRecord | null;
  readonly distanceToNash: number | null;
}

function lazyStream(make: () => Uniform): Uniform {
  let u: Uniform | undefined;
  return () => (u ??= make())();
}

function negotiateDeal(
  p: PreparedChips,
  pc: PreparedCountry,
  st: CountryState,
  budget: number,
  rivalAvailability: number,
  root: ReturnType<typeof streams>,
  r: number,
  record: boolean,
): Negotiated {
  const s = p.scenario;
  const chipsIndex = pc.space.index.chips ?? 0;
  const space = {
    issues: pc.space.issues,
    upperBounds: pc.space.issues.map((iss, k) => (k === chipsIndex ? snapDown(iss, budget) : iss.max)),
  };
  const noDeal = noDealPayoffs(s, pc.c, budget, st.relations, rivalAvailability);
  const parties: readonly [Preferences, Preferences] = [
    { utility: pc.uExporter, reservation: noDeal.exporter / pc.scaleExporter, discount: s.exporter.patience },
    { utility: pc.uCountry, reservation: noDeal.country / pc.scaleCountry, discount: pc.c.patience },
  ];
  const ns = root.child(`country/${pc.c.id}/round/${r + 1}`);
  return run(space, parties, [pc.exporterStrategy, pc.strategy], [s.exporter.id, pc.c.id], s.negotiation.deadline, s.negotiation.information === 'complete', [
    lazyStream(() => ns.stream('exporter')),
    lazyStream(() => ns.stream('country')),
  ], record);
}

/**
 * The largest grid value of a discrete issue at or below `bound`. Feasibility is unchanged, and equal bounds
 * let the engine reuse its cached offer indexes and frontiers from round to round.
 */
function snapDown(iss: Issue, bound: number): number {
  if (bound >= iss.max) return iss.max;
  if (iss.steps === undefined) return bound;
  const step = (iss.max - iss.min) / (iss.steps - 1);
  const k = Math.floor((bound - iss.min) / step + 1e-9);
  return Math.max(iss.min, iss.min + k * step);
}

function negotiateLicence(p: PreparedChips, pa: PreparedAdversary, budget: number, root: ReturnType<typeof streams>, r: number, record: boolean): Negotiated {
  const s = p.scenario;
  const lic = pa.licence;
  if (!lic) throw new Error('negotiateLicence without a licence rule');
  const space = { issues: lic.issues, upperBounds: lic.issues.map((iss, k) => (k === 0 ? snapDown(iss, budget) : iss.max)) };
  const parties: readonly [Preferences, Preferences] = [
    { utility: lic.uExporter, reservation: 0, discount: s.exporter.patience },
    { utility: lic.uAdversary, reservation: 0, discount: pa.a.patience },
  ];
  const ns = root.child(`adversary/${pa.a.id}/round/${r + 1}`);
  const exporterStrategy = p.countries[0]?.exporterStrategy ?? pa.strategy;
  return run(space, parties, [exporterStrategy, pa.strategy], [s.exporter.id, pa.a.id], s.negotiation.deadline, s.negotiation.information === 'complete', [
    lazyStream(() => ns.stream('exporter')),
    lazyStream(() => ns.stream('adversary')),
  ], record);
}

function run(
  space: { issues: PreparedCountry['space']['issues']; upperBounds: number[] },
  parties: readonly [Preferences, Preferences],
  players: readonly [PreparedCountry['strategy'], PreparedCountry['strategy']],
  names: readonly [string, string],
  deadline: number,
  complete: boolean,
  random: readonly [Uniform, Uniform],
  record: boolean,
): Negotiated {
  const result = negotiate({
    space,
    parties,
    negotiators: [players[0].strategy.create(players[0].params), players[1].strategy.create(players[1].params)],
    deadline,
    firstProposer: 1,
    completeInformation: complete,
    random,
    record,
  });
  const a = analyse(space, parties, result, record);
  const rec: NegotiationRecord | null = record
    ? {
        parties: names,
        strategies: [players[0].strategy.meta.name, players[1].strategy.meta.name],
        issues: space.issues.map((i) => ({ name: i.name, unit: i.unit, min: i.min, max: i.max })),
        upperBounds: space.upperBounds,
        deadline,
        reservations: [parties[0].reservation, parties[1].reservation],
        offers: result.offers.map((o) => ({ step: o.step, by: o.by, outcome: o.outcome, utilities: o.utilities })),
        agreement: result.agreement ? { outcome: result.agreement as Outcome, utilities: result.utilities } : null,
        reason: result.reason,
        steps: result.step,
        payoffs: result.payoffs,
        frontier: a.frontier,
        nash: a.nash,
        ks: a.ks,
        distanceToNash: a.distanceToNash,
      }
    : null;
  return { result, record: rec, distanceToNash: a.distanceToNash };
}
