/**
 * Move tables for the time-dependent tactics on the 11-point pie (u0 = x), tested as party 0 opening,
 * deadline 11 (T = 10 offer intervals). Party 0 moves at steps 0, 2, ..., 10 with target
 * u(t) = 1 - (t/10)^(1/e) and offers the smallest grid x reaching it.
 */
import { describe, expect, it } from 'vitest';
import { boulware } from '../../src/sim/strategies/boulware.js';
import { conceder } from '../../src/sim/strategies/conceder.js';
import { linear } from '../../src/sim/strategies/linear.js';
import { timeDependentTarget } from '../../src/sim/strategies/time-dependent.js';
import { GRID_PIE, movesAgainst, pieParties, x } from './fixtures.js';

const stubborn = Array.from({ length: 20 }, () => x(0));
const table = { space: GRID_PIE, parties: pieParties(), deadline: 11 };

describe('time-dependent tactics', () => {
  it('the target curve', () => {
    expect(timeDependentTarget(1, 0, 0, 11, 0.2)).toBe(1);
    expect(timeDependentTarget(1, 0, 8, 11, 0.2)).toBeCloseTo(1 - 0.8 ** 5, 12);
    expect(timeDependentTarget(1, 0.3, 10, 11, 3)).toBeCloseTo(0.3, 12);
    expect(timeDependentTarget(1, 0.3, 50, 11, 3)).toBeCloseTo(0.3, 12); // clamped past the deadline
  });

  it('boulware (e = 0.2) holds at 1 until late: targets 1, .99968, .98976, .92224, .67232, 0', () => {
    const { moves, result } = movesAgainst(boulware.create({}), stubborn, table);
    expect(moves).toEqual([1, 1, 1, 1, 0.7, 'A']);
    expect(result.step).toBe(9);
    expect(result.agreement).toEqual([0]);
  });

  it('linear concedes 0.2 per own turn and accepts once the offer reaches its next proposal', () => {
    expect(movesAgainst(linear.create({}), stubborn, table).moves).toEqual([1, 0.8, 0.6, 0.4, 0.2, 'A']);
    // Opponent offers x = 0, 0.2, 0.4: at step 6 the target is 0.4 and the offer on the table is worth 0.4.
    const { moves, result } = movesAgainst(linear.create({}), [x(0), x(0.2), x(0.4)], table);
    expect(moves).toEqual([1, 0.8, 0.6, 'A']);
    expect(result.agreement).toEqual([0.4]);
  });

  it('conceder (e = 2): targets 1 - sqrt(t/10) = 1, .553, .368, .225, .106, 0', () => {
    expect(movesAgainst(conceder.create({}), stubborn, table).moves).toEqual([1, 0.6, 0.4, 0.3, 0.2, 'A']);
  });

  it('never goes below its reservation value, and walks away when discounting makes every offer worse than it', () => {
    // Reservation 0.45 = u_min: targets 1 - 0.55 t/10 = 1, .89, .78, .67, .56, .45, so x = 0.5 is the last
    // offer, and x = 0 is never accepted: the deadline passes.
    const { moves, result } = movesAgainst(linear.create({}), stubborn, { ...table, parties: pieParties(1, 1, 0.45) });
    expect(moves).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.5]);
    expect(result.reason).toBe('deadline');
    expect(result.payoffs).toEqual([0.45, 0]);
    // d = 0.5, r = 0.3: at step 2 even x = 1 is worth 0.25 < 0.3.
    const walk = movesAgainst(boulware.create({}), stubborn, { ...table, parties: pieParties(0.5, 1, 0.3) });
    expect(walk.moves).toEqual([1, 'E']);
    expect(walk.result.reason).toBe('walkaway');
  });

  it('respects upper bounds', () => {
    const { moves } = movesAgainst(linear.create({}), stubborn, { ...table, space: { ...GRID_PIE, upperBounds: [0.5] } });
    expect(moves).toEqual([0.5, 0.4, 0.3, 0.2, 0.1, 'A']);
  });
});
