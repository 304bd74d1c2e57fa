/**
 * One seeded run of the chip-trade world (docs/model.md, "Process overview"). Each round, one function per
 * step (src/sim/chips/steps/):
 *   1. timeline events, supply, contracts in force;  2. access under the regime in force;
 *   3. the exporter prices its free supply (the scarcity price λ) and reserves what each deal could take;
 *   4. deals and licences are negotiated at that price;  5. the rest clears on the licence-free market;
 *   6. deliveries;  7. diversion, and the adversaries' position;  8. purchases from the rival;
 *   9. rival-stack shares and relations;  10. the collector records the round.
 * Countries and adversaries are processed in id order, and every random draw comes from a stream named after
 * its consumer.
 */
import type { AdversaryOutcome, CountryOutcome, RoundMetrics, SimEvent } from '../../core/events.js';
import type { FinalMetrics } from '../../core/metrics.js';
import { streams } from '../../core/rng.js';
import type { ChipsScenario } from '../../core/scenario/schema.js';
import type { ResolvedStrategy } from '../strategy-choice.js';
import { Collector } from './collector.js';
import { epochAt, type CompiledChips, type Epoch } from './compile.js';
import { marginalValue } from './demand.js';
import { adversariesStep } from './steps/adversaries.js';
import { leakageStep } from './steps/leakage.js';
import { marketStep } from './steps/market.js';
import { dealsStep, licenceBound, licencesStep, type Seats } from './steps/negotiate.js';
import { enterEpoch, openRound, supplyOf } from './steps/open.js';
import { relationsStep } from './steps/relations.js';
import { adversaryDemand, licenceFree, reserve } from './steps/reserve.js';
import { expectRival, rivalStep } from './steps/rival.js';
import type { AdversaryRound, CountryRound, RoundContext, WorldState } from './world.js';

export interface ChipsRun {
  readonly rounds: { round: number; label: string; events: SimEvent[] }[];
  readonly perRound: readonly RoundMetrics[];
  readonly countries: readonly CountryOutcome[];
  readonly adversaries: readonly AdversaryOutcome[];
  readonly final: FinalMetrics;
}

export interface SimulateOptions {
  /** Keep the event log (the text report, --json and the replay need it; benchmarks may turn it off). */
  readonly record: boolean;
  /** Stream namespace for this run. */
  readonly runName?: string;
  /** Who negotiates for a party (by id; the exporter's id for the exporter), given its own strategy. */
  readonly players?: (id: string, own: ResolvedStrategy) => ResolvedStrategy;
}

export function roundLabel(s: ChipsScenario, round: number): string {
  const m = /^(\d{4})Q([1-4])$/.exec(s.start);
  if (s.roundsPerYear !== 4 || !m) return `round ${round + 1}`;
  const k = Number(m[2]) - 1 + round;
  return `${Number(m[1]) + Math.floor(k / 4)}Q${(k % 4) + 1}`;
}

/** Smuggling pressure before any imports: the adversaries' premium for compute at their domestic production. */
function initialPressure(e: Epoch): number {
  const s = e.scenario;
  const list = s.exporter.price / s.exporter.h100ePerChip;
  let weighted = 0;
  let weights = 0;
  for (const ca of e.adversaries) {
    const span = ca.demand.top - list;
    const p = span > 0 ? Math.min(1, Math.max(0, marginalValue(ca.demand, ca.a.domesticPerRound) - list) / span) : 0;
    weighted += ca.a.diversionShare * p;
    weights += ca.a.diversionShare;
  }
  return Math.pow(weights > 0 ? weighted / weights : 0, s.leakage.scarcityElasticity);
}

function initialWorld(model: CompiledChips, seed: number, runName: string): WorldState {
  const e = model.epochs[0] as Epoch;
  const s = e.scenario;
  const root = streams(seed, runName);
  const dom = s.exporter.domestic;
  return {
    countries: e.countries.map((cc) => {
      const cs = root.child(`country/${cc.c.id}`);
      return {
        relations: cc.c.relations,
        stack: cc.c.stackShare,
        capUsed: 0,
        upgradeUsed: 0,
        exemptUsedThisYear: 0,
        deals: [],
        route: 'denied',
        leakStream: cs.stream('leakage'),
        relationStream: cs.stream('relations'),
      };
    }),
    adversaries: e.adversaries.map((ca) => ({ domestic: ca.a.domesticPerRound, domesticLast: ca.a.domesticPerRound, licences: [], unmetShare: 0 })),
    rivalCapacity: s.rival?.capacityPerRound ?? 0,
    rivalPremium: 0,
    rivalBought: e.countries.map(() => 0),
    rivalBuyers: [],
    lambdaBefore: 0,
    domesticBefore: dom ? dom.demandPerRound : 0,
    pressure: initialPressure(e),
    regimeId: e.regime.id,
    regimeSince: 0,
  };
}

/**
 * Licensed product lines this round: supply by product, from the licensing policies in force (the first
 * adversary naming a product sets it); a product no policy names any more keeps producing what its licences in
 * force still deliver. `available` is what those licences leave.
 */
function lines(e: Epoch, r: number, world: WorldState): { supplies: Map<string, number>; available: Map<string, number> } {
  const supplies = new Map<string, number>();
  for (const ca of e.adversaries) {
    const lic = ca.licensed;
    if (lic && lic.supplyPerRound !== null && !supplies.has(lic.product)) supplies.set(lic.product, lic.supplyPerRound);
  }
  const committed = new Map<string, number>();
  for (const as of world.adversaries) {
    for (const l of as.licences) {
      if (l.until < r || l.product.supplyPerRound === null) continue;
      committed.set(l.product.product, (committed.get(l.product.product) ?? 0) + l.chipsPerRound);
    }
  }
  // A line never delivers more than it makes: a policy that cut its supply below its licences keeps them whole.
  for (const [product, chips] of committed) supplies.set(product, Math.max(supplies.get(product) ?? 0, chips));
  const available = new Map<string, number>();
  for (const [product, supply] of supplies) available.set(product, Math.max(0, supply - (committed.get(product) ?? 0)));
  return { supplies, available };
}

export function simulateChips(model: CompiledChips, seed: number, opts: SimulateOptions): ChipsRun {
  const runName = opts.runName ?? 'run/0';
  const root = streams(seed, runName);
  const world = initialWorld(model, seed, runName);
  const collector = new Collector(model);
  const rounds: ChipsRun['rounds'] = [];
  const R = model.scenario.rounds;
  for (let r = 0; r < R; r++) {
    const epoch = epochAt(model, r);
    const s = epoch.scenario;
    const events: SimEvent[] = [];
    const emit = opts.record ? (e: SimEvent): void => void events.push(e) : undefined;
    const { supplies, available } = lines(epoch, r, world);
    let lineSupply = 0;
    for (const x of supplies.values()) lineSupply += x;
    const ctx: RoundContext = {
      r,
      round: r + 1,
      label: roundLabel(s, r),
      epoch,
      emit,
      supply: supplyOf(epoch, r),
      free: 0,
      contractFactor: 1,
      lines: available,
      lineSupplies: supplies,
      lineSupply,
      countries: [],
      adversaries: epoch.adversaries.map((ca): AdversaryRound => ({
        marketChips: 0,
        licensedChips: 0,
        licensedH100e: 0,
        licenceFees: 0,
        revenueUsd: 0,
        demand: adversaryDemand({ epoch, r } as RoundContext, ca),
        imports: 0,
        diverted: 0,
        domesticThisRound: 0,
      })),
      lambdaDeals: 0,
      lambda: 0,
      committed: 0,
      domestic: 0,
      unsold: 0,
      licensedUnsold: 0,
      revenueUsd: 0,
      exportRevenueUsd: 0,
      concessionsUsd: 0,
      faceUsd: 0,
      deals: 0,
      negotiations: 0,
      pressure: world.pressure,
      pressureNext: world.pressure,
      rivalCapacity: world.rivalCapacity,
    };
    enterEpoch(ctx, world, epoch);
    emit?.({ type: 'round-start', round: ctx.round, label: ctx.label, supply: ctx.supply, licensedSupply: lineSupply, regime: epoch.regime.id });
    openRound(ctx, world);
    if (r === 0) expectRival(ctx, world, (i) => licenceFree(s, ctx.countries[i] as CountryRound, 0));
    const seats: Seats = {
      exporter: opts.players ? opts.players(s.exporter.id, epoch.exporterStrategy) : epoch.exporterStrategy,
      party: (id, own) => (opts.players ? opts.players(id, own) : own),
    };
    const bounds = epoch.adversaries.map((ca, j) => licenceBound(ctx, world, ca, j));
    const reservation = reserve(ctx, world, bounds);
    dealsStep(ctx, world, reservation, seats, root, opts.record, (i, out) => {
      ctx.negotiations++;
      const t = out.talk;
      collector.negotiation(i, r, t.result.payoffs, t.analysis);
    });
    licencesStep(ctx, world, reservation, bounds, seats, root, opts.record, (_, t) => {
      ctx.negotiations++;
      collector.licenceTalk(t.result.payoffs[0]);
    });
    marketStep(ctx, world);
    leakageStep(ctx, world);
    adversariesStep(ctx, world);
    rivalStep(ctx, world);
    relationsStep(ctx, world);
    const metrics = collector.endRound(ctx, world);
    emit?.({ type: 'round-end', round: ctx.round, metrics });
    rounds.push({ round: ctx.round, label: ctx.label, events });
  }
  return {
    rounds,
    perRound: collector.perRound,
    countries: collector.countryOutcomes(world),
    adversaries: collector.adversaryOutcomes(world),
    final: collector.final(world),
  };
}
