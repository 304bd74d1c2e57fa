import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoResolution, enumerate, enumerateCached, isFeasible, issueValues, outcomeCount, positionIn } from '../../src/negotiation/outcome-space.js';
import type { OutcomeSpace } from '../../src/negotiation/types.js';

describe('outcome space', () => {
  it('grid values are evenly spaced, ends included', () => {
    expect(Array.from(issueValues({ name: 'a', unit: '', min: 2, max: 4, steps: 5 }))).toEqual([2, 2.5, 3, 3.5, 4]);
    expect(Array.from(issueValues({ name: 'a', unit: '', min: 0, max: 1 }, 3))).toEqual([0, 0.5, 1]);
    expect(issueValues({ name: 'a', unit: '', min: 0, max: 0.3, steps: 4 })[3]).toBe(0.3);
  });

  it('enumerates every outcome once, last issue fastest', () => {
    const space: OutcomeSpace = {
      issues: [
        { name: 'a', unit: '', min: 0, max: 1, steps: 2 },
        { name: 'b', unit: '', min: 0, max: 2, steps: 3 },
      ],
    };
    const e = enumerate(space);
    expect(e.count).toBe(6);
    expect(outcomeCount(space)).toBe(6);
    expect(e.outcomes).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
    expect(Array.from(e.values)).toEqual([0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 1, 2]);
    expect(Object.isFrozen(e.outcomes[0])).toBe(true);
    expect(enumerateCached(space)).toBe(enumerateCached({ issues: space.issues.map((i) => ({ ...i, name: `${i.name}2` })) }));
  });

  it('enumerates like an odometer, makes each outcome once and recognises only its own outcome objects', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 }), (steps) => {
        const space: OutcomeSpace = { issues: steps.map((n, k) => ({ name: `i${k}`, unit: '', min: k, max: k + 2, steps: n })) };
        const e = enumerate(space);
        // Reference: nested loops, last issue fastest.
        let rows: number[][] = [[]];
        for (const issue of space.issues) {
          const vals = Array.from(issueValues(issue));
          rows = rows.flatMap((r) => vals.map((v) => [...r, v]));
        }
        expect(e.count).toBe(rows.length);
        expect(e.outcomes).toEqual(rows);
        expect(Array.from(e.values)).toEqual(rows.flat());
        for (let i = 0; i < e.count; i++) {
          expect(e.outcome(i)).toBe(e.outcomes[i]);
          expect(positionIn(e, e.outcome(i))).toBe(i);
          expect(positionIn(e, [...e.outcome(i)])).toBe(-1);
        }
        expect(positionIn(enumerate(space), e.outcome(0))).toBe(-1);
        expect(positionIn(e, 'nope')).toBe(-1);
      }),
      { numRuns: 60 },
    );
  });

  it('coarsens continuous issues to fit the budget by default, and refuses oversized enumerations', () => {
    const issues = Array.from({ length: 4 }, (_, k) => ({ name: `i${k}`, unit: '', min: 0, max: 1 }));
    expect(autoResolution({ issues: issues.slice(0, 2) })).toBe(101);
    expect(autoResolution({ issues })).toBe(17); // floor(100000^(1/4))
    expect(autoResolution({ issues: [...issues, { name: 'd', unit: '', min: 0, max: 1, steps: 10 }] })).toBe(10);
    expect(enumerate({ issues }).count).toBe(17 ** 4);
    expect(() => enumerate({ issues }, 101)).toThrow(/outcomes/);
  });

  it('feasibility: length, range, grid and upper bounds with a tiny tolerance', () => {
    const space: OutcomeSpace = {
      issues: [
        { name: 'a', unit: '', min: 0, max: 10, steps: 11 },
        { name: 'b', unit: '', min: 0, max: 1 },
      ],
      upperBounds: [7, 0.5],
    };
    expect(isFeasible(space, [7, 0.5])).toBe(true);
    expect(isFeasible(space, [7 + 1e-12, 0.5 + 1e-12])).toBe(true);
    expect(isFeasible(space, [8, 0.5])).toBe(false);
    expect(isFeasible(space, [7, 0.51])).toBe(false);
    expect(isFeasible(space, [6.5, 0.2])).toBe(false);
    expect(isFeasible(space, [6])).toBe(false);
    expect(isFeasible(space, [6, Number.NaN])).toBe(false);
  });

  it('every enumerated outcome of a grid passes the feasibility check (same grid formula)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 200 }), (min, span, steps) => {
        const space: OutcomeSpace = { issues: [{ name: 'a', unit: '', min, max: min + span, steps }] };
        for (const o of enumerate(space).outcomes) expect(isFeasible(space, o)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
