/** Shared pieces of the classroom tests: loading shipped exercises and a simple scripted student. */
import { fileURLToPath } from 'node:url';
import { loadExercise, type LoadedExercise } from '../../src/classroom/exercise.js';
import { explainInvalid, type Move, type Turn } from '../../src/classroom/human.js';
import { advance, resolveSeats, type Session, type SessionState } from '../../src/classroom/session.js';
import { initialDraft } from '../../src/classroom/ui/model.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const exercisePath = (name: string): string => `${ROOT}scenarios/exercises/${name}.yaml`;

export async function session(name: string, as: string, opts: { level?: string; seed?: number } = {}): Promise<Session> {
  const ex: LoadedExercise = await loadExercise(exercisePath(name), opts);
  return { ex, seats: resolveSeats(ex, as), players: {}, moves: [] };
}

/**
 * A student who opens with their best corner, accepts after `patience` offers if the offer beats walking
 * away, and otherwise repeats the starting draft (walking away if even that is not allowed).
 */
export function student(turn: Turn, patience = 5): Move {
  const at = { seat: turn.seat, round: turn.context.round, step: turn.step };
  if (turn.lastOffer && turn.step >= patience && explainInvalid(turn, 'accept') === null) return { ...at, type: 'accept' };
  const draft = initialDraft(turn);
  return explainInvalid(turn, 'offer', draft) === null ? { ...at, type: 'offer', outcome: draft } : { ...at, type: 'end' };
}

/** Play a session to the end with `pick`, returning every state on the way. */
export function playOut(s: Session, pick: (t: Turn) => Move = (t) => student(t)): { session: Session; states: SessionState[] } {
  let cur = s;
  const states: SessionState[] = [advance(cur)];
  for (let guard = 0; guard < 500; guard++) {
    const st = states[states.length - 1] as SessionState;
    if (st.status === 'finished') return { session: cur, states };
    cur = { ...cur, moves: [...cur.moves, pick(st.turn)] };
    states.push(advance(cur));
  }
  throw new Error('session did not finish in 500 moves');
}
