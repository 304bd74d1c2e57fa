/**
 * Open the play screens on a terminal: the alternate screen (a hand-over leaves nothing of the previous
 * player's screen in the scrollback, and quitting gives the shell's screen back), restored on every way out.
 * Only the play command's TTY branch imports this module (Ink and React load lazily).
 */
import { render } from 'ink';
import { useColour } from '../../cli/io.js';
import { safeData, safeText } from '../../core/safe-text.js';
import { seatsOf, type LoadedExercise } from '../exercise.js';
import type { Move } from '../human.js';
import { roleOf, seatInfo, type SessionState } from '../session.js';
import { PlayApp, type SeatText } from './app.js';

const ALT_ON = '\x1b[?1049h\x1b[2J\x1b[H';
const ALT_OFF = '\x1b[?1049l';

export interface LaunchOptions {
  readonly ex: LoadedExercise;
  readonly seats: readonly string[];
  readonly players: Readonly<Record<string, string>>;
  readonly initial: SessionState;
  readonly play: (move: Move) => Promise<SessionState>;
  readonly finish: (state: Extract<SessionState, { status: 'finished' }>) => Promise<readonly string[]>;
}

export function seatTexts(ex: LoadedExercise, players: Readonly<Record<string, string>>): (id: string) => SeatText {
  return (id) => {
    const { role } = roleOf(ex, id);
    // Texts from the exercise file and names from the command line: no control characters on the screen.
    return safeData({ name: seatInfo(ex, id).name, player: players[id] ?? id, title: role.title, briefing: role.briefing, objectives: role.objectives }, { multiline: true });
  };
}

/** How the student left: finished, q (saved), or Ctrl-C (saved too; exit code 130). */
export function partyName(ex: LoadedExercise): (id: string) => string {
  const names = new Map(seatsOf(ex.scenario).map((s) => [s.id, safeText(`${s.name} (${s.id})`)]));
  return (id) => names.get(id) ?? safeText(id);
}

export async function launchPlay(opts: LaunchOptions): Promise<'finished' | 'quit' | 'interrupted'> {
  const stdout = process.stdout;
  let how: 'finished' | 'quit' | 'interrupted' = 'interrupted';
  stdout.write(ALT_ON);
  try {
    const app = render(
      <PlayApp
        title={safeText(opts.ex.exercise.title)}
        situation={safeText(opts.ex.exercise.situation, { multiline: true })}
        seat={seatTexts(opts.ex, opts.players)}
        nameOf={partyName(opts.ex)}
        hotSeat={opts.seats.length > 1}
        colour={useColour(stdout)}
        initial={opts.initial}
        play={opts.play}
        finish={async (done) => safeData(await opts.finish(done), { multiline: true })}
        onExit={(h) => {
          how = h;
        }}
      />,
      { exitOnCtrlC: true },
    );
    await app.waitUntilExit();
  } finally {
    stdout.write(ALT_OFF);
  }
  return how;
}
