/**
 * The two short cuts the deal talks take through the engine: utilities given by index (tabulatedUtility) and
 * a space that claims its frontier order (OutcomeSpace.frontierOrder). Neither may change an answer: a table
 * must equal calling the function, and a claim must give the frontier the sort gives, or be ignored.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paretoFrontierIndices, spaceFrontier } from '../../src/negotiation/frontier.js';
import { tabulatedUtility, utilityTable } from '../../src/negotiation/offer-index.js';
import { spaceContext } from '../../src/negotiation/space-context.js';
import type { OutcomeSpace, UtilityFn } from '../../src/negotiation/types.js';

const indexSpace = (m: number, frontierOrder?: Int32Array): OutcomeSpace => ({
  issues: [{ name: 'package', unit: 'package number', min: 0, max: m - 1, steps: m }],
  ...(frontierOrder ? { frontierOrder } : {}),
});

/** The same values as a plain closure: the engine must tabulate it by calling it. */
const closure = (values: Float64Array): UtilityFn => (o) => values[Math.min(values.length - 1, Math.max(0, Math.round(o[0] ?? 0)))] as number;

const values = (m: number) => fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: m, maxLength: m }).map((a) => Float64Array.from(a));

describe('tabulatedUtility', () => {
  it('is read as the utility table, equal to calling the function', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }).chain((m) => values(m)), (v) => {
        const e = spaceContext(indexSpace(v.length)).grid.enumeration;
        const t = tabulatedUtility(v);
        expect(utilityTable(e, t)).toBe(v);
        expect(Array.from(utilityTable(e, closure(v)))).toEqual(Array.from(v));
        for (let i = 0; i < v.length; i++) expect(t([i])).toBe(v[i]);
      }),
    );
  });

  it('falls back to calling the function on a space that is not its index space', () => {
    const v = Float64Array.from([3, 1, 2]);
    const e = spaceContext({ issues: [{ name: 'x', unit: 'x', min: 0, max: 4, steps: 3 }] }).grid.enumeration; // 0, 2, 4
    expect(Array.from(utilityTable(e, tabulatedUtility(v)))).toEqual([3, 2, 2]);
  });

  it('refuses a non-finite value as tabulating a function would', () => {
    const v = Float64Array.from([0, Infinity]);
    const e = spaceContext(indexSpace(2)).grid.enumeration;
    expect(() => utilityTable(e, tabulatedUtility(v))).toThrow(/utility function returned Infinity/);
  });
});

describe('OutcomeSpace.frontierOrder', () => {
  const frontierOf = (space: OutcomeSpace, v0: Float64Array, v1: Float64Array) => {
    const f = spaceFrontier(space, [tabulatedUtility(v0), tabulatedUtility(v1)]);
    return { u0: Array.from(f.u0), u1: Array.from(f.u1), outcomes: f.points.map((p) => p.outcome[0]) };
  };

  it('a true claim gives the sorted frontier; a false one is ignored', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }).chain((m) => fc.tuple(values(m), values(m), fc.array(fc.nat(m - 1), { maxLength: m + 2 }))),
        ([v0, v1, junk]) => {
          const m = v0.length;
          const truth = frontierOf(indexSpace(m), v0, v1);
          // The claim that holds when every outcome is optimal: the sorted frontier itself.
          const sorted = paretoFrontierIndices(v0, v1);
          expect(frontierOf(indexSpace(m, Int32Array.from(sorted)), v0, v1)).toEqual(truth);
          // Arbitrary claims (wrong order, missing or repeated indices) never change the answer.
          expect(frontierOf(indexSpace(m, Int32Array.from(junk)), v0, v1)).toEqual(truth);
          expect(frontierOf(indexSpace(m, Int32Array.from(sorted).reverse()), v0, v1)).toEqual(truth);
        },
      ),
    );
  });

  it('a staircase over every outcome is taken as claimed', () => {
    // u0 descending and u1 ascending along 2, 0, 3, 1: every outcome is optimal.
    const v0 = Float64Array.from([0.8, 0.1, 0.9, 0.5]);
    const v1 = Float64Array.from([0.2, 0.9, 0.1, 0.4]);
    const f = spaceFrontier(indexSpace(4, Int32Array.from([2, 0, 3, 1])), [tabulatedUtility(v0), tabulatedUtility(v1)]);
    expect(f.points.map((p) => p.outcome[0])).toEqual([2, 0, 3, 1]);
    expect(f.worst).toEqual([0.1, 0.1]);
  });
});
