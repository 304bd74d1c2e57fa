/**
 * Zeuthen as party 0 on the 11-point pie, u0 = x, u1 = 1 - x, disagreement (0, 0).
 * Risks: r_i = (u_i(own) - u_i(theirs)) / (u_i(own) - d_i).
 */
import { describe, expect, it } from 'vitest';
import { zeuthen, zeuthenRisk } from '../../src/sim/strategies/zeuthen.js';
import { GRID_PIE, movesAgainst, pieParties, run, x } from './fixtures.js';

const table = { space: GRID_PIE, parties: pieParties(), deadline: 12 };

describe('zeuthen', () => {
  it('risk', () => {
    expect(zeuthenRisk(1, 0, 0)).toBe(1);
    expect(zeuthenRisk(0.9, 0.5, 0)).toBeCloseTo(0.4 / 0.9, 15);
    expect(zeuthenRisk(0.2, 0.1, 0.2)).toBe(1); // no stake left
  });

  it('against an immovable opponent concedes once, then holds', () => {
    // step 2: own x = 1 (1, 0) vs their x = 0 (0, 1): both risks 1, a tie, so it concedes; x = 0.9 gives
    // r0 = 0.9/0.9 = 1 > r1 = (1 - 0.1)/1 = 0.9. Steps 4 and 6: r0 = 1 > r1 = 0.9: it holds.
    const { moves } = movesAgainst(zeuthen.create({}), [x(0), x(0), x(0)], table);
    expect(moves).toEqual([1, 0.9, 0.9, 0.9]);
  });

  it('accepts when conceding past the opponent offer would be needed', () => {
    // step 4: own 0.9, theirs 0.5: r0 = 0.4/0.9 = 0.444 < r1 = (0.5 - 0.1)/0.5 = 0.8, so it concedes; for
    // x = 0.8, 0.7, 0.6 its risk stays below (0.375 < 0.6, 0.286 < 0.4, 0.167 < 0.2) and x = 0.5 is their
    // offer: it accepts the Nash point 0.5.
    const { moves, result } = movesAgainst(zeuthen.create({}), [x(0), x(0.5)], table);
    expect(moves).toEqual([1, 0.9, 'A']);
    expect(result.agreement).toEqual([0.5]);
  });

  it('two Zeuthen agents alternate concessions up the Nash product to 0.5', () => {
    const r = run([zeuthen.create({}), zeuthen.create({})], table);
    const xs = r.offers.map((o) => o.outcome[0] ?? NaN);
    // Nash products x (1 - x) of successive offers never fall after the opening pair.
    const products = xs.map((v) => v * (1 - v));
    for (let i = 2; i < products.length; i++) expect(products[i]).toBeGreaterThanOrEqual((products[i - 2] ?? 0) - 1e-12);
    expect(r.agreement?.[0]).toBeCloseTo(0.5, 12);
  });

  it('walks away when its standing offer, discounted, falls below its reservation value', () => {
    // d0 = 0.5, r0 = 0.3: on offer 2 its risk (1/0.7) exceeds the opponent's (1), so it holds x = 1, now worth 0.25.
    const { moves } = movesAgainst(zeuthen.create({}), [x(0), x(0)], { ...table, parties: pieParties(0.5, 1, 0.3) });
    expect(moves).toEqual([1, 'E']);
  });

  it('needs complete information', () => {
    expect(() => movesAgainst(zeuthen.create({}), [], { ...table, completeInformation: false })).toThrow(/complete information/);
  });
});
