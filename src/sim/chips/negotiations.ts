/**
 * Setting up one negotiation of the chip world on the generic engine: the deal (exporter vs country) and the
 * licensed sale (exporter vs adversary). Each negotiation sees only its own chip budget, so negotiations in the
 * same round cannot affect one another and their order cannot matter.
 */
import type { NegotiationRecord } from '../../core/events.js';
import type { Streams, Uniform } from '../../core/rng.js';
import { negotiate } from '../../negotiation/mechanism.js';
import type { Issue, NegotiationContext, NegotiationResult, OutcomeSpace, Preferences } from '../../negotiation/types.js';
import { analyse, negotiationRecord } from '../analysis.js';
import type { ResolvedStrategy } from '../strategy-choice.js';
import { noDealPayoffs } from './deal.js';
import type { PreparedAdversary, PreparedChips, PreparedCountry } from './prepare.js';

export interface Negotiated {
  readonly result: NegotiationResult;
  readonly record: NegotiationRecord | null;
  readonly distanceToNash: number | null;
}

/**
 * The largest grid value of a discrete issue at or below `bound`. Feasibility is unchanged, and equal bounds
 * let the engine reuse its cached offer indexes and frontiers from round to round.
 */
export function snapDown(iss: Issue, bound: number): number {
  if (bound >= iss.max) return iss.max;
  if (iss.steps === undefined) return bound;
  const step = (iss.max - iss.min) / (iss.steps - 1);
  const k = Math.floor((bound - iss.min) / step + 1e-9);
  return Math.max(iss.min, iss.min + k * step);
}

/** A stream created on first use: deterministic strategies never pay for seeding one. */
function lazyStream(make: () => Uniform): Uniform {
  let u: Uniform | undefined;
  return () => (u ??= make())();
}

/** The deal space with the chips issue bounded by this round's budget, or null when no grid step fits. */
export function budgetedSpace(issues: readonly Issue[], chipsIndex: number, budget: number): OutcomeSpace | null {
  const chips = issues[chipsIndex];
  if (!chips) return null;
  const bound = snapDown(chips, budget);
  if (bound <= chips.min) return null;
  return { issues, upperBounds: issues.map((iss, k) => (k === chipsIndex ? bound : iss.max)) };
}

export function negotiateDeal(
  p: PreparedChips,
  pc: PreparedCountry,
  space: OutcomeSpace,
  relations: number,
  rivalAvailability: number,
  streams: Streams,
  record: boolean,
  at: RoundAt,
): Negotiated {
  const s = p.scenario;
  const chipsIndex = pc.space.index.chips ?? 0;
  const noDeal = noDealPayoffs(s, pc.c, space.upperBounds?.[chipsIndex] ?? 0, relations, rivalAvailability);
  const parties: readonly [Preferences, Preferences] = [
    { utility: pc.uExporter, reservation: noDeal.exporter / pc.scaleExporter, discount: s.exporter.patience },
    { utility: pc.uCountry, reservation: noDeal.country / pc.scaleCountry, discount: pc.c.patience },
  ];
  return run(space, parties, [p.exporterStrategy, pc.strategy], [s.exporter.id, pc.c.id], p, streams, ['exporter', 'country'], record, at);
}

/** The round a negotiation belongs to, handed to strategies as part of their NegotiationContext. */
export interface RoundAt {
  readonly round: number;
  readonly label: string;
}

export function negotiateLicence(p: PreparedChips, pa: PreparedAdversary, space: OutcomeSpace, streams: Streams, record: boolean, at: RoundAt): Negotiated {
  const lic = pa.licence;
  if (!lic) throw new Error(`negotiateLicence: ${pa.a.id} has no licence rule`);
  const parties: readonly [Preferences, Preferences] = [
    { utility: lic.uExporter, reservation: 0, discount: p.scenario.exporter.patience },
    { utility: lic.uAdversary, reservation: 0, discount: pa.a.patience },
  ];
  return run(space, parties, [p.exporterStrategy, pa.strategy], [p.scenario.exporter.id, pa.a.id], p, streams, ['exporter', 'adversary'], record, at);
}

function run(
  space: OutcomeSpace,
  parties: readonly [Preferences, Preferences],
  players: readonly [ResolvedStrategy, ResolvedStrategy],
  names: readonly [string, string],
  p: PreparedChips,
  streams: Streams,
  streamNames: readonly [string, string],
  record: boolean,
  at: RoundAt,
): Negotiated {
  const { deadline, information } = p.scenario.negotiation;
  const context: NegotiationContext = { round: at.round, label: at.label, parties: names };
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
  const a = analyse(space, parties, result, record);
  const rec = record ? negotiationRecord(names, players, space, parties, deadline, result, a) : null;
  return { result, record: rec, distanceToNash: a.distanceToNash };
}
