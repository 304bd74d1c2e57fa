import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortAscending } from '../../src/negotiation/numeric.js';

describe('argsortAscending', () => {
  it('gives the order of a comparator sort with ties by position', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -0, 1, -1, 0.1, 1e-310, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (xs) => {
        const keys = Float64Array.from(xs);
        const want = Array.from(xs.keys()).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
        expect(Array.from(argsortAscending(keys))).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
