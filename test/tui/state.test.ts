/** The replay reducer, without React: unit cases and a model-based test of the timeline commands. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyAction } from '../../src/tui/keymap.js';
import { initialState, reduce, searchEntities, SPEEDS, tickInterval, type Action, type ReplayState } from '../../src/tui/state.js';

const entities = [
  { id: 'ARE', name: 'United Arab Emirates' },
  { id: 'IND', name: 'India' },
  { id: 'SAU', name: 'Saudi Arabia' },
];
const make = (frames: number): ReplayState => initialState({ frames, entities, views: ['round', 'negotiation', 'report'] });
const run = (s: ReplayState, actions: readonly Action[]): ReplayState => actions.reduce(reduce, s);
const key = (input: string, k: Record<string, boolean> = {}): Action => ({ type: 'key', input, key: k });

describe('replay reducer', () => {
  it('steps, clamps at both ends, jumps and goes to start and end', () => {
    let s = make(5);
    s = run(s, [{ type: 'step', by: -1 }]);
    expect(s.cursor).toBe(0);
    s = run(s, [{ type: 'step', by: 1 }, { type: 'step', by: 1 }]);
    expect(s.cursor).toBe(2);
    expect(run(s, [{ type: 'end' }]).cursor).toBe(4);
    expect(run(s, [{ type: 'end' }, { type: 'step', by: 1 }]).cursor).toBe(4);
    expect(run(s, [{ type: 'start' }]).cursor).toBe(0);
    expect(run(s, [{ type: 'jump', to: 99 }]).cursor).toBe(4);
    expect(run(s, [{ type: 'jump', to: -3 }]).cursor).toBe(0);
  });

  it('plays to the end and stops; playing from the end starts over', () => {
    let s = run(make(3), [{ type: 'toggle-play' }]);
    expect(s.playing).toBe(true);
    s = run(s, [{ type: 'tick' }]);
    expect(s.cursor).toBe(1);
    s = run(s, [{ type: 'tick' }]);
    expect(s).toMatchObject({ cursor: 2, playing: false });
    s = run(s, [{ type: 'tick' }]);
    expect(s.cursor).toBe(2);
    s = run(s, [{ type: 'toggle-play' }]);
    expect(s).toMatchObject({ cursor: 0, playing: true });
    expect(run(s, [{ type: 'step', by: 1 }]).playing).toBe(false);
  });

  it('changes speed within bounds, and the tick interval follows', () => {
    const slow = run(make(3), Array<Action>(20).fill({ type: 'speed', by: -1 }));
    const fast = run(make(3), Array<Action>(20).fill({ type: 'speed', by: 1 }));
    expect(slow.speed).toBe(0);
    expect(fast.speed).toBe(SPEEDS.length - 1);
    expect(tickInterval(fast)).toBeLessThan(tickInterval(slow));
    expect(1000 / tickInterval(fast)).toBeGreaterThanOrEqual(30);
  });

  it('selects countries cyclically and searches by code or name', () => {
    expect(run(make(2), [{ type: 'select', by: -1 }]).selected).toBe(2);
    expect(searchEntities(entities, 'sa')).toEqual([2]);
    expect(searchEntities(entities, 'arab')).toEqual([0, 2]);
    const s = run(make(2), [key('/'), key('i'), key('n'), key('d')]);
    expect(s.input).toEqual({ kind: 'search', text: 'ind' });
    expect(s.selected).toBe(1);
    expect(run(s, [key('', { return: true })])).toMatchObject({ input: null, selected: 1 });
    const miss = run(make(2), [key('/'), key('z'), key('z'), key('', { return: true })]);
    expect(miss).toMatchObject({ input: null, selected: 0, note: 'no country matches "zz"' });
  });

  it('goes to a typed round, rejects one out of range, and esc cancels', () => {
    const s = run(make(12), [key(':'), key('1'), key('x'), key('0'), key('', { return: true })]);
    expect(s).toMatchObject({ cursor: 9, input: null });
    expect(run(make(12), [key(':'), key('1'), key('3'), key('', { return: true })])).toMatchObject({ cursor: 0, note: 'no round "13" (1-12)' });
    expect(run(make(12), [key(':'), key('5'), key('', { escape: true })])).toMatchObject({ cursor: 0, input: null });
    expect(run(make(12), [key(':'), key('5'), key('', { backspace: true })]).input).toEqual({ kind: 'goto', text: '' });
  });

  it('applies keys that arrive together one by one (none is dropped)', () => {
    expect(run(make(12), [key('lll')]).cursor).toBe(3);
    expect(run(make(12), [key('\t\t')]).view).toBe('report');
    expect(run(make(12), [key(':7\r')])).toMatchObject({ cursor: 6, input: null });
  });

  it('maps every footer key', () => {
    const s = make(12);
    expect(keyAction(s, ' ', {})).toEqual({ type: 'toggle-play' });
    expect(keyAction(s, '', { rightArrow: true })).toEqual({ type: 'step', by: 1 });
    expect(keyAction(s, 'l', {})).toEqual({ type: 'step', by: 1 });
    expect(keyAction(s, '', { leftArrow: true })).toEqual({ type: 'step', by: -1 });
    expect(keyAction(s, 'h', {})).toEqual({ type: 'step', by: -1 });
    expect(keyAction(s, 'g', {})).toEqual({ type: 'start' });
    expect(keyAction(s, '', { home: true })).toEqual({ type: 'start' });
    expect(keyAction(s, 'G', { shift: true })).toEqual({ type: 'end' });
    expect(keyAction(s, '', { end: true })).toEqual({ type: 'end' });
    expect(keyAction(s, '+', {})).toEqual({ type: 'speed', by: 1 });
    expect(keyAction(s, '-', {})).toEqual({ type: 'speed', by: -1 });
    expect(keyAction(s, ':', {})).toEqual({ type: 'input-open', kind: 'goto' });
    expect(keyAction(s, '', { upArrow: true })).toEqual({ type: 'select', by: -1 });
    expect(keyAction(s, '', { downArrow: true })).toEqual({ type: 'select', by: 1 });
    expect(keyAction(s, '/', {})).toEqual({ type: 'input-open', kind: 'search' });
    expect(keyAction(s, '', { tab: true })).toEqual({ type: 'next-view', by: 1 });
    expect(keyAction(s, '', { tab: true, shift: true })).toEqual({ type: 'next-view', by: -1 });
    expect(keyAction(s, '?', {})).toEqual({ type: 'help' });
    expect(keyAction(s, 'q', {})).toEqual({ type: 'quit', how: 'quit' });
    expect(keyAction(s, 'c', { ctrl: true })).toEqual({ type: 'quit', how: 'interrupt' });
    expect(keyAction(s, 'r', {})).toBeNull();
    expect(keyAction({ ...s, regimes: 3 }, 'r', {})).toEqual({ type: 'next-regime' });
  });
});

/** The model: just a cursor, a playing flag and a speed, with the obvious semantics. */
interface Model {
  cursor: number;
  playing: boolean;
  speed: number;
  readonly frames: number;
}
type Real = { s: ReplayState };

/** step and speed: a move by +1 or -1 of the cursor or the speed, clamped, as the model says. */
class Move implements fc.Command<Model, Real> {
  readonly what: 'step' | 'speed';
  readonly by: 1 | -1;
  constructor(what: 'step' | 'speed', by: 1 | -1) {
    this.what = what;
    this.by = by;
  }
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    r.s = reduce(r.s, { type: this.what, by: this.by });
    if (this.what === 'step') {
      m.cursor = Math.min(m.frames - 1, Math.max(0, m.cursor + this.by));
      m.playing = false;
    } else m.speed = Math.min(SPEEDS.length - 1, Math.max(0, m.speed + this.by));
    expect(r.s).toMatchObject(m);
  }
  toString = (): string => `${this.what}(${this.by})`;
}
class Jump implements fc.Command<Model, Real> {
  readonly to: number;
  constructor(to: number) {
    this.to = to;
  }
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    r.s = reduce(r.s, { type: 'jump', to: this.to });
    m.cursor = Math.min(m.frames - 1, Math.max(0, this.to));
    m.playing = false;
    expect(r.s).toMatchObject(m);
  }
  toString = (): string => `jump(${this.to})`;
}
class Play implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    r.s = reduce(r.s, { type: 'toggle-play' });
    if (m.playing) m.playing = false;
    else {
      if (m.cursor >= m.frames - 1) m.cursor = 0;
      m.playing = m.frames > 1;
    }
    expect(r.s).toMatchObject(m);
  }
  toString = (): string => 'play';
}
class Tick implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    r.s = reduce(r.s, { type: 'tick' });
    if (m.playing) {
      m.cursor = Math.min(m.frames - 1, m.cursor + 1);
      if (m.cursor === m.frames - 1) m.playing = false;
    }
    expect(r.s).toMatchObject(m);
  }
  toString = (): string => 'tick';
}
const commands = [
  fc.constantFrom(1 as const, -1 as const).map((by) => new Move('step', by)),
  fc.integer({ min: -5, max: 60 }).map((to) => new Jump(to)),
  fc.constant(new Play()),
  fc.constant(new Tick()),
  fc.constantFrom(1 as const, -1 as const).map((by) => new Move('speed', by)),
];

describe('replay reducer against a model', () => {
  it('agrees with the model on any sequence of step, back, jump, play, tick and speed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.commands(commands, { maxCommands: 60 }), (frames, cmds) => {
        const s = make(frames);
        fc.modelRun(() => ({ model: { cursor: s.cursor, playing: s.playing, speed: s.speed, frames }, real: { s } }), cmds);
      }),
      { numRuns: 200 },
    );
  });

  const states = fc
    .record({ frames: fc.integer({ min: 1, max: 40 }), actions: fc.array(fc.oneof(...commands.map((c) => c.map((x) => x))), { maxLength: 30 }) })
    .map(({ frames, actions }) => {
      const real = { s: make(frames) };
      const model = { cursor: 0, playing: false, speed: real.s.speed, frames };
      for (const a of actions) a.run(model, real);
      return real.s;
    });

  it('keeps the cursor in range', () => {
    fc.assert(
      fc.property(states, fc.array(fc.constantFrom<Action>({ type: 'step', by: 1 }, { type: 'step', by: -1 }, { type: 'tick' }, { type: 'end' }, { type: 'start' }, { type: 'toggle-play' })), (s, more) => {
        const t = run(s, more);
        expect(t.cursor).toBeGreaterThanOrEqual(0);
        expect(t.cursor).toBeLessThan(t.frames);
      }),
      { numRuns: 200 },
    );
  });

  it('step forward then back is the identity (away from the last frame, once paused)', () => {
    fc.assert(
      fc.property(states, (s0) => {
        const s = { ...s0, playing: false };
        fc.pre(s.cursor < s.frames - 1);
        expect(run(s, [{ type: 'step', by: 1 }, { type: 'step', by: -1 }])).toEqual(s);
      }),
      { numRuns: 200 },
    );
  });

  it('jumping to the end equals stepping to the end', () => {
    fc.assert(
      fc.property(states, (s) => {
        const stepped = run(s, Array<Action>(s.frames).fill({ type: 'step', by: 1 }));
        expect(run(s, [{ type: 'end' }])).toEqual(stepped);
        expect(run(s, [{ type: 'jump', to: s.frames - 1 }])).toEqual(stepped);
      }),
      { numRuns: 200 },
    );
  });
});
