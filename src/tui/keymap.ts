/**
 * Key bindings as a pure function from a key press and the state to a reducer action, tested without a
 * terminal. The reducer applies it to the state current at that moment (see the 'key' action), so keys
 * typed faster than frames render are neither dropped nor read against a stale state.
 */
import type { Action, ReplayState } from './state.js';

/** The fields of Ink's Key that the bindings use. */
export interface KeyPress {
  readonly upArrow: boolean;
  readonly downArrow: boolean;
  readonly leftArrow: boolean;
  readonly rightArrow: boolean;
  readonly home: boolean;
  readonly end: boolean;
  readonly return: boolean;
  readonly escape: boolean;
  readonly ctrl: boolean;
  readonly shift: boolean;
  readonly tab: boolean;
  readonly backspace: boolean;
  readonly delete: boolean;
}

export function keyAction(s: ReplayState, input: string, key: Partial<KeyPress>): Action | null {
  if (key.ctrl && input === 'c') return { type: 'quit', how: 'interrupt' };
  if (s.input) {
    if (key.return) return { type: 'input-commit' };
    if (key.escape) return { type: 'input-cancel' };
    if (key.backspace || key.delete) return { type: 'input-back' };
    if (key.upArrow) return { type: 'select', by: -1 };
    if (key.downArrow) return { type: 'select', by: 1 };
    if (input && !key.ctrl && !key.tab) return { type: 'input-char', text: input };
    return null;
  }
  if (s.help && (key.escape || input === '?')) return { type: 'help' };
  if (key.rightArrow || input === 'l') return { type: 'step', by: 1 };
  if (key.leftArrow || input === 'h') return { type: 'step', by: -1 };
  if (key.home || input === 'g') return { type: 'start' };
  if (key.end || input === 'G') return { type: 'end' };
  if (key.upArrow || input === 'k') return { type: 'select', by: -1 };
  if (key.downArrow || input === 'j') return { type: 'select', by: 1 };
  if (key.tab) return { type: 'next-view', by: key.shift ? -1 : 1 };
  switch (input) {
    case ' ':
      return { type: 'toggle-play' };
    case '+':
    case '=':
      return { type: 'speed', by: 1 };
    case '-':
    case '_':
      return { type: 'speed', by: -1 };
    case ':':
      return { type: 'input-open', kind: 'goto' };
    case '/':
      return { type: 'input-open', kind: 'search' };
    case '?':
      return { type: 'help' };
    case 'r':
      return s.regimes > 1 ? { type: 'next-regime' } : null;
    case 'q':
      return { type: 'quit', how: 'quit' };
  }
  return null;
}
