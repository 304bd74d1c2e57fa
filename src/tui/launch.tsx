/**
 * Open the replay on a terminal: the alternate screen (so quitting gives back the shell's screen as it was),
 * Ink's standard renderer (see app.tsx for why not incremental), Ctrl-C handled as a key (so it maps to exit code 130 through the root),
 * and the terminal restored on every way out. Only the CLI's TTY branch imports this module.
 */
import { render } from 'ink';
import type { ReplayableArtifact } from '../core/events.js';
import { Replay } from './app.js';
import { initFor, replayData } from './data.js';
import type { ReplayState } from './state.js';

const ALT_ON = '\x1b[?1049h\x1b[2J\x1b[H';
// Blank the alternate screen before leaving it: tmux, when the window grew meanwhile, otherwise brings rows
// of the replay back into the restored shell screen.
const ALT_OFF = '\x1b[2J\x1b[H\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

export interface OpenOptions {
  readonly colour: boolean;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Start at the last round (the outcome). */
  readonly atEnd?: boolean;
  readonly onState?: (s: ReplayState) => void;
  /** Called once the first frame is on the terminal. */
  readonly onFirstFrame?: () => void;
}

/** Leave the alternate screen and show the cursor: the terminal as it was before the replay. */
function restore(stdout: NodeJS.WriteStream): void {
  stdout.write(ALT_OFF + SHOW_CURSOR);
}

/**
 * A resize remounts Ink on a cleared screen, keeping the replay state. Ink erases the previous frame by
 * counting lines up from the cursor; after a resize the terminal may have cropped or reflowed that frame, so
 * the only safe redraw is a full one from a clean screen, and a fresh Ink instance is the supported way to
 * get one.
 */
export async function openReplay(artifact: ReplayableArtifact, opts: OpenOptions): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const data = replayData(artifact);
  const init = initFor(data, opts.atEnd ? { atEnd: true } : {});
  let last: ReplayState | undefined;
  const onState = (s: ReplayState): void => {
    last = s;
    opts.onState?.(s);
  };
  let first = true;
  // Killed from outside (kill, a closed terminal): give the screen back before going.
  const onSignal = (signal: NodeJS.Signals): void => {
    restore(stdout);
    process.exit(signal === 'SIGTERM' ? 143 : 129);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  stdout.write(ALT_ON);
  try {
    for (;;) {
      let resized = (): void => {};
      const resize = new Promise<'resize'>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        // Debounced: dragging a window edge sends a burst of events; redraw once it settles.
        resized = () => {
          clearTimeout(timer);
          timer = setTimeout(() => resolve('resize'), 40);
        };
      });
      stdout.on('resize', resized);
      const app = render(<Replay data={data} init={init} colour={opts.colour} onState={onState} {...(last ? { start: last } : {})} />, {
        stdout,
        stdin,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 60,
        onRender: () => {
          if (first) {
            first = false;
            opts.onFirstFrame?.();
          }
        },
      });
      const outcome = await Promise.race([app.waitUntilExit(), resize]);
      stdout.off('resize', resized);
      if (outcome !== 'resize') return typeof outcome === 'number' ? outcome : 0;
      app.unmount();
      await app.waitUntilExit();
      stdout.write('\x1b[2J\x1b[H');
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    restore(stdout);
  }
}
