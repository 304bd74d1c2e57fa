/** The human seat as a scripted strategy: replay, determinism, save/resume, what the student may see. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { ChipsResult } from '../../src/core/events.js';
import { AwaitingHuman, explainInvalid, scriptedHuman, type Move } from '../../src/classroom/human.js';
import { advance, sessionFile } from '../../src/classroom/session.js';
import { negotiate } from '../../src/negotiation/mechanism.js';
import type { NegotiationContext, Preferences } from '../../src/negotiation/types.js';
import { strategies } from '../../src/sim/strategies/index.js';
import { runChips } from '../../src/sim/run.js';
import { playOut, session, student } from './helpers.js';

const strip = (r: ChipsResult): unknown => JSON.parse(JSON.stringify({ ...r, tool: null }));

describe('classroom session', () => {
  it('stops at the student\'s first decision with their own view of the negotiation', async () => {
    const s = await session('gulf-compute-deal', 'ARE');
    const st = advance(s);
    expect(st.status).toBe('awaiting');
    if (st.status !== 'awaiting') return;
    const t = st.turn;
    expect(t.seat).toBe('ARE');
    expect(t.counterpart).toBe('USA');
    expect(t.context).toMatchObject({ round: 1, label: '2025Q1', parties: ['USA', 'ARE'] });
    expect(t.self).toBe(1);
    expect(t.step).toBe(0);
    expect(t.lastOffer).toBeUndefined();
    expect(t.issues.map((i) => i.name)).toEqual(['tariff', 'investment', 'purchases', 'security']);
    // Chips follow from the package: the turn says how many a package buys.
    expect(t.derived?.([10, 0, 0, 0]).chips).toBeGreaterThan(t.derived?.([0, 0, 0, 0]).chips ?? Infinity);
    // Complete information in this world: the exporter's preferences are known to the student.
    expect(t.opponent).toBeDefined();
  });

  it('shows nothing of the other side under private information', async () => {
    const s = await session('TEMPLATE', 'MID', {});
    const priv = { ...s, ex: { ...s.ex, scenario: { ...s.ex.scenario, negotiation: { ...s.ex.scenario.negotiation, information: 'private' as const } } } };
    const st = advance(priv);
    expect(st.status).toBe('awaiting');
    if (st.status === 'awaiting') {
      expect(st.turn.opponent).toBeUndefined();
      expect(st.turn.opponentScale).toBeUndefined();
    }
  });

  it('replays the same moves to the same state (determinism), and a saved session resumes there', async () => {
    const s = await session('gulf-compute-deal', 'ARE');
    const { session: done, states } = playOut(s);
    const last = states[states.length - 1];
    expect(last?.status).toBe('finished');
    // Resume from the middle: the move list alone rebuilds the state.
    const half = Math.floor(done.moves.length / 2);
    const mid = advance({ ...s, moves: done.moves.slice(0, half) });
    const again = advance({ ...s, moves: done.moves.slice(0, half) });
    expect(mid.status).toBe('awaiting');
    if (mid.status === 'awaiting' && again.status === 'awaiting') {
      expect(mid.turn.step).toBe(again.turn.step);
      expect(mid.turn.history).toEqual(again.turn.history);
    }
    const file = JSON.parse(JSON.stringify(sessionFile(done, true))) as { moves: Move[] };
    const resumed = advance({ ...s, moves: file.moves });
    expect(resumed.status).toBe('finished');
    if (resumed.status === 'finished' && last?.status === 'finished') expect(strip(resumed.result)).toEqual(strip(last.result));
  });

  it('records the student\'s moves in the result under the strategy name "human"', async () => {
    const { states } = playOut(await session('gulf-compute-deal', 'ARE'));
    const last = states[states.length - 1];
    if (last?.status !== 'finished') throw new Error('not finished');
    const negs = last.result.rounds.flatMap((r) => r.events).filter((e) => e.type === 'negotiation' && e.country === 'ARE');
    expect(negs.length).toBeGreaterThan(0);
    expect(negs.every((n) => n.type === 'negotiation' && n.strategies[1] === 'human')).toBe(true);
  });

  it('nobody in the seat = the computer run: seating a student changes only what the student does', async () => {
    const s = await session('gulf-compute-deal', 'ARE');
    const comp = runChips(s.ex.scenario, { seed: s.ex.seed });
    // The student copies the computer agent's moves in its seat: the run must come out the same.
    const neg = comp.rounds.flatMap((r) => r.events).find((e) => e.type === 'negotiation' && e.country === 'ARE');
    if (neg?.type !== 'negotiation') throw new Error('no ARE negotiation');
    const mine = neg.offers.filter((o) => o.by === 1);
    let k = 0;
    const { states } = playOut(s, (t) => {
      const at = { seat: t.seat, round: t.context.round, step: t.step };
      const o = mine[k++];
      // The event log shows the chips first; the student types the concessions.
      return o ? { ...at, type: 'offer', outcome: o.outcome.slice(1) } : { ...at, type: 'accept' };
    });
    const last = states[states.length - 1];
    if (last?.status !== 'finished') throw new Error('not finished');
    const strat = (r: ChipsResult): unknown => JSON.parse(JSON.stringify(r.rounds).replaceAll('"human"', '"conceder"'));
    expect(strat(last.result)).toEqual(strat(comp));
  });

  it('hot-seat: two students take turns in one run, each seat its own decisions', async () => {
    const { session: done, states } = playOut(await session('gulf-compute-deal', 'ARE,SAU'));
    const seats = new Set(done.moves.map((m) => m.seat));
    expect(seats).toEqual(new Set(['ARE', 'SAU']));
    expect(states.every((st) => st.status === 'finished' || ['ARE', 'SAU'].includes(st.turn.seat))).toBe(true);
  });

  it('a session file that does not fit the exercise is an input error naming the move, never a crash', async () => {
    const s = await session('gulf-compute-deal', 'ARE');
    const first = advance(s);
    if (first.status !== 'awaiting') throw new Error('expected a turn');
    const good = student(first.turn);
    expect(() => advance({ ...s, moves: [{ ...good, step: 3 }] })).toThrow(InputError);
    expect(() => advance({ ...s, moves: [{ ...good, seat: 'SAU' }] })).toThrow(/moves\[0\]|does not fit/);
    expect(() => advance({ ...s, moves: [{ ...good, type: 'offer', outcome: [1e9, 0, 0, 0] }] })).toThrow(/not allowed/);
    expect(() => advance({ ...s, moves: [{ ...good, type: 'accept' }] })).toThrow(/no offer on the table/);
  });
});

describe('scripted human against every registry strategy (conformance for the human seat)', () => {
  // A 2-issue toy negotiation: the scripted human must drive every strategy through the protocol without a
  // protocol error, and pause the run with a typed signal when it runs out of moves.
  const space = { issues: [{ name: 'x', unit: 'u', min: 0, max: 10, steps: 11 }, { name: 'y', unit: 'u', min: 0, max: 4, steps: 5 }] };
  const prefs: [Preferences, Preferences] = [
    { utility: (o) => ((o[0] ?? 0) + (o[1] ?? 0)) / 14, reservation: 0.1, discount: 0.95 },
    { utility: (o) => (20 - (o[0] ?? 0) - 2 * (o[1] ?? 0)) / 20, reservation: 0.1, discount: 0.95 },
  ];
  const ctx: NegotiationContext = { round: 1, label: 'toy', parties: ['H', 'C'] };
  it.each(Object.keys(strategies))('%s', (name) => {
    const strat = strategies[name];
    if (!strat) throw new Error(name);
    const moves: Move[] = [];
    for (let guard = 0; guard < 40; guard++) {
      const cursor = { next: 0 };
      const human = scriptedHuman({ seat: 'H', scales: () => [1, 1] }, moves, cursor);
      let draws = 0;
      try {
        const result = negotiate({
          space,
          parties: prefs,
          negotiators: [human.create({}, ctx), strat.create({}, ctx)],
          deadline: 12,
          firstProposer: 0,
          completeInformation: true,
          random: [() => 0.5, () => ((draws = (draws * 7 + 3) % 11), draws / 11)],
        });
        expect(cursor.next).toBe(moves.length);
        expect(['agreement', 'deadline', 'walkaway']).toContain(result.reason);
        return;
      } catch (e) {
        if (!(e instanceof AwaitingHuman)) throw e;
        const t = e.turn;
        const at = { seat: 'H', round: 1, step: t.step };
        // Ask for a lot, then concede one step of y per turn; accept when it beats walking away after step 6.
        if (t.lastOffer && t.step > 6 && explainInvalid(t, 'accept') === null) moves.push({ ...at, type: 'accept' });
        else if (t.step >= t.deadline) moves.push({ ...at, type: 'end' });
        else moves.push({ ...at, type: 'offer', outcome: [10, Math.max(0, 4 - Math.floor(t.step / 2))] });
      }
    }
    throw new Error('no end');
  });
});
