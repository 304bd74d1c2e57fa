import { describe, expect, it } from 'vitest';
import { hardliner } from '../../src/sim/strategies/hardliner.js';
import { GRID_PIE, movesAgainst, pieParties, x } from './fixtures.js';

describe('hardliner', () => {
  it('offers its best every time and never accepts less', () => {
    const { moves, result } = movesAgainst(hardliner.create({}), [x(0), x(0.9), x(0.5)], { space: GRID_PIE, parties: pieParties(), deadline: 6 });
    // Deadline 6: its move at step 6 can only answer the last offer (x = 0.5), which it rejects.
    expect(moves).toEqual([1, 1, 1, 'E']);
    expect(result.reason).toBe('deadline');
  });

  it('accepts its best outcome', () => {
    // As party 1 (u1 = 1 - x, best x = 0).
    const asResponder = movesAgainst(hardliner.create({}), [x(0.5), x(0)], { space: GRID_PIE, parties: pieParties(), deadline: 6, side: 1 });
    expect(asResponder.moves).toEqual([0, 'A']);
    expect(asResponder.result.agreement).toEqual([0]);
    expect(movesAgainst(hardliner.create({}), [x(0.3), x(1)], { space: GRID_PIE, parties: pieParties(), deadline: 6 }).moves).toEqual([1, 1, 'A']);
  });

  it('walks away once discounting makes its best worth less than its reservation value', () => {
    // d = 0.5, r = 0.3: x = 1 is worth 1 on offer 0 but 0.25 on offer 2.
    expect(movesAgainst(hardliner.create({}), [x(0), x(0)], { space: GRID_PIE, parties: pieParties(0.5, 1, 0.3), deadline: 6 }).moves).toEqual([1, 'E']);
  });

  it('ends at once when nothing is feasible', () => {
    const { moves } = movesAgainst(hardliner.create({}), [], { space: { ...GRID_PIE, upperBounds: [-1] }, parties: pieParties(), deadline: 6 });
    expect(moves).toEqual(['E']);
  });
});
