/**
 * The play screen's state machine, kept free of React so it can be tested as a plain reducer: keys in,
 * screen state and (at most) one student move out. Hand-over, briefing, turn, counter-offer form, walk-away
 * and accept confirmations (both end the negotiation, so neither is one key away) and the end screen.
 */
import type { Issue, Outcome } from '../../negotiation/types.js';
import { explainInvalid, gridOf, snapToGrid, snapTyped, type Move, type Turn } from '../human.js';

export type Screen = 'handover' | 'briefing' | 'turn' | 'counter' | 'confirm-walk' | 'confirm-accept' | 'done';

export interface UiState {
  readonly screen: Screen;
  /** The seat whose private screens are showing (null before the first hand-over). */
  readonly seat: string | null;
  readonly draft: readonly number[];
  readonly selected: number;
  /** Digits being typed into the selected issue, or null. */
  readonly typed: string | null;
  readonly message: string | null;
}

/** The keys the screens use (from Ink's useInput, or a test). */
export interface KeyPress {
  readonly input: string;
  readonly up?: boolean;
  readonly down?: boolean;
  readonly left?: boolean;
  readonly right?: boolean;
  readonly enter?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
}

export type Effect = { readonly kind: 'move'; readonly move: Move } | { readonly kind: 'quit' } | null;

export const INITIAL: UiState = { screen: 'handover', seat: null, draft: [], selected: 0, typed: null, message: null };

/** The screen to show for a new turn: a hand-over when another student's seat comes up in hot-seat play. */
export function onTurn(ui: UiState, turn: Turn, hotSeat: boolean): UiState {
  if (ui.seat === turn.seat) return { ...ui, screen: 'turn', typed: null };
  return { ...INITIAL, seat: turn.seat, screen: hotSeat ? 'handover' : 'briefing' };
}

export function onFinished(ui: UiState): UiState {
  return { ...ui, screen: 'done', message: null };
}

/** The seat's own latest offer in this negotiation, if any. */
export function myLastOffer(turn: Turn): Outcome | undefined {
  for (let i = turn.history.length - 1; i >= 0; i--) {
    const o = turn.history[i];
    if (o && o.by === turn.self) return o.outcome;
  }
  return undefined;
}

/** A starting draft: my last offer, else the offer on the table, else the best corner for me issue by issue. */
export function initialDraft(turn: Turn): number[] {
  const start = myLastOffer(turn) ?? turn.lastOffer?.outcome;
  if (start) return [...start];
  const o = turn.issues.map((i) => i.min);
  turn.issues.forEach((iss, k) => {
    const hi = [...o];
    hi[k] = snapToGrid(iss, Math.min(iss.max, turn.upperBounds[k] ?? iss.max));
    if (hi[k] !== undefined && turn.own.utility(hi) > turn.own.utility(o)) o[k] = hi[k] as number;
  });
  return o;
}

/** One step along an issue's grid (continuous issues: a twentieth of the range), within the round's bound. */
export function stepValue(iss: Issue, bound: number, value: number, dir: 1 | -1): number {
  const top = Math.min(iss.max, bound);
  const grid = gridOf(iss);
  if (grid === null) return Math.min(top, Math.max(iss.min, value + (dir * (iss.max - iss.min)) / 20));
  const allowed = grid.filter((g) => g <= top + 1e-9 * Math.max(1, Math.abs(top)));
  let at = 0;
  allowed.forEach((g, k) => {
    if (Math.abs(g - value) < Math.abs((allowed[at] ?? g) - value)) at = k;
  });
  return allowed[Math.min(allowed.length - 1, Math.max(0, at + dir))] ?? value;
}

function move(turn: Turn, type: Move['type'], outcome?: readonly number[]): Move {
  return { seat: turn.seat, type, round: turn.context.round, step: turn.step, ...(outcome !== undefined ? { outcome: [...outcome] } : {}) };
}

/** Try to send a move: the move, or the explanation of why it is not allowed. */
function attempt(ui: UiState, turn: Turn, type: Move['type'], outcome?: readonly number[]): { state: UiState; effect: Effect } {
  const problem = explainInvalid(turn, type, outcome);
  if (problem !== null) return { state: { ...ui, message: problem }, effect: null };
  return { state: { ...ui, message: null, typed: null, screen: 'turn' }, effect: { kind: 'move', move: move(turn, type, outcome) } };
}

export function reduce(ui: UiState, key: KeyPress, turn: Turn | null): { state: UiState; effect: Effect } {
  const same = { state: ui, effect: null };
  const k = key.input.toLowerCase();
  switch (ui.screen) {
    case 'handover':
      return key.enter ? { state: { ...ui, screen: 'briefing' }, effect: null } : same;
    case 'briefing':
      return key.enter ? { state: { ...ui, screen: 'turn', message: null }, effect: null } : same;
    case 'done':
      return key.enter || k === 'q' ? { state: ui, effect: { kind: 'quit' } } : same;
    case 'confirm-walk':
      if (turn && k === 'y') return attempt(ui, turn, 'end');
      return k === 'n' || key.escape ? { state: { ...ui, screen: 'turn', message: null }, effect: null } : same;
    case 'confirm-accept':
      if (turn && k === 'y') return attempt(ui, turn, 'accept');
      return k === 'n' || key.escape ? { state: { ...ui, screen: 'turn', message: null }, effect: null } : same;
    case 'turn': {
      if (!turn) return same;
      if (k === 'a') {
        // Accepting ends the negotiation: ask first, as walking away does (an allowed accept only).
        const problem = explainInvalid(turn, 'accept');
        return problem !== null ? { state: { ...ui, message: problem }, effect: null } : { state: { ...ui, screen: 'confirm-accept', message: null }, effect: null };
      }
      if (k === 'c') {
        if (turn.step >= turn.deadline) return { state: { ...ui, message: explainInvalid(turn, 'offer', initialDraft(turn)) }, effect: null };
        return { state: { ...ui, screen: 'counter', draft: initialDraft(turn), selected: 0, typed: null, message: null }, effect: null };
      }
      if (k === 'r') {
        const mine = myLastOffer(turn);
        if (!mine) return { state: { ...ui, message: 'You have not made an offer yet in this negotiation: press c to make one.' }, effect: null };
        return attempt(ui, turn, 'offer', mine);
      }
      if (k === 'w') return { state: { ...ui, screen: 'confirm-walk', message: null }, effect: null };
      if (k === 'b') return { state: { ...ui, screen: 'briefing' }, effect: null };
      if (k === 'q') return { state: ui, effect: { kind: 'quit' } };
      return same;
    }
    case 'counter': {
      if (!turn) return same;
      const n = turn.issues.length;
      if (key.escape) return { state: { ...ui, screen: 'turn', typed: null, message: null }, effect: null };
      if (key.up || key.down) return { state: { ...ui, selected: (ui.selected + (key.up ? n - 1 : 1)) % n, typed: null, message: null }, effect: null };
      const iss = turn.issues[ui.selected];
      if (!iss) return same;
      if (key.left || key.right) {
        const draft = [...ui.draft];
        draft[ui.selected] = stepValue(iss, turn.upperBounds[ui.selected] ?? iss.max, draft[ui.selected] ?? iss.min, key.right ? 1 : -1);
        return { state: { ...ui, draft, typed: null, message: null }, effect: null };
      }
      if (key.backspace) return { state: { ...ui, typed: ui.typed && ui.typed.length > 1 ? ui.typed.slice(0, -1) : null }, effect: null };
      // Several characters may come in one chunk (fast typing, a paste); thousands separators are dropped.
      if (/^[0-9.,-]+$/.test(key.input)) return { state: { ...ui, typed: `${ui.typed ?? ''}${key.input.replace(/,/g, '')}`, message: null }, effect: null };
      if (key.enter) {
        if (ui.typed !== null) {
          // A value typed as the screen shows it (4.167 for 4.1666...) is that grid value.
          const v = snapTyped(iss, Number(ui.typed));
          if (ui.typed === '' || !Number.isFinite(v)) return { state: { ...ui, typed: null, message: `"${ui.typed}" is not a number.` }, effect: null };
          const draft = [...ui.draft];
          draft[ui.selected] = v;
          return { state: { ...ui, draft, typed: null, message: null }, effect: null };
        }
        return attempt(ui, turn, 'offer', ui.draft);
      }
      return same;
    }
  }
}

/**
 * Several printable characters in one key event (fast typing, a paste, tmux send-keys) are taken one at a
 * time, as if typed; the first move or quit ends the batch (keys after it would be for a screen not yet shown).
 */
export function reduceKeys(ui: UiState, key: KeyPress, turn: Turn | null): { state: UiState; effect: Effect } {
  const special = key.up === true || key.down === true || key.left === true || key.right === true || key.enter === true || key.escape === true || key.backspace === true;
  if (special || key.input.length <= 1) return reduce(ui, key, turn);
  let out: { state: UiState; effect: Effect } = { state: ui, effect: null };
  for (const ch of key.input) {
    out = reduce(out.state, { input: ch === '\r' ? '' : ch, enter: ch === '\r' }, turn);
    if (out.effect !== null) break;
  }
  return out;
}
