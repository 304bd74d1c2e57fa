/**
 * Closed-form checks of the bargaining core. Every expected value below is derived by hand in the comment
 * next to it; the code under test never computes its own expectation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bargainingSolutions,
  frontierSolutions,
  utilitarianPoint,
  continuousKalaiSmorodinsky,
  continuousNash,
  kalaiSmorodinskyPoint,
  nashPoint,
  nashProduct,
  paretoFrontier,
  rubinsteinFinite,
  rubinsteinShare,
  solveFiniteSpe,
  spaceFrontier,
  ContinuousFrontier,
  type FrontierPoint,
} from '../../src/negotiation/solutions.js';
import { enumerate, isFeasible } from '../../src/negotiation/outcome-space.js';
import { equilibrium } from '../../src/sim/strategies/equilibrium.js';
import { zeuthen } from '../../src/sim/strategies/zeuthen.js';
import type { OutcomeSpace, PartyIndex } from '../../src/negotiation/types.js';
import { UNIT_PIE, arbNegotiation, pieUtilities, prefs, real, run } from '../strategies/fixtures.js';

const pieParties = (d0: number, d1: number, r0 = 0, r1 = 0) =>
  [prefs(pieUtilities[0], r0, d0), prefs(pieUtilities[1], r1, d1)] as const;

function playEquilibrium(horizon: number, d0: number, d1: number, deadline: number, firstProposer: PartyIndex, r0 = 0, r1 = 0) {
  return run([equilibrium.create({ horizon }), equilibrium.create({ horizon })], {
    space: UNIT_PIE,
    parties: pieParties(d0, d1, r0, r1),
    deadline,
    firstProposer,
  });
}

describe('Rubinstein, infinite horizon', () => {
  // Stationary SPE: the proposer keeps x, the responder gets 1 - x = d2 * y (y: its own share when it
  // proposes), and 1 - y = d1 * x. Solving: x = (1 - d2) / (1 - d1 d2).
  // d1 = 0.9, d2 = 0.8: x = 0.2 / 0.28 = 5/7 = 0.714285714...
  it('closed form for d1 = 0.9, d2 = 0.8 is 5/7', () => {
    expect(rubinsteinShare(0.9, 0.8)).toBeCloseTo(5 / 7, 12);
    // Responder's view of the same game: it proposes second, so the first proposer's rival gets 1 - 5/7.
    expect(rubinsteinShare(0.8, 0.9)).toBeCloseTo(0.1 / 0.28, 12);
  });

  it('equilibrium agents agree on offer 0 at 5/7 (party 0 first) and 1 - 5/14 (party 1 first)', () => {
    const a = playEquilibrium(1, 0.9, 0.8, 10, 0);
    expect(a.reason).toBe('agreement');
    expect(a.step).toBe(0);
    expect(a.utilities[0]).toBeCloseTo(5 / 7, 6);
    // Party 1 proposes first with d = 0.8 against 0.9: it keeps (1 - 0.9) / (1 - 0.72) = 5/14.
    const b = playEquilibrium(1, 0.9, 0.8, 10, 1);
    expect(b.step).toBe(0);
    expect(b.utilities[1]).toBeCloseTo(5 / 14, 6);
  });

  it('matches (1 - d2) / (1 - d1 d2) for random discount pairs, agreeing on offer 0', () => {
    fc.assert(
      fc.property(
        real(0.05, 0.98),
        real(0.05, 0.98),
        fc.constantFrom<PartyIndex>(0, 1),
        (d0, d1, first) => {
          const r = playEquilibrium(1, d0, d1, 5, first);
          const [dp, dq] = first === 0 ? [d0, d1] : [d1, d0];
          expect(r.step).toBe(0);
          expect(r.reason).toBe('agreement');
          expect(r.utilities[first]).toBeCloseTo(rubinsteinShare(dp, dq), 6);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('Rubinstein, finite horizon', () => {
  // Last proposer takes all; on offer k the responder q accepts s >= d_q * x_(k+1), so the proposer keeps
  // x_k = 1 - d_q x_(k+1). With d0 = 0.9, d1 = 0.8 and party 0 first, proposers alternate 0, 1, 0, ...
  //   T=1: x0 = 1                                        -> [1, 0]
  //   T=2: x1 = 1 (party 1); x0 = 1 - 0.8*1 = 0.2          -> [0.2, 0.8]
  //   T=3: x2 = 1; x1 = 1 - 0.9 = 0.1; x0 = 1 - 0.8*0.1 = 0.92              -> [0.92, 0.08]
  //   T=4: x3 = 1; x2 = 0.2; x1 = 1 - 0.9*0.2 = 0.82; x0 = 1 - 0.8*0.82 = 0.344 -> [0.344, 0.656]
  //   T=5: x4 = 1; x3 = 0.1; x2 = 0.92; x1 = 1 - 0.9*0.92 = 0.172; x0 = 1 - 0.8*0.172 = 0.8624
  //   T=6: x5 = 1; x4 = 0.2; x3 = 0.82; x2 = 0.344; x1 = 1 - 0.9*0.344 = 0.6904; x0 = 1 - 0.8*0.6904 = 0.44768
  const party0First: ReadonlyArray<readonly [number, number]> = [
    [1, 0],
    [0.2, 0.8],
    [0.92, 0.08],
    [0.344, 0.656],
    [0.8624, 0.1376],
    [0.44768, 0.55232],
  ];
  // Party 1 first (its d = 0.8 as proposer, 0.9 for party 0 as responder): x_k = 1 - d_resp * x_(k+1).
  //   T=1: [0, 1]; T=2: party 1 keeps 1 - 0.9 = 0.1 -> [0.9, 0.1]; T=3: x1 (party 0) = 1 - 0.8 = 0.2,
  //   x0 = 1 - 0.9*0.2 = 0.82 -> [0.18, 0.82]; T=4: x2 = 0.1 -> x1 = 1 - 0.8*0.1 = 0.92 -> x0 = 1 - 0.9*0.92
  //   = 0.172 -> [0.828, 0.172].
  const party1First: ReadonlyArray<readonly [number, number]> = [
    [0, 1],
    [0.9, 0.1],
    [0.18, 0.82],
    [0.828, 0.172],
  ];

  it.each(party0First.map((s, i) => [i + 1, s] as const))('deadline %i, party 0 first: %j', (deadline, shares) => {
    const closed = rubinsteinFinite(0.9, 0.8, deadline, 0);
    expect(closed[0]).toBeCloseTo(shares[0], 12);
    expect(closed[1]).toBeCloseTo(shares[1], 12);
    const r = playEquilibrium(0, 0.9, 0.8, deadline, 0);
    expect(r.reason).toBe('agreement');
    expect(r.step).toBe(0);
    expect(r.utilities[0]).toBeCloseTo(shares[0], 6);
  });

  it.each(party1First.map((s, i) => [i + 1, s] as const))('deadline %i, party 1 first: %j', (deadline, shares) => {
    const closed = rubinsteinFinite(0.9, 0.8, deadline, 1);
    expect(closed[0]).toBeCloseTo(shares[0], 12);
    const r = playEquilibrium(0, 0.9, 0.8, deadline, 1);
    expect(r.step).toBe(0);
    expect(r.utilities[0]).toBeCloseTo(shares[0], 6);
  });

  it('converges to the infinite-horizon share as the deadline grows', () => {
    const [x] = rubinsteinFinite(0.9, 0.8, 401, 0);
    expect(x).toBeCloseTo(5 / 7, 10);
  });

  it('equilibrium agents reproduce the backward-induction split for random discounts and deadlines', () => {
    fc.assert(
      fc.property(
        real(0.05, 1),
        real(0.05, 1),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom<PartyIndex>(0, 1),
        (d0, d1, deadline, first) => {
          const r = playEquilibrium(0, d0, d1, deadline, first);
          expect(r.step).toBe(0);
          expect(r.utilities[0]).toBeCloseTo(rubinsteinFinite(d0, d1, deadline, first)[0], 6);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('counts undiscounted reservation values as the disagreement payoffs', () => {
    // Pie, d = 0.9 both, r = 0.3 both, T = 2, party 0 first. V(2) = (0.3, 0.3).
    // Offer 1 (party 1): party 0 must get 0.3 in present value, 0.3 / 0.9 = 1/3 undiscounted, so party 1
    // keeps 2/3, worth 0.9 * 2/3 = 0.6 > 0.3: V(1) = (0.3, 0.6).
    // Offer 0 (party 0): party 1 must get 0.6, so party 0 keeps 0.4 > 0.3. Agreement on offer 0 at x = 0.4.
    const r = playEquilibrium(0, 0.9, 0.9, 2, 0, 0.3, 0.3);
    expect(r.step).toBe(0);
    expect(r.utilities[0]).toBeCloseTo(0.4, 9);
    const spe = solveFiniteSpe(new ContinuousFrontier(
      [(x) => x, (x) => 1 - x], [1, -1], 0, 1), { discounts: [0.9, 0.9], reservations: [0.3, 0.3] }, 2, 0);
    expect(spe.values[0]).toBeCloseTo(0.4, 9);
    expect(spe.values[1]).toBeCloseTo(0.6, 9);
    expect(spe.steps[1]?.values[1]).toBeCloseTo(0.6, 9);
  });

  it('walks away at once when no split beats both outside options', () => {
    // r0 + r1 = 1.2 > 1: no agreement can satisfy both, so the first proposer ends.
    const r = playEquilibrium(0, 0.9, 0.9, 4, 0, 0.6, 0.6);
    expect(r.agreement).toBeNull();
    expect(r.payoffs).toEqual([0.6, 0.6]);
  });
});

describe('Nash and Kalai-Smorodinsky on one continuous issue', () => {
  // u0 = sqrt(x), u1 = 1 - x, d = (0, 0).
  // Nash: maximise sqrt(x)(1 - x); derivative (1 - x) / (2 sqrt x) - sqrt x = 0 => 1 - x = 2x => x = 1/3.
  // KS: ideal point (1, 1) (x = 1 and x = 0); equal normalised gains sqrt(x) = 1 - x. With s = sqrt x:
  // s^2 + s - 1 = 0 => s = (sqrt5 - 1)/2, x = s^2 = (3 - sqrt5)/2 = 0.381966...
  const sqrtPie = { u0: Math.sqrt, u1: (x: number) => 1 - x, lo: 0, hi: 1, disagreement: [0, 0] as const };

  it('Nash at x = 1/3', () => {
    expect(continuousNash(sqrtPie)?.x).toBeCloseTo(1 / 3, 6);
  });

  it('KS at x = (3 - sqrt 5) / 2', () => {
    expect(continuousKalaiSmorodinsky(sqrtPie)?.x).toBeCloseTo((3 - Math.sqrt(5)) / 2, 9);
  });

  it('u0 = x^2, u1 = 1 - x: Nash x = 2/3, KS x = (sqrt5 - 1)/2', () => {
    // Nash: d/dx x^2 (1 - x) = 2x - 3x^2 = 0 => x = 2/3. KS: ideal (1, 1), x^2 = 1 - x => x = (sqrt5 - 1)/2.
    const p = { u0: (x: number) => x * x, u1: (x: number) => 1 - x, lo: 0, hi: 1, disagreement: [0, 0] as const };
    expect(continuousNash(p)?.x).toBeCloseTo(2 / 3, 6);
    expect(continuousKalaiSmorodinsky(p)?.x).toBeCloseTo((Math.sqrt(5) - 1) / 2, 9);
  });

  it('linear pie with disagreement (0.2, 0.1): Nash = KS = 0.55', () => {
    // Rational x in [0.2, 0.9]. Nash: max (x - 0.2)(0.9 - x) at the midpoint 0.55. KS: ideal (0.9, 0.8),
    // (x - 0.2)/0.7 = (0.9 - x)/0.7 => x = 0.55.
    const p = { u0: (x: number) => x, u1: (x: number) => 1 - x, lo: 0, hi: 1, disagreement: [0.2, 0.1] as const };
    expect(continuousNash(p)?.x).toBeCloseTo(0.55, 6);
    expect(continuousKalaiSmorodinsky(p)?.x).toBeCloseTo(0.55, 9);
  });

  it('no solution when the outside options exceed the pie', () => {
    const p = { u0: (x: number) => x, u1: (x: number) => 1 - x, lo: 0, hi: 1, disagreement: [0.6, 0.6] as const };
    expect(continuousNash(p)).toBeNull();
    expect(continuousKalaiSmorodinsky(p)).toBeNull();
  });

  it('bargainingSolutions solves a continuous space exactly and respects the upper bound', () => {
    const parties = [prefs((o) => Math.sqrt(o[0] ?? 0)), prefs((o) => 1 - (o[0] ?? 0))] as const;
    const s = bargainingSolutions(UNIT_PIE, parties);
    expect(s.nash?.outcome[0]).toBeCloseTo(1 / 3, 6);
    expect(s.ks?.outcome[0]).toBeCloseTo((3 - Math.sqrt(5)) / 2, 9);
    // Bound x <= 0.25: party 0's ideal falls to sqrt(0.25) = 0.5; Nash is cut at the bound (the product
    // still rises there); KS: sqrt(x)/0.5 = (1 - x)/1 => 2s = 1 - s^2 => s = sqrt2 - 1, x = 3 - 2 sqrt2.
    const bounded: OutcomeSpace = { ...UNIT_PIE, upperBounds: [0.25] };
    const b = bargainingSolutions(bounded, parties);
    expect(b.nash?.outcome[0]).toBeCloseTo(0.25, 6);
    expect(b.ks?.outcome[0]).toBeCloseTo(3 - 2 * Math.SQRT2, 9);
  });
});

describe('Nash and Kalai-Smorodinsky on grids', () => {
  // The same sqrt pie on an 11-point grid x = 0, 0.1, ..., 1.
  // Nash products: x = 0.3: sqrt(0.3)*0.7 = 0.38341; x = 0.4: sqrt(0.4)*0.6 = 0.37947 => x = 0.3.
  // KS (ideal (1, 1)): min(sqrt x, 1 - x) is 0.5477 at 0.3 and 0.6 at 0.4, 0.5 at 0.5 => x = 0.4.
  const grid: OutcomeSpace = { issues: [{ name: 'x', unit: '', min: 0, max: 1, steps: 11 }] };
  const parties = [prefs((o) => Math.sqrt(o[0] ?? 0)), prefs((o) => 1 - (o[0] ?? 0))] as const;

  it('hand-computed grid points, within one grid step of the continuous answers', () => {
    const s = bargainingSolutions(grid, parties);
    expect(s.nash?.outcome[0]).toBeCloseTo(0.3, 12);
    expect(s.ks?.outcome[0]).toBeCloseTo(0.4, 12);
    expect(Math.abs((s.nash?.outcome[0] ?? NaN) - 1 / 3)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((s.ks?.outcome[0] ?? NaN) - (3 - Math.sqrt(5)) / 2)).toBeLessThanOrEqual(0.1);
  });

  it('Nash and KS on random spaces are optimal against brute force over every feasible outcome', () => {
    fc.assert(
      fc.property(arbNegotiation(), ({ space, parties }) => {
        const d = [parties[0].reservation, parties[1].reservation] as const;
        const s = bargainingSolutions(space, parties);
        const all = enumerate(space).outcomes.filter((o) => space.upperBounds === undefined || o.every((v, k) => v <= (space.upperBounds?.[k] ?? Infinity) + 1e-9));
        const products = all.map((o) => nashProduct([parties[0].utility(o), parties[1].utility(o)], d));
        const best = Math.max(-Infinity, ...products);
        if (best === -Infinity) {
          expect(s.nash).toBeNull();
          return;
        }
        expect(s.nash).not.toBeNull();
        if (s.nash === null) return;
        expect(nashProduct(s.nash.utilities, d)).toBeCloseTo(best, 12);
        expect(s.ks).not.toBeNull();
      }),
      { numRuns: 60 },
    );
  });
});

describe('Pareto frontier', () => {
  const dominates = (a: FrontierPoint, b: FrontierPoint) =>
    a.utilities[0] >= b.utilities[0] && a.utilities[1] >= b.utilities[1] && (a.utilities[0] > b.utilities[0] || a.utilities[1] > b.utilities[1]);
  // Small integer grids force ties and duplicates.
  const points: fc.Arbitrary<FrontierPoint[]> = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })), { maxLength: 80 })
    .map((pairs) => pairs.map(([a, b], i) => ({ outcome: [i], utilities: [a / 4, b / 4] as const })));

  it('no frontier point is dominated; every other point is dominated by or equal to a frontier point', () => {
    fc.assert(
      fc.property(points, (pts) => {
        const front = paretoFrontier(pts);
        for (const f of front) expect(pts.some((p) => dominates(p, f))).toBe(false);
        for (const p of pts) {
          if (front.includes(p)) continue;
          const covered = front.some((f) => dominates(f, p) || (f.utilities[0] === p.utilities[0] && f.utilities[1] === p.utilities[1]));
          expect(covered).toBe(true);
        }
        // Sorted by u0 descending with u1 strictly ascending (no duplicate utility pairs).
        for (let i = 1; i < front.length; i++) {
          expect(front[i]?.utilities[0]).toBeLessThan(front[i - 1]?.utilities[0] ?? NaN);
          expect(front[i]?.utilities[1]).toBeGreaterThan(front[i - 1]?.utilities[1] ?? NaN);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('spaceFrontier equals a sort-and-scan of every feasible outcome, ties to the first in enumeration order', () => {
    // Utilities rounded to a coarse grid force many ties and identical utility pairs.
    const coarse = (u: (o: readonly number[]) => number, q: number) => (o: readonly number[]) => Math.round(u(o) * q) / q;
    fc.assert(
      fc.property(arbNegotiation(), fc.constantFrom(0, 3, 20), ({ space, parties }, q) => {
        const u0 = q === 0 ? parties[0].utility : coarse(parties[0].utility, q);
        const u1 = q === 0 ? parties[1].utility : coarse(parties[1].utility, q);
        const feasible = enumerate(space).outcomes.filter((o) => isFeasible(space, o));
        const expected = paretoFrontier(feasible.map((o) => ({ outcome: o, utilities: [u0(o), u1(o)] as const })));
        const f = spaceFrontier(space, [u0, u1]);
        expect(f.points.map((p) => [p.outcome, p.utilities])).toEqual(expected.map((p) => [p.outcome, p.utilities]));
        expect(f.worst).toEqual(feasible.length === 0 ? null : [Math.min(...feasible.map(u0)), Math.min(...feasible.map(u1))]);
        // bestFor agrees with its definition on the brute-force points (a floor forgives 1e-12 relative).
        for (const floor of [-Infinity, ...expected.map((p) => p.utilities[1])]) {
          const ok = expected.filter((p) => p.utilities[1] >= floor - 1e-12 * Math.max(1, Math.abs(floor)));
          const best = ok.length === 0 ? null : ok.reduce((a, b) => (b.utilities[0] > a.utilities[0] ? b : a));
          expect(f.bestFor(0, floor)?.utilities ?? null).toEqual(best?.utilities ?? null);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('frontierSolutions picks the same points as nashPoint, kalaiSmorodinskyPoint and utilitarianPoint', () => {
    fc.assert(
      fc.property(arbNegotiation(), real(-0.5, 1), real(-0.5, 1), ({ space, parties }, d0, d1) => {
        const f = spaceFrontier(space, [parties[0].utility, parties[1].utility]);
        for (const d of [[d0, d1] as const, [parties[0].reservation, parties[1].reservation] as const]) {
          const s = frontierSolutions(f, d);
          expect(s.nash).toBe(nashPoint(f.points, d));
          expect(s.ks).toBe(kalaiSmorodinskyPoint(f.points, d));
          expect(s.utilitarian).toBe(utilitarianPoint(f.points, d));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('spaceFrontier keeps only feasible outcomes and is cached', () => {
    const space: OutcomeSpace = { issues: [{ name: 'x', unit: '', min: 0, max: 10, steps: 11 }], upperBounds: [6] };
    const f = spaceFrontier(space, pieUtilities);
    expect(f.points.map((p) => p.outcome[0])).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(spaceFrontier(space, pieUtilities)).toBe(f);
    expect(f.bestFor(0, -4)?.outcome[0]).toBe(5); // u1 = 1 - x >= -4 => x <= 5
    expect(f.bestFor(1, 3)?.outcome[0]).toBe(3); // u0 = x >= 3, best for party 1: smallest x
    expect(f.bestFor(0, 2)).toBeNull();
  });
});

describe('Zeuthen converges to the Nash point', () => {
  it('on the linear 11-point pie: 0.5', () => {
    const grid: OutcomeSpace = { issues: [{ name: 'x', unit: '', min: 0, max: 1, steps: 11 }] };
    const r = run([zeuthen.create({}), zeuthen.create({})], { space: grid, parties: pieParties(1, 1), deadline: 40 });
    expect(r.reason).toBe('agreement');
    expect(r.agreement?.[0]).toBeCloseTo(0.5, 12);
  });

  it('on random discrete spaces, to the maximal Nash product of the rational frontier', () => {
    fc.assert(
      fc.property(arbNegotiation({ discounts: false }), fc.constantFrom<PartyIndex>(0, 1), ({ space, parties }, first) => {
        const d = [parties[0].reservation, parties[1].reservation] as const;
        const frontier = spaceFrontier(space, [parties[0].utility, parties[1].utility]).points;
        const nash = nashPoint(frontier, d);
        const r = run([zeuthen.create({}), zeuthen.create({})], { space, parties, deadline: 2 * frontier.length + 4, firstProposer: first });
        if (nash === null) {
          expect(r.agreement).toBeNull();
          return;
        }
        expect(r.reason).toBe('agreement');
        expect(nashProduct(r.utilities, d)).toBeCloseTo(nashProduct(nash.utilities, d), 9);
        // The agreement is a frontier point.
        expect(frontier.some((p) => p.utilities[0] === r.utilities[0] && p.utilities[1] === r.utilities[1])).toBe(true);
        expect(kalaiSmorodinskyPoint(frontier, d)).not.toBeNull();
      }),
      { numRuns: 80 },
    );
  });
});
