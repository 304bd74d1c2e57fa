/**
 * Replay state and its pure reducer: a cursor over the frames of the event log (rounds of a chips run, offers
 * of a bargaining run), playback, speed, the selected country, the view, search, help and go-to-round input.
 * No React and no terminal here, so the reducer is tested directly (including a model-based property test).
 */
import { keyAction, type KeyPress } from './keymap.js';

export type View = 'round' | 'negotiation' | 'report' | 'compare' | 'gains';

/** Playback speeds in frames (rounds) per second. */
export const SPEEDS = [1, 2, 4, 8, 15, 30, 60] as const;

export interface ReplayState {
  /** Number of frames (at least 1). */
  readonly frames: number;
  /** Current frame, 0-based, always in [0, frames - 1]. */
  readonly cursor: number;
  readonly playing: boolean;
  /** Index into SPEEDS. */
  readonly speed: number;
  /** Countries (entities) to pick from, as id and name for search. */
  readonly entities: readonly { readonly id: string; readonly name: string }[];
  readonly selected: number;
  readonly views: readonly View[];
  readonly view: View;
  /** Regime shown by the per-run views of a comparison (index into its regimes). */
  readonly regime: number;
  readonly regimes: number;
  /** Text being typed: a country search after '/', a round number after ':'. */
  readonly input: { readonly kind: 'search' | 'goto'; readonly text: string } | null;
  readonly help: boolean;
  /** Set when the user asked to leave: 'quit' (q) or 'interrupt' (Ctrl-C). */
  readonly exit: 'quit' | 'interrupt' | null;
  /** A one-line note for the status bar (e.g. "no country matches"). */
  readonly note: string | null;
}

export type Action =
  | { readonly type: 'step'; readonly by: 1 | -1 }
  | { readonly type: 'start' }
  | { readonly type: 'end' }
  | { readonly type: 'jump'; readonly to: number }
  | { readonly type: 'toggle-play' }
  | { readonly type: 'tick' }
  | { readonly type: 'speed'; readonly by: 1 | -1 }
  | { readonly type: 'select'; readonly by: 1 | -1 }
  | { readonly type: 'next-view'; readonly by: 1 | -1 }
  | { readonly type: 'next-regime' }
  | { readonly type: 'input-open'; readonly kind: 'search' | 'goto' }
  | { readonly type: 'input-char'; readonly text: string }
  | { readonly type: 'input-back' }
  | { readonly type: 'input-commit' }
  | { readonly type: 'input-cancel' }
  | { readonly type: 'help' }
  | { readonly type: 'quit'; readonly how: 'quit' | 'interrupt' }
  /** A raw key press, mapped by keyAction against the state current when it is applied. */
  | { readonly type: 'key'; readonly input: string; readonly key: Partial<KeyPress> };

export interface InitOptions {
  readonly frames: number;
  readonly entities: ReplayState['entities'];
  readonly views: readonly View[];
  readonly regimes?: number;
  /** Start at the last frame (the outcome) rather than the first. */
  readonly atEnd?: boolean;
  /** Entity selected at the start. */
  readonly selected?: number;
}

export function initialState(o: InitOptions): ReplayState {
  const frames = Math.max(1, Math.floor(o.frames));
  const views = o.views.length ? o.views : (['round'] as const);
  return {
    frames,
    cursor: o.atEnd ? frames - 1 : 0,
    playing: false,
    speed: 3,
    entities: o.entities,
    selected: Math.min(Math.max(0, o.selected ?? 0), Math.max(0, o.entities.length - 1)),
    views,
    view: views[0] ?? 'round',
    regime: 0,
    regimes: Math.max(1, o.regimes ?? 1),
    input: null,
    help: false,
    exit: null,
    note: null,
  };
}

/** The key flags of a single character read from a batch. */
function charKey(ch: string): Partial<KeyPress> {
  if (ch === '\t') return { tab: true };
  if (ch === '\r' || ch === '\n') return { return: true };
  if (ch === '\x7f' || ch === '\b') return { backspace: true };
  if (ch === '\x1b') return { escape: true };
  return {};
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Milliseconds between playback ticks at the state's speed. */
export function tickInterval(s: ReplayState): number {
  return Math.round(1000 / (SPEEDS[s.speed] ?? 1));
}

/** Entities whose id or name contains `query` (case-insensitive), ids that start with it first. */
export function searchEntities(entities: ReplayState['entities'], query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits = entities.map((e, i) => ({ i, id: e.id.toLowerCase(), name: e.name.toLowerCase() })).filter((e) => e.id.includes(q) || e.name.includes(q));
  return hits.sort((a, b) => Number(!a.id.startsWith(q)) - Number(!b.id.startsWith(q)) || a.i - b.i).map((e) => e.i);
}

export function reduce(s: ReplayState, a: Action): ReplayState {
  const last = s.frames - 1;
  const s0 = s.note !== null && a.type !== 'tick' ? { ...s, note: null } : s;
  switch (a.type) {
    case 'step':
      return { ...s0, playing: false, cursor: clamp(s.cursor + a.by, 0, last) };
    case 'start':
      return { ...s0, playing: false, cursor: 0 };
    case 'end':
      return { ...s0, playing: false, cursor: last };
    case 'jump':
      return { ...s0, playing: false, cursor: clamp(Math.floor(a.to), 0, last) };
    case 'toggle-play':
      if (s.playing) return { ...s0, playing: false };
      // Playing from the end starts again from the first frame.
      return { ...s0, playing: s.frames > 1, cursor: s.cursor >= last ? 0 : s.cursor };
    case 'tick':
      if (!s.playing) return s;
      return s.cursor + 1 >= last ? { ...s, cursor: last, playing: false } : { ...s, cursor: s.cursor + 1 };
    case 'speed':
      return { ...s0, speed: clamp(s.speed + a.by, 0, SPEEDS.length - 1) };
    case 'select':
      return s.entities.length ? { ...s0, selected: (s.selected + a.by + s.entities.length) % s.entities.length } : s0;
    case 'next-view': {
      const i = s.views.indexOf(s.view);
      return { ...s0, view: s.views[(i + a.by + s.views.length) % s.views.length] ?? s.view };
    }
    case 'next-regime':
      return { ...s0, regime: (s.regime + 1) % s.regimes };
    case 'input-open':
      return { ...s0, input: { kind: a.kind, text: '' }, help: false };
    case 'input-char': {
      if (!s.input) return s;
      const text = s.input.kind === 'goto' ? a.text.replace(/\D/g, '') : a.text.replace(/[\p{C}]/gu, '');
      const input = { kind: s.input.kind, text: (s.input.text + text).slice(0, 40) };
      // Search selects as you type, so the table follows the query.
      const hit = input.kind === 'search' ? searchEntities(s.entities, input.text)[0] : undefined;
      return { ...s0, input, selected: hit ?? s.selected };
    }
    case 'input-back':
      return s.input ? { ...s0, input: { ...s.input, text: s.input.text.slice(0, -1) } } : s;
    case 'input-cancel':
      return { ...s0, input: null };
    case 'input-commit': {
      if (!s.input) return s;
      const text = s.input.text;
      if (s.input.kind === 'goto') {
        const n = Number(text);
        if (!text || !Number.isSafeInteger(n) || n < 1 || n > s.frames) return { ...s0, input: null, note: `no round "${text}" (1-${s.frames})` };
        return { ...s0, input: null, playing: false, cursor: n - 1 };
      }
      const hit = searchEntities(s.entities, text)[0];
      return hit === undefined ? { ...s0, input: null, note: `no country matches "${text}"` } : { ...s0, input: null, selected: hit };
    }
    case 'help':
      return { ...s0, help: !s.help };
    case 'quit':
      return { ...s0, playing: false, exit: a.how };
    case 'key': {
      // Keys typed faster than stdin is read arrive as one string ("lll", "\t\t", "12\r"); each character
      // is applied as its own key press, so none is dropped.
      if (!a.key.ctrl && a.input.length > 1) return [...a.input].reduce((st, ch) => reduce(st, { type: 'key', input: ch, key: charKey(ch) }), s);
      const act = keyAction(s, a.input, a.key);
      return act ? reduce(s, act) : s;
    }
  }
}
