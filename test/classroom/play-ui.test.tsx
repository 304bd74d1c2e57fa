/** A whole exercise played through the Ink screens with scripted keys (ink-testing-library). */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { buildDebrief } from '../../src/classroom/debrief.js';
import { summaryLines } from '../../src/classroom/finish.js';
import type { Move } from '../../src/classroom/human.js';
import { advance, type Session, type SessionState } from '../../src/classroom/session.js';
import { PlayApp } from '../../src/classroom/ui/app.js';
import { partyName, seatTexts } from '../../src/classroom/ui/launch.js';
import { session } from './helpers.js';

const KEY = { enter: '\r', up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', esc: '\u001B' };

/** Wait until the screen satisfies `ok` (polling, never a fixed sleep); fails with the last frame. */
async function until(frame: () => string | undefined, ok: (f: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const f = frame() ?? '';
    if (ok(f)) return f;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${f}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function mount(s0: Session) {
  let s = s0;
  const moves: Move[] = [];
  let exited: string | null = null;
  const app = render(
    <PlayApp
      title={s.ex.exercise.title}
      situation={s.ex.exercise.situation}
      seat={seatTexts(s.ex, s.players)}
      nameOf={partyName(s.ex)}
      hotSeat={s.seats.length > 1}
      colour={false}
      initial={advance(s)}
      play={async (m) => {
        moves.push(m);
        s = { ...s, moves: [...s.moves, m] };
        return advance(s);
      }}
      finish={async (done: Extract<SessionState, { status: 'finished' }>) => summaryLines(buildDebrief(s, done.result))}
      onExit={(how) => {
        exited = how;
      }}
    />,
  );
  const frame = (): string => app.lastFrame() ?? '';
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) {
      app.stdin.write(k);
      // Let Ink handle each key before the next (as a person types).
      await new Promise((r) => setImmediate(r));
    }
  };
  return { app, frame, press, moves, exited: () => exited };
}

describe('play screens', () => {
  it('a student plays the Gulf exercise to the end with keys alone', async () => {
    const ui = mount({ ...(await session('gulf-compute-deal', 'ARE')), players: { ARE: 'Ann' } });
    await until(ui.frame, (f) => f.includes('The situation (public)') && f.includes('Your role: UAE negotiator'), 'the briefing');
    await ui.press(KEY.enter);
    await until(ui.frame, (f) => f.includes('No offer on the table yet: you open.'), 'the first turn');
    expect(ui.frame()).toMatch(/offer 1 of 20/);
    // Counter-offer: out of range first (explained), then a valid package with a 2-point tariff cut.
    await ui.press('c');
    await until(ui.frame, (f) => f.includes('> tariff'), 'the counter form');
    await ui.press('9', '9', KEY.enter, KEY.enter);
    await until(ui.frame, (f) => f.includes('tariff must be between 0 and 10'), 'the range explanation');
    await ui.press('2', KEY.enter);
    const form = await until(ui.frame, (f) => /> tariff\s+<\s+2 >/.test(f), 'tariff at 2');
    expect(form).toMatch(/Value to you if accepted now: \$\d+\.\d\dbn/);
    // Chips are not typed: the form says how many the package buys.
    expect(form).toMatch(/This package buys [\d,]+ chips a quarter/);
    await ui.press(KEY.enter);
    await until(ui.frame, (f) => f.includes('Offer on the table from United States (USA)'), 'the counter-offer from USA');
    expect(ui.moves[0]).toMatchObject({ type: 'offer', outcome: [2, 0, 6.25, 1], step: 0 });
    // Reject by repeating, then accept.
    await ui.press('r');
    await until(ui.frame, (f) => / 3\. you /.test(f) && f.includes('offer 5 of 20'), 'the repeated offer');
    // Accepting ends the negotiation: it asks first (n goes back), as walking away does.
    await ui.press('a');
    await until(ui.frame, (f) => /Accept tariff 10, investment 12\.5/.test(f) && /and end this negotiation \(worth\s+\$\d+\.\d\dbn to you\)\? y = yes, n = no/.test(f), 'the accept confirmation');
    await ui.press('n');
    await until(ui.frame, (f) => f.includes('[a] accept'), 'back to the turn');
    expect(ui.moves).toHaveLength(2);
    await ui.press('a', 'y');
    await until(ui.frame, (f) => f.includes('The exercise is over.') && f.includes('The computer agent in your seat'), 'the end screen');
    expect(ui.frame()).toMatch(/Ann\): your negotiations were worth \$\d/);
    await ui.press(KEY.enter);
    expect(ui.exited()).toBe('finished');
    expect(ui.moves.map((m) => m.type)).toEqual(['offer', 'offer', 'accept']);
    ui.app.unmount();
  });

  it('hot-seat: a hand-over screen hides the previous player\'s briefing', async () => {
    const ui = mount({ ...(await session('gulf-compute-deal', 'ARE,SAU')), players: { ARE: 'Ann', SAU: 'Bo' } });
    await until(ui.frame, (f) => f.includes('Hand-over') && f.includes('Next to play: Ann as United Arab Emirates'), 'the first hand-over');
    expect(ui.frame()).not.toMatch(/Your role/);
    await ui.press(KEY.enter, KEY.enter);
    await until(ui.frame, (f) => f.includes('you open'), 'Ann\'s turn');
    // Ann walks away (confirmed): the next decision is Bo's, behind a hand-over.
    await ui.press('w');
    await until(ui.frame, (f) => f.includes('Walk away and end this negotiation'), 'the confirmation');
    await ui.press('y');
    const hand = await until(ui.frame, (f) => f.includes('Next to play: Bo as Saudi Arabia'), 'the hand-over to Bo');
    expect(hand).not.toMatch(/UAE negotiator|125,000 H100e/);
    await ui.press(KEY.enter);
    const brief = await until(ui.frame, (f) => f.includes('Your role: Saudi negotiator'), 'Bo\'s briefing');
    expect(brief).not.toMatch(/UAE negotiator/);
    ui.app.unmount();
  });

  it('q saves and quits mid-game', async () => {
    const ui = mount(await session('gulf-compute-deal', 'ARE'));
    await until(ui.frame, (f) => f.includes('The situation'), 'the briefing');
    await ui.press(KEY.enter);
    await until(ui.frame, (f) => f.includes('you open'), 'the first turn');
    await ui.press('q');
    expect(ui.exited()).toBe('quit');
    ui.app.unmount();
  });
});
