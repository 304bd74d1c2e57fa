/**
 * The data collector (after Mesa's DataCollector): it owns every metric. After each round it reads the round
 * context and records that round's metrics and the running totals; at the end it computes the final metrics
 * with one function per key of the metric catalogue (src/core/metrics.ts), typed so that none can be
 * missing. Agents never hold metrics.
 */
import type { AdversaryOutcome, CountryOutcome, RoundMetrics } from '../../core/events.js';
import { FINAL_METRICS, type FinalMetricKey, type FinalMetrics } from '../../core/metrics.js';
import type { Analysis } from '../analysis.js';
import type { CompiledChips } from './compile.js';
import { sum } from './sum.js';
import type { CountryRound, RoundContext, WorldState } from './world.js';

interface CountryTotals {
  delivered: number;
  market: number;
  capped: number;
  exempt: number;
  veu: number;
  deal: number;
  demand: number;
  rival: number;
  rivalH100e: number;
  leaked: number;
  concessionsUsd: number;
  faceUsd: number;
  securityCommitment: number;
  deals: number;
  negotiations: number;
  firstNegotiationRound: number | null;
  firstDealRound: number | null;
  utilitySum: number;
  nashDistanceSum: number;
  nashDistanceCount: number;
  tppUnderCap: number;
}

interface AdversaryTotals {
  domestic: number;
  licensed: number;
  licensedChips: number;
  diverted: number;
  fees: number;
}

const zeroCountry = (): CountryTotals => ({
  delivered: 0, market: 0, capped: 0, exempt: 0, veu: 0, deal: 0, demand: 0, rival: 0, rivalH100e: 0, leaked: 0, concessionsUsd: 0, faceUsd: 0,
  securityCommitment: 0, deals: 0, negotiations: 0, firstNegotiationRound: null, firstDealRound: null, utilitySum: 0, nashDistanceSum: 0, nashDistanceCount: 0, tppUnderCap: 0,
});

/** Gini coefficient of non-negative values (0: equal; close to 1: concentrated). */
export function gini(values: ArrayLike<number>): number {
  const all = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v >= 0) all[n++] = v;
  }
  const xs = all.subarray(0, n).sort();
  const total = sum(xs);
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * (xs[i] as number);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

const mean = (xs: readonly number[]): number | null => (xs.length ? sum(xs) / xs.length : null);

export class Collector {
  readonly perRound: RoundMetrics[] = [];
  readonly countries: CountryTotals[];
  readonly adversaries: AdversaryTotals[];
  private readonly t = {
    delivered: 0, deliveredH100e: 0, demand: 0, domestic: 0, domesticH100e: 0, licensedChips: 0, unsold: 0, supply: 0, lambdaSum: 0, rounds: 0,
    revenueUsd: 0, exportRevenueUsd: 0, fees: 0, concessionsUsd: 0, faceUsd: 0, dealChips: 0, leakage: 0, rivalH100e: 0,
    negotiations: 0, deals: 0, exporterUtilitySum: 0,
  };

  private readonly model: CompiledChips;

  constructor(model: CompiledChips) {
    this.model = model;
    const e = model.epochs[0];
    this.countries = (e?.countries ?? []).map(zeroCountry);
    this.adversaries = (e?.adversaries ?? []).map(() => ({ domestic: 0, licensed: 0, licensedChips: 0, diverted: 0, fees: 0 }));
  }

  /** A deal negotiation's outcome (payoffs, distance to Nash) for country i. */
  negotiation(i: number, r: number, payoffs: readonly [number, number], analysis: Analysis | null): void {
    const c = this.countries[i] as CountryTotals;
    c.negotiations++;
    c.firstNegotiationRound ??= r;
    c.utilitySum += payoffs[1];
    if (analysis?.distanceToNash != null) {
      c.nashDistanceSum += analysis.distanceToNash;
      c.nashDistanceCount++;
    }
    this.t.negotiations++;
    this.t.exporterUtilitySum += payoffs[0];
  }

  licenceTalk(exporterPayoff: number): void {
    this.t.negotiations++;
    this.t.exporterUtilitySum += exporterPayoff;
  }

  endRound(ctx: RoundContext, world: WorldState): RoundMetrics {
    const s = ctx.epoch.scenario;
    const h = s.exporter.h100ePerChip;
    let delivered = 0;
    let leakage = 0;
    let rival = 0;
    let rivalH100e = 0;
    let relSum = 0;
    let relMin = Infinity;
    ctx.countries.forEach((row: CountryRound, i) => {
      const c = this.countries[i] as CountryTotals;
      const st = world.countries[i];
      const deal = row.delivered - row.exempt - row.veu - row.capped - row.market;
      c.delivered += row.delivered;
      c.market += row.market;
      c.capped += row.capped;
      c.exempt += row.exempt;
      c.veu += row.veu;
      c.deal += deal;
      c.demand += row.demand.atPrice;
      c.rival += row.rivalChips;
      c.rivalH100e += row.rivalH100e;
      c.leaked += row.leaked;
      c.tppUnderCap += (row.capped + row.upgradeDelivered) * h * s.tppPerH100e;
      this.t.dealChips += deal;
      delivered += row.delivered;
      leakage += row.leaked;
      rival += row.rivalChips;
      rivalH100e += row.rivalH100e;
      if (row.signed) {
        c.deals++;
        c.firstDealRound ??= ctx.r;
        const d = st?.deals[st.deals.length - 1];
        if (d) c.securityCommitment = Math.max(c.securityCommitment, d.security);
      }
      if (st) {
        relSum += st.relations;
        relMin = Math.min(relMin, st.relations);
      }
      this.t.demand += row.demand.atPrice;
    });
    let licensed = 0;
    let adversaryCompute = 0;
    ctx.adversaries.forEach((row, j) => {
      const a = this.adversaries[j];
      if (!a) return;
      a.domestic += row.domesticThisRound;
      a.licensed += row.imports;
      a.licensedChips += row.licensedChips + row.marketChips;
      a.diverted += row.diverted;
      a.fees += row.licenceFees;
      licensed += row.licensedChips + row.marketChips;
      adversaryCompute += row.domesticThisRound + row.imports + row.diverted;
      this.t.fees += row.licenceFees;
    });
    const supply = ctx.supply + ctx.lineSupply;
    const n = ctx.countries.length;
    this.t.delivered += delivered;
    this.t.deliveredH100e += delivered * h;
    this.t.domestic += ctx.domestic;
    this.t.domesticH100e += ctx.domestic * h;
    this.t.licensedChips += licensed;
    this.t.unsold += ctx.unsold;
    this.t.supply += supply;
    this.t.lambdaSum += ctx.lambda;
    this.t.rounds++;
    this.t.revenueUsd += ctx.revenueUsd;
    this.t.exportRevenueUsd += ctx.exportRevenueUsd;
    this.t.concessionsUsd += ctx.concessionsUsd;
    this.t.faceUsd += ctx.faceUsd;
    this.t.leakage += leakage;
    this.t.rivalH100e += rivalH100e;
    this.t.deals += ctx.deals;
    ctx.countries.forEach((row, i) => {
      const c = this.countries[i] as CountryTotals;
      if (row.signed) {
        c.concessionsUsd += row.signedValue;
        c.faceUsd += row.signedFace;
      }
    });
    const exportsH = delivered * h;
    const m: RoundMetrics = {
      supply,
      delivered,
      domestic: ctx.domestic,
      licensed,
      unsold: ctx.unsold,
      licensedUnsold: ctx.licensedUnsold,
      scarcityPremium: ctx.lambda,
      revenueUsd: ctx.revenueUsd,
      concessionsUsd: ctx.concessionsUsd,
      leakage,
      diversionPressure: ctx.pressure,
      rivalSales: rival,
      rivalCapacity: ctx.rivalCapacity,
      marketShare: exportsH + rivalH100e > 0 ? exportsH / (exportsH + rivalH100e) : 1,
      relationsMean: n ? relSum / n : 0,
      relationsMin: n ? relMin : 0,
      adversaryCompute,
      deals: ctx.deals,
      negotiations: ctx.negotiations,
    };
    this.perRound.push(m);
    return m;
  }

  countryOutcomes(world: WorldState): CountryOutcome[] {
    const e = this.model.epochs[this.model.epochs.length - 1];
    const first = this.model.epochs[0];
    const threshold = e?.scenario.stack.switchThreshold ?? 0.5;
    return (e?.countries ?? []).map((cc, i) => {
      const c = this.countries[i] as CountryTotals;
      const st = world.countries[i];
      const got = c.delivered * (e?.scenario.exporter.h100ePerChip ?? 1) + c.rivalH100e;
      return {
        id: cc.c.id,
        name: cc.c.name,
        tier: cc.c.tier,
        route: st?.route ?? 'denied',
        demand: c.demand,
        delivered: c.delivered,
        byRoute: { market: c.market, capped: c.capped, exempt: c.exempt, veu: c.veu, deal: c.deal, licensed: 0 },
        tppUnderCap: Math.round(c.tppUnderCap),
        fulfilment: c.demand > 0 ? c.delivered / c.demand : 1,
        rival: c.rival,
        rivalH100e: c.rivalH100e,
        alternativeShare: got > 0 ? c.rivalH100e / got : 0,
        stackShare: st?.stack ?? 0,
        switched: (st?.stack ?? 0) >= threshold,
        leaked: c.leaked,
        concessionsUsd: c.concessionsUsd,
        faceUsd: c.faceUsd,
        securityCommitment: c.securityCommitment,
        deals: c.deals,
        negotiations: c.negotiations,
        firstDealRound: c.firstDealRound === null ? null : c.firstDealRound + 1,
        relationsStart: first?.countries[i]?.c.relations ?? 0,
        relationsEnd: st?.relations ?? 0,
        utility: c.negotiations > 0 ? c.utilitySum / c.negotiations : 0,
        meanDistanceToNash: c.nashDistanceCount > 0 ? c.nashDistanceSum / c.nashDistanceCount : null,
      };
    });
  }

  adversaryOutcomes(world: WorldState): AdversaryOutcome[] {
    const e = this.model.epochs[this.model.epochs.length - 1];
    return (e?.adversaries ?? []).map((ca, j) => {
      const a = this.adversaries[j] as AdversaryTotals;
      return {
        id: ca.a.id,
        name: ca.a.name,
        domestic: a.domestic,
        licensed: a.licensed,
        licensedChips: a.licensedChips,
        diverted: a.diverted,
        total: a.domestic + a.licensed + a.diverted,
        revenueShareUsd: a.fees,
        domesticCapacityEnd: world.adversaries[j]?.domesticLast ?? 0,
      };
    });
  }

  final(world: WorldState): FinalMetrics {
    const first = this.model.epochs[0];
    const last = this.model.epochs[this.model.epochs.length - 1];
    const fall = last?.scenario.relations.fallThreshold ?? 0.05;
    const threshold = last?.scenario.stack.switchThreshold ?? 0.5;
    const t = this.t;
    const states = world.countries;
    const adv = { domestic: 0, licensed: 0, diverted: 0 };
    for (const a of this.adversaries) {
      adv.domestic += a.domestic;
      adv.licensed += a.licensed;
      adv.diverted += a.diverted;
    }
    const adversaryCompute = adv.domestic + adv.licensed + adv.diverted;
    const bloc = t.domesticH100e + t.deliveredH100e - t.leakage;
    const ctx: FinalContext = { t, states, countries: this.countries, first: first?.countries.map((c) => c.c.relations) ?? [], fall, threshold, adv, adversaryCompute, bloc };
    const out = {} as Record<FinalMetricKey, number | null>;
    for (const m of FINAL_METRICS) out[m.key] = FINAL[m.key](ctx);
    return out as FinalMetrics;
  }
}

interface FinalContext {
  readonly t: Readonly<Record<string, number>>;
  readonly states: WorldState['countries'];
  readonly countries: readonly CountryTotals[];
  readonly first: readonly number[];
  readonly fall: number;
  readonly threshold: number;
  readonly adv: { readonly domestic: number; readonly licensed: number; readonly diverted: number };
  readonly adversaryCompute: number;
  readonly bloc: number;
}

const share = (a: number, b: number): number => (b > 0 ? a / b : 0);
const v = (ctx: FinalContext, k: string): number => ctx.t[k] ?? 0;

/** One compute function per catalogue key: the compiler refuses a missing or extra key. */
const FINAL: { readonly [K in FinalMetricKey]: (ctx: FinalContext) => FinalMetrics[K] } = {
  delivered: (c) => v(c, 'delivered'),
  importerFulfilment: (c) => share(v(c, 'delivered'), v(c, 'demand')),
  domestic: (c) => v(c, 'domestic'),
  licensedChips: (c) => v(c, 'licensedChips'),
  unsoldShare: (c) => share(v(c, 'unsold'), v(c, 'supply')),
  scarcityPremium: (c) => share(v(c, 'lambdaSum'), v(c, 'rounds')),
  revenueUsd: (c) => v(c, 'revenueUsd'),
  exportRevenueUsd: (c) => v(c, 'exportRevenueUsd'),
  licenceFeesUsd: (c) => v(c, 'fees'),
  marketShare: (c) => (v(c, 'deliveredH100e') + v(c, 'rivalH100e') > 0 ? v(c, 'deliveredH100e') / (v(c, 'deliveredH100e') + v(c, 'rivalH100e')) : 1),
  alternativeShare: (c) => share(v(c, 'rivalH100e'), v(c, 'deliveredH100e') + v(c, 'rivalH100e')),
  countriesSwitched: (c) => c.states.filter((st) => st.stack >= c.threshold).length,
  relationsMean: (c) => mean(c.states.map((st) => st.relations)) ?? 0,
  relationsMin: (c) => (c.states.length ? Math.min(...c.states.map((st) => st.relations)) : 0),
  relationsFell: (c) => c.states.filter((st, i) => st.relations < (c.first[i] ?? 0) - c.fall).length,
  concessionsUsd: (c) => v(c, 'concessionsUsd'),
  pledgesFaceUsd: (c) => v(c, 'faceUsd'),
  concessionsPerChip: (c) => (v(c, 'dealChips') > 0 ? (v(c, 'concessionsUsd') * 1e9) / v(c, 'dealChips') : null),
  enforcementCommitments: (c) => c.countries.filter((x) => x.securityCommitment > 0).length,
  leakage: (c) => v(c, 'leakage'),
  leakageShare: (c) => share(v(c, 'leakage'), v(c, 'deliveredH100e')),
  adversaryCompute: (c) => c.adversaryCompute,
  adversaryDomestic: (c) => c.adv.domestic,
  adversaryLicensed: (c) => c.adv.licensed,
  adversaryDiverted: (c) => c.adv.diverted,
  blocCompute: (c) => c.bloc,
  gapToBloc: (c) => c.bloc - c.adversaryCompute,
  agreementRate: (c) => (v(c, 'negotiations') > 0 ? v(c, 'deals') / v(c, 'negotiations') : null),
  meanRoundsToAgreement: (c) => mean(c.countries.filter((x) => x.firstDealRound !== null).map((x) => (x.firstDealRound as number) - (x.firstNegotiationRound ?? 0) + 1)),
  giniFulfilment: (c) => gini(c.countries.map((x) => (x.demand > 0 ? x.delivered / x.demand : 1))),
  meanDistanceToNash: (c) => mean(c.countries.filter((x) => x.nashDistanceCount > 0).map((x) => x.nashDistanceSum / x.nashDistanceCount)),
  meanExporterUtility: (c) => (v(c, 'negotiations') > 0 ? v(c, 'exporterUtilitySum') / v(c, 'negotiations') : null),
  meanCountryUtility: (c) => mean(c.countries.filter((x) => x.negotiations > 0).map((x) => x.utilitySum / x.negotiations)),
};
