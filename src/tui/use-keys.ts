/**
 * Key handling: Ink's input goes to the reducer as a 'key' action. The hook listens only when stdin supports
 * raw mode, so a replay without a keyboard (piped stdin, a test without input) never touches raw mode.
 */
import { useInput, useStdin } from 'ink';
import type { Action } from './state.js';

export function useReplayKeys(dispatch: (a: Action) => void): boolean {
  const { isRawModeSupported } = useStdin();
  useInput((input, key) => dispatch({ type: 'key', input, key }), { isActive: isRawModeSupported === true });
  return isRawModeSupported === true;
}
