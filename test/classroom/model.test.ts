/** The play screens' reducer: keys in, screen state and at most one move out. */
import { describe, expect, it } from 'vitest';
import type { Turn } from '../../src/classroom/human.js';
import { advance } from '../../src/classroom/session.js';
import { INITIAL, initialDraft, onTurn, reduce, reduceKeys, stepValue, type KeyPress, type UiState } from '../../src/classroom/ui/model.js';
import { session } from './helpers.js';

async function firstTurn(): Promise<Turn> {
  const st = advance(await session('gulf-compute-deal', 'ARE'));
  if (st.status !== 'awaiting') throw new Error('expected a turn');
  return st.turn;
}

function keys(ui: UiState, turn: Turn, ...ks: KeyPress[]): { ui: UiState; effects: unknown[] } {
  const effects: unknown[] = [];
  for (const k of ks) {
    const r = reduce(ui, k, turn);
    ui = r.state;
    if (r.effect) effects.push(r.effect);
  }
  return { ui, effects };
}
const K = {
  enter: { input: '', enter: true },
  up: { input: '', up: true },
  down: { input: '', down: true },
  left: { input: '', left: true },
  right: { input: '', right: true },
  esc: { input: '', escape: true },
  ch: (c: string): KeyPress => ({ input: c }),
};

describe('play screen reducer', () => {
  it('hand-over only in hot-seat play and only when the seat changes', async () => {
    const t = await firstTurn();
    expect(onTurn(INITIAL, t, true).screen).toBe('handover');
    expect(onTurn(INITIAL, t, false).screen).toBe('briefing');
    const playing: UiState = { ...INITIAL, seat: t.seat, screen: 'counter' };
    expect(onTurn(playing, t, true).screen).toBe('turn');
    const other = onTurn(playing, { ...t, seat: 'SAU' }, true);
    expect(other).toMatchObject({ screen: 'handover', seat: 'SAU', draft: [] });
  });

  it('opens the counter form with the best corner for the student, within this round\'s bounds', async () => {
    const t = await firstTurn();
    const d = initialDraft(t);
    // The package issues (chips follow from the package), each on its grid, and no worse for the student
    // than offering nothing.
    expect(t.issues.map((i) => i.name)).toEqual(['tariff', 'investment', 'purchases', 'security']);
    expect(d).toEqual([10, 0, 6.25, 1]);
    expect(t.own.utility(d)).toBeGreaterThanOrEqual(t.own.utility([0, 0, 0, 0]));
    const { ui } = keys({ ...INITIAL, seat: t.seat, screen: 'turn' }, t, K.ch('c'));
    expect(ui.screen).toBe('counter');
    expect(ui.draft).toEqual(d);
  });

  it('arrows move along the issue grid and never past the round\'s bound', async () => {
    const t = await firstTurn();
    const tariff = t.issues[0];
    if (!tariff) throw new Error('no tariff issue');
    const bound = t.upperBounds[0] ?? 0;
    expect(stepValue(tariff, bound, bound, 1)).toBe(bound);
    expect(stepValue(tariff, bound, bound, -1)).toBe(bound - 1);
    const start = { ...INITIAL, seat: t.seat, screen: 'counter' as const, draft: initialDraft(t) };
    const { ui } = keys(start, t, K.down, K.right, K.right, K.down, K.up, K.up, K.left);
    expect(ui.selected).toBe(0);
    expect(ui.draft[1]).toBeCloseTo(2 * (12.5 / 3), 12);
    expect(ui.draft[0]).toBe(bound - 1);
    expect(keys(start, t, K.up).ui.selected).toBe(t.issues.length - 1);
  });

  it('a typed value outside the budget or off the grid is explained, not sent', async () => {
    const t = await firstTurn();
    const start = { ...INITIAL, seat: t.seat, screen: 'counter' as const, draft: initialDraft(t) };
    const over = keys(start, t, K.ch('7'), K.ch('0'), K.enter, K.enter);
    expect(over.effects).toEqual([]);
    expect(over.ui.message).toMatch(/tariff must be between 0 and 10 percentage points; you asked for 70/);
    const off = keys(start, t, K.ch('2'), K.ch('.'), K.ch('5'), K.enter, K.enter);
    expect(off.ui.message).toMatch(/steps of 1 .*Nearest: 2/);
    const junk = keys(start, t, K.ch('-'), K.ch('.'), K.enter);
    expect(junk.ui.message).toMatch(/not a number/);
  });

  it('a value typed as the form shows it is the grid value it stands for (4.167 for 12.5/3)', async () => {
    const t = await firstTurn();
    const start = { ...INITIAL, seat: t.seat, screen: 'counter' as const, draft: initialDraft(t), selected: 1 };
    // The form shows the investment grid value 12.5/3 as "4.167"; typing what it shows must be accepted.
    for (const typed of ['4.167', '4.1667', '4.16667']) {
      const r = keys(start, t, ...[...typed].map(K.ch), K.enter);
      expect(r.ui.message, typed).toBeNull();
      expect(r.ui.draft[1], typed).toBe(12.5 / 3);
      const sent = keys(r.ui, t, K.enter);
      expect(sent.effects, typed).toEqual([{ kind: 'move', move: expect.objectContaining({ type: 'offer', outcome: [r.ui.draft[0], 12.5 / 3, r.ui.draft[2], r.ui.draft[3]] }) }]);
    }
    // Off the grid by more than the shown precision is still explained, with the nearest value.
    for (const typed of ['4.17', '4.2']) {
      const off = keys(start, t, ...[...typed].map(K.ch), K.enter, K.enter);
      expect(off.effects).toEqual([]);
      expect(off.ui.message).toContain(`${typed} is not one of them. Nearest: 4.167`);
    }
  });

  it('accepting asks for confirmation, as walking away does; n goes back, y accepts', async () => {
    const t = await firstTurn();
    const withOffer: Turn = { ...t, step: 1, lastOffer: { step: 0, by: (1 - t.self) as 0 | 1, outcome: initialDraft(t), utilities: [0.5, 0.5] } };
    const turn = { ...INITIAL, seat: t.seat, screen: 'turn' as const };
    const asked = keys(turn, withOffer, K.ch('a'));
    expect(asked.effects).toEqual([]);
    expect(asked.ui.screen).toBe('confirm-accept');
    expect(keys(asked.ui, withOffer, K.ch('n')).ui.screen).toBe('turn');
    expect(keys(asked.ui, withOffer, K.esc).effects).toEqual([]);
    expect(keys(asked.ui, withOffer, K.ch('y')).effects).toEqual([{ kind: 'move', move: { seat: 'ARE', type: 'accept', round: 1, step: 1 } }]);
  });

  it('sends a valid counter-offer as a move stamped with round and step', async () => {
    const t = await firstTurn();
    const { effects, ui } = keys({ ...INITIAL, seat: t.seat, screen: 'turn' }, t, K.ch('c'), K.down, K.right, K.enter);
    expect(effects).toEqual([{ kind: 'move', move: { seat: 'ARE', type: 'offer', round: 1, step: 0, outcome: [10, 12.5 / 3, 6.25, 1] } }]);
    expect(ui.screen).toBe('turn');
  });

  it('accept with nothing on the table, or repeat with no earlier offer, gets a message', async () => {
    const t = await firstTurn();
    const turn = { ...INITIAL, seat: t.seat, screen: 'turn' as const };
    expect(keys(turn, t, K.ch('a')).ui.message).toMatch(/no offer on the table/);
    expect(keys(turn, t, K.ch('r')).ui.message).toMatch(/not made an offer yet/);
  });

  it('walking away asks for confirmation; Esc goes back', async () => {
    const t = await firstTurn();
    const turn = { ...INITIAL, seat: t.seat, screen: 'turn' as const };
    const asked = keys(turn, t, K.ch('w'));
    expect(asked.ui.screen).toBe('confirm-walk');
    expect(keys(asked.ui, t, K.ch('n')).ui.screen).toBe('turn');
    expect(keys(asked.ui, t, K.ch('y')).effects).toEqual([{ kind: 'move', move: { seat: 'ARE', type: 'end', round: 1, step: 0 } }]);
    expect(keys({ ...turn, screen: 'counter', draft: initialDraft(t) }, t, K.esc).ui.screen).toBe('turn');
  });

  it('a burst of characters in one event is taken one key at a time, stopping at the first move', async () => {
    const t = await firstTurn();
    const r = reduceKeys({ ...INITIAL, seat: t.seat, screen: 'turn' }, { input: 'c5\r\rxyz' }, t);
    expect(r.effect).toEqual({ kind: 'move', move: { seat: 'ARE', type: 'offer', round: 1, step: 0, outcome: [5, 0, 6.25, 1] } });
    expect(r.state.typed).toBeNull();
  });
});
