/**
 * Debrief data: the student's outcome in each seat against the computer agent's in the same seat (the same
 * exercise, level and seed, with the seat's scenario strategy) and against the Nash and Kalai-Smorodinsky
 * points of the student's own negotiations. Pure functions of result artifacts; the numbers are saved in the
 * session file so that the class debrief reads files and never re-runs anything.
 */
import type { ChipsResult, NegotiationRecord, SimEvent } from '../core/events.js';
import { roundLabel } from '../sim/chips/model.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { runChips } from '../sim/run.js';
import type { LoadedExercise } from './exercise.js';
import { scalesOf, seatInfo, type Session } from './session.js';

/** A point in the seat's utility plane: [the seat's utility, the other side's], normalised as the engine sees them. */
export type Point = readonly [number, number];

export interface NegotiationSummary {
  readonly round: number;
  readonly label: string;
  readonly counterpart: string;
  readonly strategies: { readonly seat: string; readonly counterpart: string };
  readonly reason: NegotiationRecord['reason'];
  /** Offers made before the end (the step of the accepted offer when there is agreement). */
  readonly steps: number;
  readonly deadline: number;
  readonly issues: readonly { readonly name: string; readonly unit: string }[];
  /** Agreed terms by issue name; null without agreement. */
  readonly terms: Readonly<Record<string, number>> | null;
  /** USD bn per utility unit, for the seat and the counterpart. */
  readonly scale: readonly [number, number];
  /** Undiscounted utility of the outcome (the reservation value without agreement) and its discounted payoff. */
  readonly utility: Point;
  readonly payoff: Point;
  readonly reservation: Point;
  readonly nash: Point | null;
  readonly ks: Point | null;
  readonly nashTerms: Readonly<Record<string, number>> | null;
  readonly frontier: readonly Point[];
  /** Every offer: who made it and its undiscounted utilities [seat, counterpart]. */
  readonly offers: readonly { readonly step: number; readonly mine: boolean; readonly utility: Point; readonly outcome: readonly number[] }[];
  /** The seat's own offers: first ask, and the largest single drop in its own utility between two of its offers. */
  readonly firstAsk: number | null;
  readonly biggestConcession: { readonly step: number; readonly drop: number } | null;
}

export interface SeatSide {
  readonly strategy: string;
  /** Sum over the seat's negotiations of the discounted payoff, USD bn. */
  readonly totalUsd: number;
  /** The same, undiscounted (utility of each outcome, reservation value without agreement): what compares with nashUsd. */
  readonly utilityUsd: number;
  /** The seat's headline outcome (chips delivered, concessions, relations, ...), by name. */
  readonly outcome: Readonly<Record<string, number>>;
  readonly negotiations: readonly NegotiationSummary[];
}

export interface SeatDebrief {
  readonly seat: string;
  readonly name: string;
  readonly kind: 'exporter' | 'country' | 'adversary';
  readonly player: string;
  readonly student: SeatSide;
  readonly computer: SeatSide;
  /** Sum over the student's negotiations of the seat's Nash and KS utilities, USD bn (undiscounted: compare with student.utilityUsd). */
  readonly nashUsd: number | null;
  readonly ksUsd: number | null;
}

export interface Debrief {
  readonly exercise: { readonly id: string; readonly title: string; readonly level: string; readonly hash: string };
  readonly seed: number;
  readonly objectives: readonly string[];
  readonly questions: readonly string[];
  readonly seats: readonly SeatDebrief[];
}

type NegotiationEvent = Extract<SimEvent, { type: 'negotiation' }>;

const orient = (p: readonly [number, number], side: 0 | 1): Point => (side === 0 ? [p[0], p[1]] : [p[1], p[0]]);

function termsOf(rec: NegotiationRecord, outcome: readonly number[] | undefined): Record<string, number> | null {
  if (outcome === undefined) return null;
  return Object.fromEntries(rec.issues.map((iss, i) => [iss.name, outcome[i] ?? 0]));
}

export function summarise(e: NegotiationEvent, seat: string, s: ChipsScenario): NegotiationSummary {
  const side: 0 | 1 = e.parties[0] === seat ? 0 : 1;
  const other = (1 - side) as 0 | 1;
  const sc = scalesOf(e);
  const utilities = e.agreement ? e.agreement.utilities : e.reservations;
  const mine = e.offers.filter((o) => o.by === side).map((o) => ({ step: o.step, u: o.utilities[side] }));
  let biggest: { step: number; drop: number } | null = null;
  for (let k = 1; k < mine.length; k++) {
    const drop = (mine[k - 1]?.u ?? 0) - (mine[k]?.u ?? 0);
    if (drop > 1e-12 && (biggest === null || drop > biggest.drop)) biggest = { step: mine[k]?.step ?? 0, drop };
  }
  return {
    round: e.round,
    label: roundLabel(s, e.round - 1),
    counterpart: e.parties[other],
    strategies: { seat: e.strategies[side], counterpart: e.strategies[other] },
    reason: e.reason,
    steps: e.steps,
    deadline: e.deadline,
    issues: e.issues.map((i) => ({ name: i.name, unit: i.unit })),
    terms: termsOf(e, e.agreement?.outcome),
    scale: [sc[side], sc[other]],
    utility: orient(utilities, side),
    payoff: orient(e.payoffs, side),
    reservation: orient(e.reservations, side),
    nash: e.nash ? orient(e.nash.utilities, side) : null,
    ks: e.ks ? orient(e.ks.utilities, side) : null,
    nashTerms: termsOf(e, e.nash?.outcome),
    frontier: e.frontier.map((f) => orient(f, side)),
    offers: e.offers.map((o) => ({ step: o.step, mine: o.by === side, utility: orient(o.utilities, side), outcome: o.outcome })),
    firstAsk: mine[0]?.u ?? null,
    biggestConcession: biggest,
  };
}

function negotiationsOf(r: ChipsResult, seat: string): NegotiationEvent[] {
  return r.rounds.flatMap((x) => x.events.filter((e): e is NegotiationEvent => e.type === 'negotiation' && (e.parties[0] === seat || e.parties[1] === seat)));
}

function outcomeOf(r: ChipsResult, seat: string, kind: SeatDebrief['kind']): Record<string, number> {
  if (kind === 'exporter') {
    const m = r.metrics.final;
    return { revenueUsd: m.revenueUsd, concessionsObtainedUsd: m.concessionsUsd, leakage: m.leakage, marketShare: m.marketShare, relationsMean: m.relationsMean, agreementRate: m.agreementRate ?? 0 };
  }
  if (kind === 'adversary') {
    const a = r.adversaries.find((x) => x.id === seat);
    return a ? { licensed: a.licensed, diverted: a.diverted, total: a.total, revenueShareUsd: a.revenueShareUsd } : {};
  }
  const c = r.countries.find((x) => x.id === seat);
  return c
    ? { delivered: c.delivered, dealChips: c.byRoute.deal, fulfilment: c.fulfilment, concessionsUsd: c.concessionsUsd, securityCommitment: c.securityCommitment, relationsEnd: c.relationsEnd, rival: c.rival }
    : {};
}

function side(r: ChipsResult, seat: string, kind: SeatDebrief['kind'], p: ChipsScenario): SeatSide {
  const negotiations = negotiationsOf(r, seat).map((e) => summarise(e, seat, p));
  return {
    strategy: negotiations[0]?.strategies.seat ?? 'none (no negotiation)',
    totalUsd: negotiations.reduce((a, n) => a + n.payoff[0] * n.scale[0], 0),
    utilityUsd: negotiations.reduce((a, n) => a + n.utility[0] * n.scale[0], 0),
    outcome: outcomeOf(r, seat, kind),
    negotiations,
  };
}

/** The computer agent's run: the same exercise, level and seed, nobody at the keyboard. */
export function computerRun(ex: LoadedExercise): ChipsResult {
  return runChips(ex.scenario, { seed: ex.seed, file: ex.loaded.file, ...(ex.exercise.regime !== undefined ? { regime: ex.exercise.regime } : {}) });
}

export function buildDebrief(session: Session, result: ChipsResult, computer: ChipsResult = computerRun(session.ex)): Debrief {
  const { ex } = session;
  const p = ex.scenario;
  const sumOf = (ns: readonly NegotiationSummary[], pick: (n: NegotiationSummary) => Point | null): number | null =>
    ns.length === 0 || ns.some((n) => pick(n) === null) ? null : ns.reduce((a, n) => a + (pick(n)?.[0] ?? 0) * n.scale[0], 0);
  return {
    exercise: { id: ex.exercise.id, title: ex.exercise.title, level: ex.level, hash: ex.hash },
    seed: ex.seed,
    objectives: ex.exercise.objectives,
    questions: ex.exercise.questions,
    seats: session.seats.map((seat) => {
      const info = seatInfo(ex, seat);
      const student = side(result, seat, info.kind, p);
      return {
        seat,
        name: info.name,
        kind: info.kind,
        player: session.players[seat] ?? seat,
        student,
        computer: side(computer, seat, info.kind, p),
        nashUsd: sumOf(student.negotiations, (n) => n.nash),
        ksUsd: sumOf(student.negotiations, (n) => n.ks),
      };
    }),
  };
}
