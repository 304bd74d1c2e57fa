/**
 * Equilibrium play against scripted opponents on the continuous unit pie, d0 = d1 = 0.9, deadline 3,
 * party 0 first. Backward induction: offer 2 (party 0) takes all; offer 1 (party 1) must give party 0
 * 0.9 * 1, so x1 = 0.9; offer 0 (party 0) must give party 1 0.9 * 0.1 = 0.09, so x0 = 0.91.
 * Present values of rejecting: offer 0 -> party 1 gets 0.9 * 0.1 = 0.09; offer 1 -> party 0 gets 0.81.
 */
import { describe, expect, it } from 'vitest';
import { equilibrium } from '../../src/sim/strategies/equilibrium.js';
import { UNIT_PIE, movesAgainst, pieParties, x } from './fixtures.js';

const game = { space: UNIT_PIE, parties: pieParties(0.9, 0.9), deadline: 3 };

describe('equilibrium (finite horizon)', () => {
  it('as proposer opens with 0.91 and takes all on the last offer', () => {
    // Party 1 counters with x = 0.5 (worth 0.45 to party 0 now, below 0.81): reject, take all.
    const { moves } = movesAgainst(equilibrium.create({}), [x(0.5)], game);
    expect(moves).toEqual([0.91, 1]);
  });

  it('as responder rejects offers below its continuation and accepts those above', () => {
    // x = 0.95 gives party 1 0.05 < 0.09: counter with x = 0.9. Then x = 0.92 on offer 2 (the last):
    // rejecting pays 0, accepting 0.81 * 0.08 > 0: accept.
    const a = movesAgainst(equilibrium.create({}), [x(0.95), x(0.92)], { ...game, side: 1 });
    expect(a.moves).toEqual([0.9, 'A']);
    expect(a.result.agreement).toEqual([0.92]);
    // x = 0.9 on offer 0 gives party 1 0.1 >= 0.09: accept at once.
    expect(movesAgainst(equilibrium.create({}), [x(0.9)], { ...game, side: 1 }).moves).toEqual(['A']);
  });
});

describe('equilibrium (infinite horizon)', () => {
  it('proposes the Rubinstein share and accepts iff the offer beats proposing next', () => {
    // d = 0.9 both: x = (1 - 0.9)/(1 - 0.81) = 10/19. As responder party 1 accepts u1 >= 0.9 * 10/19 = 9/19.
    const as0 = movesAgainst(equilibrium.create({ horizon: 1 }), [x(0.6)], game);
    expect(as0.moves[0]).toBeCloseTo(10 / 19, 8);
    const accepts = movesAgainst(equilibrium.create({ horizon: 1 }), [x(0.52)], { ...game, side: 1 });
    expect(accepts.moves).toEqual(['A']); // 0.48 >= 9/19 = 0.4737
    const rejects = movesAgainst(equilibrium.create({ horizon: 1 }), [x(0.53)], { ...game, side: 1 });
    expect(rejects.moves[0]).toBeCloseTo(1 - 10 / 19, 8); // 0.47 < 0.4737: counter with its own share
  });
});
