/**
 * The replay's root: owns the reducer, playback timer, terminal size and exit. The outcome of the session
 * (q or Ctrl-C) becomes the exit code here and nowhere else.
 *
 * Why no <Static>: Ink's <Static> prints items once, above the live area, and never redraws them. That suits
 * a log that only grows, but a replay steps back as well as forward: rows printed for round 7 cannot be taken
 * back when the user returns to round 3, so "forward then back gives the same screen" would fail, and lines
 * printed at the old width stay garbled after a resize. Instead the whole frame is a pure function of
 * (artifact, state, size), exactly `rows - 1` lines high in the alternate screen (launch.tsx). Each update
 * goes out as one write wrapped in synchronized-update markers (Ink does this on a TTY), which terminals that
 * support them, and tmux, which diffs its own grid before drawing, show without flicker. Ink 6.8's
 * `incrementalRendering` would rewrite only changed lines, but it places them one row low when the frame ends
 * with a newline (the non-full-screen case), so it is left off. A resize remounts on a cleared screen
 * (launch.tsx), so no line of an old frame survives it.
 */
import { Box, useApp, useStdout } from 'ink';
import { useEffect, useReducer, useState } from 'react';
import type { ReplayData } from './data.js';
import { frameSize, type Size } from './layout.js';
import { initialState, reduce, tickInterval, type InitOptions, type ReplayState } from './state.js';
import { useReplayKeys } from './use-keys.js';
import { footer, headerLines, helpLines } from './views/chrome.js';
import { CompareView } from './views/compare.js';
import { GainsView } from './views/gains.js';
import { Lines } from './views/lines.js';
import { NegotiationView } from './views/negotiation.js';
import { ReportView } from './views/report.js';
import { RoundView } from './views/round.js';

export function exitCode(exit: ReplayState['exit']): number {
  return exit === 'interrupt' ? 130 : 0;
}

export interface ReplayProps {
  readonly data: ReplayData;
  readonly init: InitOptions;
  readonly colour: boolean;
  /** Called after each state change with the new state (benchmarks count frames with it). */
  readonly onState?: (s: ReplayState) => void;
  /** State to resume from (after a resize remounts the app). */
  readonly start?: ReplayState;
  /** Fixed terminal size (tests); by default the size of stdout, following resizes. */
  readonly size?: { readonly columns: number; readonly rows: number };
}

function useSize(fixed: ReplayProps['size']): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => frameSize(stdout.columns, stdout.rows));
  useEffect(() => {
    const onResize = (): void => setSize(frameSize(stdout.columns, stdout.rows));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return fixed ? frameSize(fixed.columns, fixed.rows) : size;
}

export function Replay({ data, init, colour, onState, start, size: fixed }: ReplayProps) {
  const [state, dispatch] = useReducer(reduce, init, (i) => start ?? initialState(i));
  const { exit } = useApp();
  const size = useSize(fixed);
  useReplayKeys(dispatch);

  useEffect(() => {
    onState?.(state);
  }, [state, onState]);

  // A steady interval rather than a timeout per frame: playback keeps its pace even when a frame takes a
  // while to draw (Ink then skips frames, the cursor does not slow down).
  const interval = tickInterval(state);
  useEffect(() => {
    if (!state.playing) return;
    const t = setInterval(() => dispatch({ type: 'tick' }), interval);
    return () => clearInterval(t);
  }, [state.playing, interval]);

  useEffect(() => {
    if (state.exit !== null) exit(exitCode(state.exit));
  }, [state.exit, exit]);

  return <Frame data={data} state={state} size={size} colour={colour} />;
}

/** One screen: header, the current view (or the help), footer. A pure function of its props. */
export function Frame({ data, state, size, colour }: { data: ReplayData; state: ReplayState; size: Size; colour: boolean }) {
  // One column spare: some terminals wrap a line that fills the last column.
  const width = size.columns - 1;
  const head = headerLines(data, state, width);
  const unit = data.kind === 'bargaining' ? 'offer' : 'round';
  const foot = footer(state, width, unit);
  const height = Math.max(1, size.rows - head.length - foot.length);
  const props = { data, state, width, height, colour };
  return (
    <Box flexDirection="column" width={width}>
      <Lines lines={head} width={width} height={head.length} colour={colour} />
      {state.help ? (
        <Lines lines={helpLines(state, unit)} width={width} height={height} colour={colour} />
      ) : state.view === 'round' ? (
        <RoundView {...props} />
      ) : state.view === 'negotiation' ? (
        <NegotiationView {...props} />
      ) : state.view === 'report' ? (
        <ReportView {...props} />
      ) : state.view === 'gains' ? (
        <GainsView {...props} />
      ) : (
        <CompareView {...props} />
      )}
      <Lines lines={foot} width={width} height={foot.length} colour={colour} />
    </Box>
  );
}
