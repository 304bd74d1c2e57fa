import { describe, expect, it } from 'vitest';
import { random } from '../../src/sim/strategies/random.js';
import { GRID_PIE, movesAgainst, pieParties, x } from './fixtures.js';

const table = { space: GRID_PIE, parties: pieParties(1, 1, 0.35), deadline: 12 };
const script = Array.from({ length: 6 }, () => x(0));

describe('random', () => {
  it('is reproducible from its seed, varies with it, and stays above its reservation', () => {
    const a = movesAgainst(random.create({}), script, { ...table, seed: 'a' }).moves;
    const again = movesAgainst(random.create({}), script, { ...table, seed: 'a' }).moves;
    const b = movesAgainst(random.create({}), script, { ...table, seed: 'b' }).moves;
    expect(a).toEqual(again);
    expect(a).not.toEqual(b);
    for (const m of [...a, ...b]) if (typeof m === 'number') expect(m).toBeGreaterThanOrEqual(0.4);
  });

  it('accepts an offer at least as good as any draw, and never one below its reservation', () => {
    // Party 1 opens with x = 1, party 0's best: no draw beats it.
    expect(movesAgainst(random.create({}), [x(1)], { ...table, firstProposer: 1 }).moves).toEqual(['A']);
    // x = 0.3 is below the reservation 0.35 even at the deadline.
    expect(movesAgainst(random.create({}), [x(0.3)], { ...table, firstProposer: 1, deadline: 1 }).moves).toEqual(['E']);
  });
});
