/**
 * A play session: exercise + seed + seats + the moves made so far. `advance` re-runs the exercise with the
 * human seats scripted from the moves and returns the turn awaited next, or the finished run. Save/resume is
 * the move list; the same exercise, level and seed give every student the same situation.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { contentHash } from '../core/canonical.js';
import { InputError } from '../core/errors.js';
import type { ChipsResult } from '../core/events.js';
import { RESULT_SCHEMA_VERSION } from '../core/events.js';
import { toolVersion } from '../core/version.js';
import type { Action, NegotiationContext, NegotiationView, Negotiator, OfferRecord, PartyIndex, Strategy } from '../negotiation/types.js';
import type { ResolvedStrategy } from '../sim/strategy-choice.js';
import { runChips } from '../sim/run.js';
import { seatId, seatsOf, type LoadedExercise, type SeatInfo } from './exercise.js';
import { AwaitingHuman, scriptedHuman, type Move, type Turn } from './human.js';

export const SESSION_KIND = 'tradesim-classroom-session';
export const SESSION_VERSION = 1;

/** The students' names in an (unchecked) session file's `players`, for messages about a file not yet verified. */
export function playerNames(players: unknown): string[] {
  return players !== null && typeof players === 'object' ? Object.values(players).filter((x): x is string => typeof x === 'string') : [];
}

/** How a negotiation of a human seat went, as far as the run has got. */
export interface Transcript {
  readonly seat: string;
  readonly context: NegotiationContext;
  readonly self: PartyIndex;
  readonly offers: readonly OfferRecord[];
  /** Null while it is still going on. */
  readonly end: { readonly reason: 'agreement' | 'walkaway' | 'deadline'; readonly by: PartyIndex } | null;
}

export type SessionState =
  | { readonly status: 'awaiting'; readonly turn: Turn; readonly transcripts: readonly Transcript[] }
  | { readonly status: 'finished'; readonly result: ChipsResult; readonly transcripts: readonly Transcript[] };

export interface Session {
  readonly ex: LoadedExercise;
  /** Seat ids (the exporter's id for "exporter"), in the order given. */
  readonly seats: readonly string[];
  /** Seat -> the student's name (shown at hand-over and in the class debrief). */
  readonly players: Readonly<Record<string, string>>;
  readonly moves: readonly Move[];
}

/** `--as ARE,SAU` (or "exporter") -> seat ids, checked against the exercise's roles. */
export function resolveSeats(ex: LoadedExercise, as: string): string[] {
  const roles = Object.keys(ex.exercise.roles);
  const seats = as.split(',').map((x) => x.trim()).filter(Boolean);
  if (seats.length === 0) throw new InputError({ path: '--as', message: 'say which seat to play', expected: `one or more of ${roles.join(', ')} (comma-separated)` });
  const out: string[] = [];
  for (const name of seats) {
    const id = seatId(ex.scenario, name);
    const role = roles.find((r) => seatId(ex.scenario, r) === id);
    if (id === undefined || role === undefined) {
      throw new InputError({ path: '--as', message: `exercise ${ex.exercise.id} has no role for "${name}"`, expected: `one of ${roles.join(', ')}`, found: JSON.stringify(name) });
    }
    if (out.includes(id)) throw new InputError({ path: '--as', message: `seat ${name} named twice`, found: as });
    out.push(id);
  }
  return out;
}

/** The exercise role (briefing) of a seat id. */
export function roleOf(ex: LoadedExercise, seat: string): { key: string; role: LoadedExercise['exercise']['roles'][string] } {
  for (const [key, role] of Object.entries(ex.exercise.roles)) if (seatId(ex.scenario, key) === seat) return { key, role };
  throw new Error(`no role for seat ${seat}`);
}

export function seatInfo(ex: LoadedExercise, seat: string): SeatInfo {
  const s = seatsOf(ex.scenario).find((x) => x.id === seat);
  if (!s) throw new Error(`unknown seat ${seat}`);
  return s;
}

/** USD bn per normalised utility unit of each party of a negotiation (exporter first), as the run set them. */
export function scalesOf(context: { readonly scales?: readonly [number, number] }): readonly [number, number] {
  return context.scales ?? [1, 1];
}

interface Recorder {
  /** Key: the context object of one negotiation (each negotiation gets its own). */
  readonly open: Map<NegotiationContext, { seat: string; self: PartyIndex; offers: readonly OfferRecord[]; end: Transcript['end'] }>;
}

function note(rec: Recorder, ctx: NegotiationContext, seat: string, self: PartyIndex, view: NegotiationView): void {
  const t = rec.open.get(ctx);
  // In terms the student reads (a chip deal's package, not its number).
  const coding = ctx.coding;
  const offers = coding ? view.history.map((o) => ({ ...o, outcome: coding.decode(o.outcome) })) : view.history;
  if (t) t.offers = offers;
  else rec.open.set(ctx, { seat, self, offers, end: null });
}

function ended(rec: Recorder, ctx: NegotiationContext, view: NegotiationView, action: Action): void {
  const t = rec.open.get(ctx);
  if (!t) return;
  if (action.type === 'accept') t.end = { reason: 'agreement', by: view.self };
  else if (action.type === 'end') t.end = { reason: view.step >= view.deadline ? 'deadline' : 'walkaway', by: view.self };
  else if (view.step >= view.deadline) t.end = { reason: 'deadline', by: view.self };
}

/** Wraps a computer strategy so that its actions in a human seat's negotiations are recorded. */
function observed(s: Strategy, humans: readonly string[], rec: Recorder): Strategy {
  return {
    meta: s.meta,
    create(params, context): Negotiator {
      const inner = s.create(params, context);
      if (context === undefined || !context.parties.some((x) => humans.includes(x))) return inner;
      const name: unknown = (inner as { name?: unknown }).name;
      return {
        name: typeof name === 'string' ? name : s.meta.name,
        act(view: NegotiationView): Action {
          const action = inner.act(view);
          const seat = context.parties[(1 - view.self) as PartyIndex];
          note(rec, context, seat, (1 - view.self) as PartyIndex, view);
          ended(rec, context, view, action);
          return action;
        },
      } as Negotiator;
    },
  };
}

/** Who negotiates for each party: a scripted human in the student seats, the computer (observed) elsewhere. */
function seatPlayers(seats: readonly string[], moves: readonly Move[], cursor: { next: number }, rec: Recorder): (id: string, own: ResolvedStrategy) => ResolvedStrategy {
  const human = (seat: string): Strategy =>
    scriptedHuman({ seat, scales: (ctx) => scalesOf(ctx) }, moves, cursor, (view, ctx, move) => {
      note(rec, ctx, seat, view.self, view);
      ended(rec, ctx, view, { type: move.type, ...(move.outcome ? { outcome: move.outcome } : {}) } as Action);
    });
  const humans = new Map(seats.map((id) => [id, human(id)]));
  return (id, own) => ({ strategy: humans.get(id) ?? observed(own.strategy, seats, rec), params: own.params });
}

/** Replay the session's moves and stop at the next decision of a human seat (or at the end of the run). */
export function advance(session: Session): SessionState {
  const { ex, seats, moves } = session;
  const rec: Recorder = { open: new Map() };
  const cursor = { next: 0 };
  const transcripts = (): Transcript[] => [...rec.open.entries()].map(([context, t]) => ({ context, ...t, offers: [...t.offers] }));
  try {
    const result = runChips(ex.scenario, {
      seed: ex.seed,
      file: ex.loaded.file,
      ...(ex.exercise.regime !== undefined ? { regime: ex.exercise.regime } : {}),
      players: seatPlayers(seats, moves, cursor, rec),
    });
    if (cursor.next < moves.length) {
      throw new InputError({ path: `moves[${cursor.next}]`, message: `the session has ${moves.length} moves but the exercise ended after ${cursor.next}`, expected: 'a session saved from the same exercise, level and seed' });
    }
    return { status: 'finished', result, transcripts: transcripts() };
  } catch (e) {
    if (e instanceof AwaitingHuman) return { status: 'awaiting', turn: e.turn, transcripts: transcripts() };
    throw e;
  }
}

/** The session file: what `--save` writes and `--resume` and `tradesim debrief` read. */
export interface SessionFile {
  readonly kind: typeof SESSION_KIND;
  readonly version: typeof SESSION_VERSION;
  readonly resultSchemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  /** `file`: relative to the session file's folder, "/" separators (older session files name it absolutely). */
  readonly exercise: { readonly file: string; readonly id: string; readonly title: string; readonly level: string; readonly hash: string };
  readonly seed: number;
  readonly seats: readonly string[];
  readonly players: Readonly<Record<string, string>>;
  readonly moves: readonly Move[];
  readonly finished: boolean;
  /** Present when finished: the debrief data (src/classroom/debrief.ts). */
  readonly debrief?: unknown;
  /**
   * sha256 of the canonical JSON of everything else in the file (moves, players, results...): a file edited by
   * hand, or damaged, no longer matches it. Files written before digests existed have none.
   */
  readonly digest?: string;
}

/** The digest of a session file's content: every field but `digest` itself. */
export function sessionDigest(doc: Readonly<Record<string, unknown>>): string {
  const content: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (k !== 'digest') content[k] = v;
  return contentHash(content);
}

/**
 * Where a session file names its exercise: relative to the session file's folder, with "/" separators, so a
 * class folder (sessions and exercises) can move to another machine; the exercise hash, not the path, is what
 * `--resume` and `debrief` check. A path that cannot be relative (another drive) stays absolute.
 */
export function exerciseRef(exerciseFile: string, sessionPath?: string): string {
  const from = dirname(resolve(sessionPath ?? 'session.json'));
  const rel = relative(from, resolve(exerciseFile));
  return rel === '' || isAbsolute(rel) ? resolve(exerciseFile) : rel.split(sep).join('/');
}

/** The session file's content. `at` is where it will be written (default: the working folder). */
export function sessionFile(session: Session, finished: boolean, debrief?: unknown, at?: string): SessionFile {
  const { ex } = session;
  const content = {
    kind: SESSION_KIND,
    version: SESSION_VERSION,
    resultSchemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'tradesim', version: toolVersion() },
    exercise: { file: exerciseRef(ex.file, at), id: ex.exercise.id, title: ex.exercise.title, level: ex.level, hash: ex.hash },
    seed: ex.seed,
    seats: session.seats,
    players: session.players,
    moves: session.moves,
    finished,
    ...(debrief !== undefined ? { debrief } : {}),
  } as const;
  // Through JSON first, so that the digest is of exactly what a reader parses back.
  const written = JSON.parse(JSON.stringify(content)) as Record<string, unknown>;
  return { ...content, digest: sessionDigest(written) };
}
