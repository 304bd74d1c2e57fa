import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offerIndex, type IndexedOffer } from '../../src/negotiation/offer-index.js';
import { enumerate, isFeasible } from '../../src/negotiation/outcome-space.js';
import type { OutcomeSpace, UtilityFn } from '../../src/negotiation/types.js';
import { UNIT_PIE, arbNegotiation, real } from '../strategies/fixtures.js';

describe('offer index on discrete spaces', () => {
  it('answers at-least and closest queries like a brute-force scan of the feasible outcomes', () => {
    fc.assert(
      fc.property(arbNegotiation(), fc.array(real(-0.5, 1.5), { minLength: 5, maxLength: 5 }), ({ space, parties }, targets) => {
        const u = parties[0].utility;
        const index = offerIndex(space, u);
        const feasible = enumerate(space).outcomes.filter((o) => isFeasible(space, o));
        const utils = feasible.map(u);
        expect(index.size).toBe(feasible.length);
        if (feasible.length === 0) {
          expect(index.best).toBeUndefined();
          return;
        }
        expect(index.best?.utility).toBe(Math.max(...utils));
        expect(index.worst?.utility).toBe(Math.min(...utils));
        for (const t of targets) {
          // atLeast forgives rounding: a utility within 1e-12 (relative) below the target still counts.
          const above = utils.filter((x) => x >= t - 1e-12 * Math.max(1, Math.abs(t)));
          const want = above.length > 0 ? Math.min(...above) : undefined;
          expect(index.atLeast(t)?.utility).toBe(want);
          const c = index.closest(t) as IndexedOffer;
          expect(Math.abs(c.utility - t)).toBeCloseTo(Math.min(...utils.map((x) => Math.abs(x - t))), 12);
          expect(isFeasible(space, c.outcome)).toBe(true);
          expect(c.utility).toBe(u(c.outcome));
        }
      }),
      { numRuns: 80 },
    );
  });

  it('is built once per utility function and grid, and per bound vector', () => {
    const u: UtilityFn = (o) => (o[0] ?? 0) + (o[1] ?? 0);
    const issues = [
      { name: 'a', unit: '', min: 0, max: 4, steps: 5 },
      { name: 'b', unit: '', min: 0, max: 4, steps: 5 },
    ];
    const a = offerIndex({ issues }, u);
    expect(offerIndex({ issues: [...issues] }, u)).toBe(a);
    const bounded = offerIndex({ issues, upperBounds: [2, 4] }, u);
    expect(bounded).not.toBe(a);
    expect(offerIndex({ issues, upperBounds: [2, 4] }, u)).toBe(bounded);
    expect(bounded.best?.outcome).toEqual([2, 4]);
    expect(bounded.size).toBe(15);
    expect(offerIndex({ issues }, (o) => u(o))).not.toBe(a);
  });

  it('hands out prebuilt, frozen offer actions', () => {
    const index = offerIndex(UNIT_PIE_GRID, IDENTITY);
    expect(index.best?.action).toEqual({ type: 'offer', outcome: [1] });
    expect(Object.isFrozen(index.best?.action)).toBe(true);
    expect(index.atLeast(0.95)?.action).toBe(index.best?.action);
  });

  it('samples uniformly from the outcomes above a floor', () => {
    const index = offerIndex(UNIT_PIE_GRID, IDENTITY);
    let i = 0;
    const draws = [0, 0.3, 0.99].map((r) => index.sampleAtLeast(0.5, () => [0, 0.3, 0.99][i++] ?? r)?.utility);
    expect(draws).toEqual([0.5, 0.6, 1]);
    expect(index.sampleAtLeast(2, () => 0.5)).toBeUndefined();
  });
});

describe('offer index built lazily (issue 21)', () => {
  /**
   * Utilities that stress the lazy sort: a few repeated values (heavy ties), values on a coarse grid (ties
   * within the buckets of a slab), a cluster within a hair of one value with an outlier (a crowded bucket of
   * distinct values), -0 beside +0, a huge range.
   */
  const many = { minLength: 1, maxLength: 400, size: 'max' } as const;
  const utilities = fc.oneof(
    fc.array(fc.constantFrom(0, -0, 0.25, 0.5, 1, -3), many),
    fc.array(fc.double({ min: -2, max: 2, noNaN: true }), many),
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), many)).map(([k, xs]) => xs.map((x) => Math.round(x * k) / k)),
    fc.array(fc.integer({ min: 0, max: 1000 }), many).map((xs) => xs.map((x, i) => (i === 0 ? 1 : 0.5 + x * 1e-12))),
    fc.array(fc.constantFrom(-1e300, 1e300, 0, 1), { minLength: 1, maxLength: 40 }),
  );

  it('gives every rank the outcome a full sort gives it (ties in enumeration order), whatever the order of queries', () => {
    fc.assert(
      fc.property(utilities, fc.option(fc.integer({ min: 0, max: 299 }), { nil: undefined }), fc.integer(), (values, bound, seed) => {
        // One issue with an outcome per value, so outcome [k] has utility values[k]; a fresh closure per run.
        const n = values.length;
        const issues = [{ name: 'k', unit: '', min: 0, max: Math.max(1, n - 1), steps: Math.max(2, n) }];
        const space: OutcomeSpace = bound === undefined ? { issues } : { issues, upperBounds: [bound] };
        const u: UtilityFn = (o) => values[o[0] ?? 0] ?? 0;
        const want = enumerate(space)
          .outcomes.map((o, k) => ({ o, k, u: u(o) }))
          .filter(({ o }) => isFeasible(space, o))
          .sort((a, b) => a.u - b.u || a.k - b.k);
        const index = offerIndex(space, u);
        expect(index.size).toBe(want.length);
        // Visit the ranks in a scrambled order, with lower-bound queries in between.
        let s = seed | 0;
        const ranks = want.map((_, r) => r).sort(() => ((s = (s * 1103515245 + 12345) | 0) & 4 ? 1 : -1));
        const got: unknown[] = [];
        const expected: unknown[] = [];
        for (const r of ranks) {
          got.push(index.sampleAtLeast(-Infinity, () => (r + 0.5) / want.length)?.outcome);
          expected.push(want[r]?.o);
          const t = want[r]?.u ?? 0;
          got.push(index.atLeast(t)?.outcome);
          expected.push(want.find((w) => w.u >= t - 1e-12 * Math.max(1, Math.abs(t)))?.o);
        }
        expect(got).toEqual(expected);
        expect(index.best?.outcome).toEqual(want[want.length - 1]?.o);
        expect(index.worst?.outcome).toEqual(want[0]?.o);
      }),
      { numRuns: 100 },
    );
  });
});

const IDENTITY: UtilityFn = (o) => o[0] ?? 0;
const UNIT_PIE_GRID: OutcomeSpace = { issues: [{ name: 'x', unit: '', min: 0, max: 1, steps: 11 }] };

describe('offer index on one continuous issue', () => {
  it('inverts a monotone utility exactly by bisection', () => {
    const square: UtilityFn = (o) => (o[0] ?? 0) ** 2;
    const index = offerIndex(UNIT_PIE, square);
    expect(index.size).toBe(Infinity);
    expect(index.atLeast(0.25)?.outcome[0]).toBeCloseTo(0.5, 12);
    expect(index.atLeast(0.25)?.utility).toBeGreaterThanOrEqual(0.25);
    expect(index.atLeast(2)).toBeUndefined();
    expect(index.atLeast(-1)?.outcome).toEqual([0]);
    const falling = offerIndex(UNIT_PIE, (o) => 1 - (o[0] ?? 0));
    expect(falling.best?.outcome).toEqual([0]);
    expect(falling.atLeast(0.3)?.outcome[0]).toBeCloseTo(0.7, 12);
    expect(falling.closest(0.3)?.outcome[0]).toBeCloseTo(0.7, 12);
  });

  it('respects the upper bound', () => {
    const index = offerIndex({ ...UNIT_PIE, upperBounds: [0.4] }, IDENTITY);
    expect(index.best?.outcome).toEqual([0.4]);
    expect(index.atLeast(0.5)).toBeUndefined();
    const none = offerIndex({ ...UNIT_PIE, upperBounds: [-1] }, IDENTITY);
    expect(none.size).toBe(0);
    expect(none.best).toBeUndefined();
  });

  it('falls back to enumeration when the utility is not monotone', () => {
    const tent: UtilityFn = (o) => 1 - Math.abs((o[0] ?? 0) - 0.5);
    const index = offerIndex(UNIT_PIE, tent);
    expect(index.size).toBe(101);
    expect(index.best?.outcome[0]).toBeCloseTo(0.5, 12);
  });
});
