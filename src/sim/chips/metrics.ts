/**
 * Final outcomes and metrics of a chips run (docs/model.md, "Metrics"): each metric answers one claim in the
 * policy debate. Pure functions of the run's state.
 */
import type { AdversaryOutcome, CountryOutcome, FinalMetrics } from '../../core/events.js';
import type { ChipsRun, CountryState } from './model.js';
import type { PreparedChips, PreparedCountry } from './prepare.js';
import { sum } from './sum.js';

/** Gini coefficient of non-negative values (0: equal; close to 1: concentrated). */
export function gini(values: ArrayLike<number>): number {
  // Sorted in a Float64Array (numeric order, no comparator): a plain array's element kind (small integers or
  // doubles) varied from run to run, and each new kind threw away the optimised code that sorted it.
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

export function countryOutcomes(p: PreparedChips, run: ChipsRun): CountryOutcome[] {
  const rounds = p.scenario.rounds;
  return p.countries.map(({ c }, i) => {
    const st = run.countries[i];
    if (!st) throw new Error(`missing state for ${c.id}`);
    const demand = c.demandPerRound * rounds;
    const got = st.delivered + st.rival;
    return {
      id: c.id,
      name: c.name,
      tier: c.tier,
      route: st.route,
      demand,
      delivered: st.delivered,
      byRoute: { market: st.market, capped: st.capped, exempt: st.exempt, veu: st.veu, deal: st.dealChips, licensed: 0 },
      tppUnderCap: Math.round(st.tppUnderCap),
      fulfilment: demand > 0 ? st.delivered / demand : 1,
      rival: st.rival,
      alternativeShare: got > 0 ? st.rival / got : 0,
      switched: st.rival > st.delivered,
      leaked: st.leaked,
      concessionsUsd: st.concessionsUsd,
      securityCommitment: st.securityCommitment,
      deals: st.dealCount,
      negotiations: st.negotiations,
      firstDealRound: st.firstDealRound === null ? null : st.firstDealRound + 1,
      relationsStart: c.relations,
      relationsEnd: st.relations,
      utility: st.negotiations > 0 ? st.utilitySum / st.negotiations : 0,
      meanDistanceToNash: st.nashDistanceCount > 0 ? st.nashDistanceSum / st.nashDistanceCount : null,
    };
  });
}

export function adversaryOutcomes(p: PreparedChips, run: ChipsRun): AdversaryOutcome[] {
  return p.adversaries.map(({ a }, j) => {
    const st = run.adversaries[j];
    if (!st) throw new Error(`missing state for ${a.id}`);
    return {
      id: a.id,
      name: a.name,
      domestic: st.domestic,
      licensed: st.licensed,
      diverted: st.diverted,
      total: st.domestic + st.licensed + st.diverted,
      revenueShareUsd: st.revenueShareUsd,
    };
  });
}

/**
 * The run's final metrics, read from the run's own state (the same numbers, in the same order, as the
 * country and adversary outcomes hold). Reading the outcome objects instead made V8 recompile this function
 * about five times a thread: their fields settle on a representation (integer, double, null) only as rarer
 * values turn up in later runs, while the state's settle in the first.
 */
export function finalMetrics(p: PreparedChips, run: ChipsRun): FinalMetrics {
  const t = run.totals;
  const fallThreshold = p.scenario.relations.fallThreshold;
  const states = run.countries;
  // One pass over countries and one over adversaries (sums in list order, as reduce would add them).
  let delivered = 0;
  let leakage = 0;
  let rival = 0;
  let fell = 0;
  let enforcementCommitments = 0;
  let countriesSwitched = 0;
  const allocations = new Float64Array(states.length);
  const relEnd: number[] = [];
  const roundsToAgreement: number[] = [];
  const distances: number[] = [];
  const negotiatedUtility: number[] = [];
  for (let i = 0; i < states.length; i++) {
    const st = states[i] as CountryState;
    delivered += st.delivered;
    leakage += st.leaked;
    rival += st.rival;
    allocations[i] = st.delivered;
    relEnd.push(st.relations);
    if (st.relations < (p.countries[i] as PreparedCountry).c.relations - fallThreshold) fell++;
    if (st.securityCommitment > 0) enforcementCommitments++;
    if (st.rival > st.delivered) countriesSwitched++;
    // As CountryOutcome.firstDealRound (1-based) minus the 0-based round of the first negotiation.
    if (st.firstDealRound !== null) roundsToAgreement.push(st.firstDealRound + 1 - (st.firstNegotiationRound ?? 0));
    if (st.nashDistanceCount > 0) distances.push(st.nashDistanceSum / st.nashDistanceCount);
    if (st.negotiations > 0) negotiatedUtility.push(st.utilitySum / st.negotiations);
  }
  const adv = { domestic: 0, licensed: 0, diverted: 0 };
  for (const a of run.adversaries) {
    adv.domestic += a.domestic;
    adv.licensed += a.licensed;
    adv.diverted += a.diverted;
  }
  const adversaryCompute = adv.domestic + adv.licensed + adv.diverted;
  const blocCompute = delivered - leakage;
  return {
    leakage,
    leakageShareOfDelivered: delivered > 0 ? leakage / delivered : 0,
    enforcementCommitments,
    revenueUsd: t.revenueUsd,
    licensedRevenueShareUsd: t.licensedRevenueShareUsd,
    marketShare: delivered + rival > 0 ? delivered / (delivered + rival) : 1,
    relationsMean: mean(relEnd) ?? 0,
    relationsMin: relEnd.length ? Math.min(...relEnd) : 0,
    relationsFell: fell,
    alternativeShare: delivered + rival > 0 ? rival / (delivered + rival) : 0,
    countriesSwitched,
    concessionsUsd: t.concessionsUsd,
    concessionsPerChip: delivered > 0 ? (t.concessionsUsd * 1e9) / delivered : 0,
    adversaryCompute,
    adversaryDomestic: adv.domestic,
    adversaryLicensed: adv.licensed,
    adversaryDiverted: adv.diverted,
    blocCompute,
    gapToBloc: blocCompute - adversaryCompute,
    agreementRate: t.negotiations > 0 ? t.deals / t.negotiations : 0,
    meanRoundsToAgreement: mean(roundsToAgreement),
    giniAllocations: gini(allocations),
    meanDistanceToNash: mean(distances),
    meanExporterUtility: t.negotiations > 0 ? t.exporterUtilitySum / t.negotiations : null,
    meanCountryUtility: mean(negotiatedUtility),
    delivered,
    supply: t.supply,
  };
}
