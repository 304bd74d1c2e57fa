/**
 * The human seat as one more strategy. A session is exercise + seed + seats + the human's moves so far; to
 * show the current state the simulation is re-run with `scriptedHuman`, which plays the recorded moves in
 * order and, when it needs one more, stops the run by throwing AwaitingHuman with what the student may see.
 * The engine is synchronous and deterministic, so the replay reaches the same turn every time.
 *
 * Not in the strategy registry (src/sim/strategies/index.ts), on purpose: the registry holds strategies a
 * scenario can name and any batch run can execute; a human needs a move source and stops the run, so a
 * scenario naming it would fail in `run`, `compare` and the benchmarks. The classroom seats it per run
 * through RunOptions.players instead, and test/classroom checks it against every registry strategy.
 */
import { InputError } from '../core/errors.js';
import { discounted, meetsReservation } from '../negotiation/mechanism.js';
import { issueTolerance, issueValues } from '../negotiation/outcome-space.js';
import { AMOUNT_DECIMALS, amount, usd as formatUsd } from './format.js';
import type {
  Action,
  Issue,
  NegotiationContext,
  NegotiationView,
  Negotiator,
  OfferRecord,
  Outcome,
  PartyIndex,
  Preferences,
  Strategy,
} from '../negotiation/types.js';

export type MoveType = 'accept' | 'offer' | 'end';

/** One decision of a student, as saved in a session file. */
export interface Move {
  readonly seat: string;
  readonly type: MoveType;
  /** The counter-offer, in issue order (type 'offer' only). */
  readonly outcome?: readonly number[];
  /** Where it was made: checked on replay so a session cannot silently drift from its exercise. */
  readonly round: number;
  readonly step: number;
}

/** What a student may see on a turn: their own preferences, the other side's only under complete information. */
export interface Turn {
  readonly seat: string;
  readonly counterpart: string;
  readonly context: NegotiationContext;
  readonly self: PartyIndex;
  readonly issues: readonly Issue[];
  readonly upperBounds: readonly number[];
  readonly step: number;
  readonly deadline: number;
  readonly lastOffer?: OfferRecord;
  readonly history: readonly OfferRecord[];
  readonly own: Preferences;
  readonly opponent?: Preferences;
  /** USD bn per unit of the seat's (normalised) utility, and of the opponent's when it is known. */
  readonly scale: number;
  readonly opponentScale?: number;
  /** Index of the move this turn asks for. */
  readonly moveIndex: number;
  /** Quantities that follow from an offer in terms (the chips a package buys), when there are any. */
  readonly derived?: (o: Outcome) => Readonly<Record<string, number>>;
}

/** Thrown out of the simulation when the next move is the student's. Not a failure: the run pauses. */
export class AwaitingHuman extends Error {
  readonly turn: Turn;
  constructor(turn: Turn) {
    super(`awaiting ${turn.seat} at round ${turn.context.round}, step ${turn.step}`);
    this.name = 'AwaitingHuman';
    this.turn = turn;
  }
}

export const HUMAN_META = Object.freeze({
  name: 'human',
  description: 'A student at the keyboard (classroom mode); replays recorded moves, then pauses the run.',
  deterministic: true,
  needsOpponent: false,
  params: Object.freeze({}),
  interactive: true,
});

/** Grid values of an issue (null when continuous): the engine's own grid, so the form offers what it accepts. */
export function gridOf(iss: Issue): number[] | null {
  return iss.steps === undefined ? null : Array.from(issueValues(iss));
}

function onGrid(iss: Issue, v: number): boolean {
  const g = gridOf(iss);
  if (g === null) return true;
  const tol = issueTolerance(iss);
  return g.some((x) => Math.abs(x - v) <= tol);
}

/** The grid value nearest to v (v itself on a continuous issue), within the issue's range. */
export function snapToGrid(iss: Issue, v: number): number {
  const g = gridOf(iss);
  const x = Math.min(iss.max, Math.max(iss.min, v));
  if (g === null) return x;
  let best = g[0] as number;
  for (const y of g) if (Math.abs(y - x) < Math.abs(best - x)) best = y;
  return best;
}

/**
 * A typed value taken as the grid value it reads as: the screens show 4.1666... as "4.167", so a student who
 * types 4.167 (or 4.1667) means that grid value. A value within half a unit of the last decimal shown snaps to
 * the nearest grid value; anything else is left as typed (and explained if it is off the grid).
 */
export function snapTyped(iss: Issue, v: number): number {
  if (!Number.isFinite(v) || gridOf(iss) === null) return v;
  const near = snapToGrid(iss, v);
  return Math.abs(near - v) <= 0.5 * 10 ** -AMOUNT_DECIMALS * (1 + 1e-9) ? near : v;
}

/** Value of an outcome to the student: undiscounted, and discounted to the step it would be agreed. */
export function valueToSeat(turn: Turn, outcome: Outcome, step: number): { utility: number; usd: number; presentUsd: number } {
  const u = turn.own.utility(outcome);
  return { utility: u, usd: u * turn.scale, presentUsd: discounted(turn.own, u, step) * turn.scale };
}

/**
 * Why a move is not allowed on this turn, in words a student can act on; null when it is allowed. The UI
 * shows this instead of sending the move, and a replayed session file is checked with it too.
 */
export function explainInvalid(turn: Turn, type: MoveType, outcome?: readonly number[]): string | null {
  const usd = (u: number): string => formatUsd(u * turn.scale);
  if (type === 'end') return null;
  if (type === 'accept') {
    const offer = turn.lastOffer;
    if (offer === undefined) return 'There is no offer on the table to accept yet: make the first offer.';
    const payoff = discounted(turn.own, offer.utilities[turn.self], offer.step);
    if (!meetsReservation(payoff, turn.own.reservation)) {
      return `This offer is worth ${usd(payoff)} to you now, less than your walk-away value of ${usd(turn.own.reservation)}: accepting would leave you worse off than no deal. Counter or walk away.`;
    }
    return null;
  }
  if (turn.step >= turn.deadline) return `The deadline has passed: the offer on the table is the last one (${turn.deadline} offers). Accept it or walk away.`;
  if (outcome === undefined || outcome.length !== turn.issues.length) return `A counter-offer needs a value for each of the ${turn.issues.length} issues.`;
  for (let i = 0; i < turn.issues.length; i++) {
    const iss = turn.issues[i] as Issue;
    const v = outcome[i] as number;
    if (!Number.isFinite(v)) return `${iss.name}: not a number.`;
    if (v < iss.min || v > iss.max) return `${iss.name} must be between ${amount(iss.min)} and ${amount(iss.max)} ${iss.unit}; you asked for ${amount(v)}.`;
    const bound = turn.upperBounds[i] ?? iss.max;
    if (v > bound + 1e-9 * Math.max(1, Math.abs(bound))) {
      return `${iss.name}: at most ${amount(bound)} ${iss.unit} can be on the table this round (the supply budget for this negotiation); you asked for ${amount(v)}.`;
    }
    if (!onGrid(iss, v)) {
      const g = gridOf(iss) ?? [];
      const step = g.length > 1 ? (g[1] as number) - (g[0] as number) : 0;
      return `${iss.name} moves in steps of ${amount(step)} ${iss.unit} (from ${amount(iss.min)} to ${amount(iss.max)}); ${amount(v)} is not one of them. Nearest: ${amount(snapToGrid(iss, v))}.`;
    }
  }
  const u = turn.own.utility(outcome);
  const payoff = discounted(turn.own, u, turn.step);
  if (!meetsReservation(payoff, turn.own.reservation)) {
    return `Even if accepted at once, this offer would be worth ${usd(payoff)} to you, less than your walk-away value of ${usd(turn.own.reservation)}. Ask for more, or walk away.`;
  }
  return null;
}

export interface HumanSeat {
  readonly seat: string;
  /** USD bn per utility unit of each party in this negotiation ([party 0, party 1]). */
  readonly scales: (context: NegotiationContext) => readonly [number, number];
}

/**
 * A strategy that plays `moves` (shared by every human seat of the run, in order) and pauses the run when
 * they run out. `cursor.next` is the index of the next move to play.
 */
export function scriptedHuman(human: HumanSeat, moves: readonly Move[], cursor: { next: number }, log?: (view: NegotiationView, context: NegotiationContext, move: Move) => void): Strategy {
  return {
    meta: HUMAN_META,
    create(_params, context): Negotiator {
      const ctx: NegotiationContext = context ?? { round: 1, label: 'negotiation', parties: ['party 0', 'party 1'] };
      return {
        name: 'human',
        act(view: NegotiationView): Action {
          const scales = human.scales(ctx);
          const opp = (1 - view.self) as PartyIndex;
          // The student sees and types the terms an outcome stands for (a chip deal's package), not its code.
          const coding = ctx.coding;
          const decoded = (r: OfferRecord): OfferRecord => (coding ? { ...r, outcome: coding.decode(r.outcome) } : r);
          const inTerms = (p: Preferences): Preferences =>
            coding
              ? {
                  ...p,
                  utility: (x) => {
                    const o = coding.encode(x);
                    return o === undefined ? Number.NaN : p.utility(o);
                  },
                }
              : p;
          const turn: Turn = {
            seat: human.seat,
            counterpart: ctx.parties[opp],
            context: ctx,
            self: view.self,
            issues: coding ? coding.issues : view.space.issues,
            upperBounds: coding ? coding.issues.map((i) => i.max) : (view.space.upperBounds ?? view.space.issues.map((i) => i.max)),
            step: view.step,
            deadline: view.deadline,
            ...(view.lastOffer !== undefined ? { lastOffer: decoded(view.lastOffer) } : {}),
            history: view.history.map(decoded),
            own: inTerms(view.own),
            ...(view.opponent !== undefined ? { opponent: inTerms(view.opponent), opponentScale: scales[opp] } : {}),
            scale: scales[view.self],
            moveIndex: cursor.next,
            ...(coding ? { derived: (o: Outcome) => { const e = coding.encode(o); return e === undefined ? {} : coding.derived(e); } } : {}),
          };
          const move = moves[cursor.next];
          if (move === undefined) throw new AwaitingHuman(turn);
          const where = `move ${cursor.next + 1} of the session`;
          if (move.seat !== human.seat || move.round !== ctx.round || move.step !== view.step) {
            throw new InputError({
              path: `moves[${cursor.next}]`,
              message: `${where} does not fit this exercise: it was made by ${move.seat} at round ${move.round}, step ${move.step}, but the next decision is ${human.seat}'s at round ${ctx.round}, step ${view.step}`,
              expected: 'a session saved from the same exercise, level and seed',
            });
          }
          const problem = explainInvalid(turn, move.type, move.outcome);
          if (problem !== null) throw new InputError({ path: `moves[${cursor.next}]`, message: `${where} is not allowed: ${problem}` });
          cursor.next++;
          log?.(view, ctx, move);
          if (move.type === 'offer') {
            const terms = move.outcome ?? [];
            return { type: 'offer', outcome: Object.freeze([...(coding ? (coding.encode(terms) ?? terms) : terms)]) };
          }
          return move.type === 'accept' ? { type: 'accept' } : { type: 'end' };
        },
      } as Negotiator;
    },
  };
}
