/**
 * The tabulated arithmetic the strategies use on every turn gives exactly the numbers of the plain formulas
 * (so tabulating changed no negotiation).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discounted, meetsReservation } from '../../src/negotiation/mechanism.js';
import { Discounting, reservationFloor } from '../../src/sim/strategies/common.js';
import { concessionCurve, timeDependentTarget } from '../../src/sim/strategies/time-dependent.js';
import { prefs, real } from './fixtures.js';

describe('tabulated strategy arithmetic', () => {
  it('Discounting equals discounted, reservationFloor and the reservation guard exactly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(1), real(0.01, 1)), real(-2, 2), real(-2, 2), fc.integer({ min: 0, max: 400 }), (d, r, u, step) => {
        const p = prefs(() => 0, r, d);
        const t = new Discounting(p);
        expect(Object.is(t.present(u, step), discounted(p, u, step))).toBe(true);
        expect(Object.is(t.floor(step), reservationFloor(p, step))).toBe(true);
        expect(t.worthAccepting(u, step)).toBe(meetsReservation(discounted(p, u, step), r));
        expect(t.power(step)).toBe(Math.pow(d, step));
      }),
      { numRuns: 300 },
    );
  });

  it('the concession curve gives exactly timeDependentTarget', () => {
    fc.assert(
      fc.property(real(0.01, 50), fc.integer({ min: 0, max: 60 }), real(-1, 1), real(-1, 1), (e, deadline, a, b) => {
        const curve = concessionCurve(deadline, e);
        expect(curve).toBe(concessionCurve(deadline, e));
        const [uMin, uMax] = a < b ? [a, b] : [b, a];
        for (let step = 0; step <= deadline; step++) {
          expect(uMax - (uMax - uMin) * (curve[step] as number)).toBe(timeDependentTarget(uMax, uMin, step, deadline, e));
        }
      }),
      { numRuns: 100 },
    );
  });
});
