/**
 * Relative tit-for-tat as party 0 on the 11-point pie (u0 = x), window 1. The target moves by
 * rho * (target - u(last)) with rho = (u(last) - u(prev)) / (1 - u(prev)); it offers the smallest grid x
 * reaching the target.
 */
import { describe, expect, it } from 'vitest';
import { relativeConcession, titForTat } from '../../src/sim/strategies/tit-for-tat.js';
import { GRID_PIE, movesAgainst, pieParties, x } from './fixtures.js';

describe('tit-for-tat', () => {
  it('mirrors concessions and retractions', () => {
    // Opponent: 0, 0.2, 0.2, 0.5, 0.3, 0.8.
    // step 2: no earlier opponent offer to compare: target 1 -> x = 1.
    // step 4: rho = 0.2 -> target 1 - 0.2 (1 - 0.2) = 0.84 -> 0.9.
    // step 6: rho = 0 -> 0.84 -> 0.9.
    // step 8: rho = 0.3 / 0.8 = 0.375 -> 0.84 - 0.375 (0.84 - 0.5) = 0.7125 -> 0.8.
    // step 10: rho = -0.2 / 0.5 = -0.4 -> 0.7125 + 0.4 (0.7125 - 0.3) = 0.8775 -> 0.9 (retaliation).
    // step 12 = deadline: last chance, 0.8 beats the reservation 0: accept.
    const { moves, result } = movesAgainst(titForTat.create({}), [x(0), x(0.2), x(0.2), x(0.5), x(0.3), x(0.8)], {
      space: GRID_PIE,
      parties: pieParties(),
      deadline: 12,
    });
    expect(moves).toEqual([1, 1, 0.9, 0.9, 0.8, 0.9, 'A']);
    expect(result.agreement).toEqual([0.8]);
  });

  it('accepts an offer at least as good as its own next proposal', () => {
    // step 2: rho = 0 (no history) -> target 1; the opponent offers 1: accept.
    expect(movesAgainst(titForTat.create({}), [x(1)], { space: GRID_PIE, parties: pieParties(), deadline: 10 }).moves).toEqual([1, 'A']);
  });

  it('with window 2 compares offers two exchanges apart', () => {
    // Opponent: 0, 0.4, 0.4. step 4: only one earlier offer per window of 2 -> no move; step 6: compares
    // 0.4 with 0 -> rho = 0.4 -> 1 - 0.4 (1 - 0.4) = 0.76 -> 0.8.
    const { moves } = movesAgainst(titForTat.create({ window: 2 }), [x(0), x(0.4), x(0.4)], { space: GRID_PIE, parties: pieParties(), deadline: 7 });
    expect(moves).toEqual([1, 1, 1, 0.8]);
  });

  it('relative concession is zero when the opponent already offered our best', () => {
    expect(relativeConcession(1, 1, 1)).toBe(0);
    expect(relativeConcession(1, 0.5, 0.75)).toBe(0.5);
  });
});
