import { describe, expect, it } from 'vitest';
import { ProtocolError, meetsReservation, negotiate } from '../../src/negotiation/mechanism.js';
import { offerIndex } from '../../src/negotiation/offer-index.js';
import type { Action, NegotiationView, Outcome, OutcomeSpace } from '../../src/negotiation/types.js';
import { UNIT_PIE, pieUtilities, prefs, reactive, run, scripted } from '../strategies/fixtures.js';

const offer = (...outcome: number[]): Action => ({ type: 'offer', outcome });
const ACCEPT: Action = { type: 'accept' };
const END: Action = { type: 'end' };
const GRID: OutcomeSpace = { issues: [{ name: 'x', unit: 'share', min: 0, max: 1, steps: 11 }], upperBounds: [0.8] };
const pie = (d0 = 1, d1 = 1, r0 = 0, r1 = 0) => [prefs(pieUtilities[0], r0, d0), prefs(pieUtilities[1], r1, d1)] as const;

describe('alternating offers', () => {
  it('discounts an agreement on offer k by d^k for each party', () => {
    // Offer 0 by party 0: x = 0.6; offer 1 by party 1: x = 0.3; party 0 accepts offer 1 at step 2.
    const r = run([scripted([offer(0.6), ACCEPT]), scripted([offer(0.3)])], { space: UNIT_PIE, parties: pie(0.9, 0.5), deadline: 10 });
    expect(r.reason).toBe('agreement');
    expect(r.step).toBe(1);
    expect(r.agreement).toEqual([0.3]);
    expect(r.utilities).toEqual([0.3, 0.7]);
    expect(r.payoffs[0]).toBeCloseTo(0.3 * 0.9, 15);
    expect(r.payoffs[1]).toBeCloseTo(0.7 * 0.5, 15);
    expect(r.offers.map((o) => [o.step, o.by, o.outcome[0]])).toEqual([
      [0, 0, 0.6],
      [1, 1, 0.3],
    ]);
  });

  it('lets party 1 open when it is the first proposer', () => {
    const r = run([scripted([ACCEPT]), scripted([offer(0.25)])], { space: UNIT_PIE, parties: pie(), deadline: 3, firstProposer: 1 });
    expect(r.offers[0]?.by).toBe(1);
    expect(r.step).toBe(0);
    expect(r.payoffs).toEqual([0.25, 0.75]);
  });

  it('after the last offer the responder may only accept: a counter-offer is the deadline', () => {
    // deadline 2: offers at steps 0 and 1; party 0 moves at step 2 and can only accept or not.
    const parties = pie(1, 1, 0.1, 0.2);
    const rejected = run([scripted([offer(0.6), offer(0.6)]), scripted([offer(0.4)])], { space: UNIT_PIE, parties, deadline: 2 });
    expect(rejected.reason).toBe('deadline');
    expect(rejected.agreement).toBeNull();
    expect(rejected.step).toBe(2);
    expect(rejected.payoffs).toEqual([0.1, 0.2]);
    expect(rejected.offers).toHaveLength(2);
    const accepted = run([scripted([offer(0.6), ACCEPT]), scripted([offer(0.4)])], { space: UNIT_PIE, parties, deadline: 2 });
    expect(accepted.reason).toBe('agreement');
    expect(accepted.step).toBe(1);
  });

  it('reservation values are paid undiscounted when there is no agreement', () => {
    const r = run([scripted([offer(0.6), END]), scripted([offer(0.4)])], { space: UNIT_PIE, parties: pie(0.5, 0.5, 0.3, 0.2), deadline: 10 });
    expect(r.reason).toBe('walkaway');
    expect(r.step).toBe(2);
    expect(r.payoffs).toEqual([0.3, 0.2]);
    expect(r.utilities).toEqual([0.3, 0.2]);
  });

  it('ending before any offer is a walkaway at step 0; a zero deadline ends at once', () => {
    const walk = run([scripted([END]), scripted([])], { space: UNIT_PIE, parties: pie(), deadline: 5 });
    expect([walk.reason, walk.step, walk.offers.length]).toEqual(['walkaway', 0, 0]);
    const none = run([scripted([offer(0.5)]), scripted([])], { space: UNIT_PIE, parties: pie(), deadline: 0 });
    expect([none.reason, none.step, none.offers.length]).toEqual(['deadline', 0, 0]);
  });

  it('record: false keeps offers out of the result but strategies still see the history', () => {
    const a = scripted([offer(0.9), offer(0.8), ACCEPT]);
    const b = scripted([offer(0.1), offer(0.2)]);
    const r = run([a, b], { space: UNIT_PIE, parties: pie(), deadline: 10, record: false });
    expect(r.offers).toEqual([]);
    expect(r.step).toBe(3);
    expect(a.views[2]?.history).toHaveLength(4);
    expect(a.views[2]?.lastOffer?.outcome).toEqual([0.2]);
  });
});

describe('views', () => {
  it('are fresh per turn, show the mover its own side and the opponent only under complete information', () => {
    const a = scripted([offer(0.9), END]);
    const b = scripted([offer(0.1)]);
    const parties = pie(0.9, 0.8, 0.1, 0.2);
    run([a, b], { space: UNIT_PIE, parties, deadline: 10, completeInformation: false });
    const [first, third] = a.views;
    const second = b.views[0] as NegotiationView;
    expect(first).not.toBe(third);
    expect(first?.step).toBe(0);
    expect(first?.self).toBe(0);
    expect(first?.own).toBe(parties[0]);
    expect(first?.opponent).toBeUndefined();
    expect(first?.lastOffer).toBeUndefined();
    expect(second.self).toBe(1);
    expect(second.step).toBe(1);
    expect(second.lastOffer?.by).toBe(0);
    expect(third?.step).toBe(2);
    expect(third?.lastOffer?.by).toBe(1);
    expect(third?.deadline).toBe(10);
    const c = scripted([END]);
    run([c, scripted([])], { space: UNIT_PIE, parties, deadline: 10, completeInformation: true });
    expect(c.views[0]?.opponent).toBe(parties[1]);
  });

  it('hand each party its own random stream', () => {
    const seen: number[][] = [[], []];
    const draw = (view: NegotiationView): Action => {
      seen[view.self]?.push(view.random());
      return view.step < 3 ? offer(0.5) : END;
    };
    run([reactive('a', draw), reactive('b', draw)], { space: UNIT_PIE, parties: pie(), deadline: 10, seed: 's' });
    const again: number[][] = [[], []];
    run(
      [
        reactive('a', (v) => {
          again[0]?.push(v.random());
          return v.step < 3 ? offer(0.5) : END;
        }),
        reactive('b', (v) => {
          again[1]?.push(v.random());
          return v.step < 3 ? offer(0.5) : END;
        }),
      ],
      { space: UNIT_PIE, parties: pie(), deadline: 10, seed: 's' },
    );
    expect(seen).toEqual(again);
    expect(seen[0]?.[0]).not.toBe(seen[1]?.[0]);
  });
});

describe('protocol guards', () => {
  const bad: ReadonlyArray<readonly [string, Outcome | unknown, RegExp]> = [
    ['wrong length', [0.5, 0.5], /2 values for 1 issues/],
    ['NaN', [Number.NaN], /non-finite/],
    ['not an array', 0.5, /not an array/],
    ['below the range', [-0.1], /outside/],
    ['above the upper bound', [0.9], /upper bound/],
    ['off the grid', [0.55], /grid/],
  ];
  it.each(bad)('an offer %s throws a ProtocolError naming the strategy', (_name, outcome, message) => {
    const culprit = reactive('sloppy', () => ({ type: 'offer', outcome }) as Action);
    const attempt = () => run([culprit, scripted([])], { space: GRID, parties: pie(), deadline: 5 });
    expect(attempt).toThrow(ProtocolError);
    expect(attempt).toThrow(/sloppy \(party 0\) at step 0/);
    expect(attempt).toThrow(message);
  });

  it('rejects an enumerated outcome that the bounds of this negotiation exclude (no table shortcut)', () => {
    // The index over the unbounded grid hands out x = 1; the same grid bounded at 0.8 must refuse it, even
    // with the grid's utility tables and outcome objects already in the caches.
    const unbounded: OutcomeSpace = { issues: GRID.issues };
    const parties = pie();
    const top = offerIndex(unbounded, parties[0].utility).best;
    offerIndex(unbounded, parties[1].utility);
    offerIndex(GRID, parties[0].utility);
    offerIndex(GRID, parties[1].utility);
    expect(top?.outcome).toEqual([1]);
    const culprit = reactive('greedy', () => top?.action ?? END);
    expect(() => run([culprit, scripted([])], { space: GRID, parties, deadline: 5 })).toThrow(/exceeds its upper bound/);
    // Within the bounds the same path records the utilities of the outcome.
    const fine = offerIndex(GRID, parties[0].utility).best;
    const r = run([reactive('fine', () => fine?.action ?? END), scripted([ACCEPT])], { space: GRID, parties, deadline: 5 });
    expect(r.agreement).toEqual([0.8]);
    expect(r.utilities).toEqual([parties[0].utility([0.8]), parties[1].utility([0.8])]);
  });

  it('rejects accepting with nothing on the table', () => {
    expect(() => run([scripted([ACCEPT]), scripted([])], { space: UNIT_PIE, parties: pie(), deadline: 5 })).toThrow(/no offer on the table/);
  });

  it('rejects accepting below the discounted reservation value', () => {
    // Party 1 accepts x = 0.5 (worth 0.5 to it) at step 0 with reservation 0.6.
    const attempt = () => run([scripted([offer(0.5)]), scripted([ACCEPT])], { space: UNIT_PIE, parties: pie(1, 1, 0, 0.6), deadline: 5 });
    expect(attempt).toThrow(/below its reservation value 0.6/);
    // Discounting counts: 0.7 on offer 2 at d = 0.8 is worth 0.448 < 0.6.
    const late = () =>
      run([scripted([offer(0.9), offer(0.3)]), scripted([offer(0.1), ACCEPT])], { space: UNIT_PIE, parties: pie(1, 0.8, 0, 0.6), deadline: 5 });
    expect(late).toThrow(ProtocolError);
  });

  it('rejects non-actions and unknown action types', () => {
    const nothing = reactive('void', () => undefined as unknown as Action);
    expect(() => run([nothing, scripted([])], { space: UNIT_PIE, parties: pie(), deadline: 5 })).toThrow(/instead of an action/);
    const odd = reactive('odd', () => ({ type: 'haggle' }) as unknown as Action);
    expect(() => run([odd, scripted([])], { space: UNIT_PIE, parties: pie(), deadline: 5 })).toThrow(/unknown action/);
  });

  it('rejects a bad setup', () => {
    const base = { space: UNIT_PIE, parties: pie(), negotiators: [scripted([]), scripted([])] as const, firstProposer: 0 as const, completeInformation: true, random: [() => 0, () => 0] as const };
    expect(() => negotiate({ ...base, deadline: -1 })).toThrow(/deadline/);
    expect(() => negotiate({ ...base, deadline: 3, parties: pie(0) })).toThrow(/discount/);
    expect(() => negotiate({ ...base, deadline: 3, space: { issues: [{ name: 'x', unit: '', min: 1, max: 0 }] } })).toThrow(/invalid range/);
  });

  it('meetsReservation forgives rounding only', () => {
    expect(meetsReservation(0.3 - 1e-15, 0.3)).toBe(true);
    expect(meetsReservation(0.3 - 1e-6, 0.3)).toBe(false);
  });
});
