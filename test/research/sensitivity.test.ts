/** Sensitivity methods on analytic functions, where the right answer is known in closed form. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { SensitivityParameter } from '../../src/core/events.js';
import { stream } from '../../src/core/rng.js';
import { tInterval } from '../../src/research/interval.js';
import { cachedRunner, morris, morrisDelta, morrisTrajectory, oneAtATime, type Params } from '../../src/research/sensitivity.js';

const unitParams = (names: readonly string[]): SensitivityParameter[] => names.map((path) => ({ path, lo: 0, hi: 1, base: 0.5 }));
const get = (p: Params, k: string): number => p[k] ?? Number.NaN;

describe('one-at-a-time', () => {
  it('gives the exact effects of a linear function, largest first', () => {
    const params: SensitivityParameter[] = [
      { path: 'a', lo: 1, hi: 3, base: 2 },
      { path: 'b', lo: -1, hi: 1, base: 0 },
      { path: 'c', lo: 10, hi: 20, base: 15 },
    ];
    const f = (p: Params): number => 2 * get(p, 'a') - 5 * get(p, 'b') + 0.1 * get(p, 'c');
    const rows = oneAtATime(params, [1, 2, 3], f);
    expect(rows.map((r) => r.path)).toEqual(['b', 'a', 'c']);
    const by = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(by.a?.effect.mean).toBeCloseTo(4, 12);
    expect(by.b?.effect.mean).toBeCloseTo(-10, 12);
    expect(by.c?.effect.mean).toBeCloseTo(1, 12);
    // Others held at base: low of a = 2*1 - 0 + 1.5.
    expect(by.a?.low.mean).toBeCloseTo(3.5, 12);
    expect(by.a?.effect.lo).toBeCloseTo(4, 12);
    expect(by.a?.effect.hi).toBeCloseTo(4, 12);
  });

  it('cancels seed noise that is common to both ends (common random numbers)', () => {
    // Additive noise per seed: large in the levels, absent from the paired difference.
    const noise = (seed: number): number => 100 * (stream(seed, 'noise')() - 0.5);
    const f = (p: Params, seed: number): number => get(p, 'x') + noise(seed);
    const [row] = oneAtATime([{ path: 'x', lo: 0, hi: 1, base: 0 }], [1, 2, 3, 4, 5, 6], f);
    expect(row?.effect.mean).toBeCloseTo(1, 10);
    expect((row?.effect.hi ?? 0) - (row?.effect.lo ?? 0)).toBeLessThan(1e-9);
    expect((row?.low.hi ?? 0) - (row?.low.lo ?? 0)).toBeGreaterThan(1);
  });

  it('runs each distinct point and seed once through the cache', () => {
    let calls = 0;
    const runner = cachedRunner((p) => {
      calls++;
      return get(p, 'x');
    });
    // lo equals base, so the low point is the base point.
    oneAtATime([{ path: 'x', lo: 0, hi: 1, base: 0 }], [1, 2], runner.run);
    oneAtATime([{ path: 'x', lo: 0, hi: 1, base: 0 }], [1, 2], runner.run);
    expect(calls).toBe(4);
    expect(runner.runs()).toBe(4);
  });
});

describe('Morris elementary effects', () => {
  const a = 3;
  const b = 2;
  const f = (p: Params): number => a * get(p, 'x1') + b * get(p, 'x2') ** 2 + 0 * get(p, 'x3');

  it('ranks an inert parameter last with mu* = 0, and gets linear effects exactly', () => {
    const m = morris(unitParams(['x1', 'x2', 'x3']), [1], f, { levels: 4, trajectories: 20, masterSeed: 11 });
    expect(m.effects.map((e) => e.path)).toEqual(['x1', 'x2', 'x3']);
    const by = Object.fromEntries(m.effects.map((e) => [e.path, e]));
    expect(by.x3?.muStar).toBe(0);
    expect(by.x3?.sigma).toBe(0);
    expect(by.x1?.mu).toBeCloseTo(a, 12);
    expect(by.x1?.muStar).toBeCloseTo(a, 12);
    expect(by.x1?.sigma).toBeCloseTo(0, 12);
    // b x^2 has EE = b (2 x + delta) for an upward step from x, so it varies: sigma > 0, mu* between b*delta and b*(2 - delta).
    expect(by.x2?.sigma).toBeGreaterThan(0);
    expect(by.x2?.muStar).toBeGreaterThanOrEqual(b * m.delta - 1e-12);
    expect(by.x2?.muStar).toBeLessThanOrEqual(b * (2 - m.delta) + 1e-12);
    expect(by.x1?.r).toBe(20);
  });

  it('scales effects to the parameter range', () => {
    const params: SensitivityParameter[] = [
      { path: 'x1', lo: 10, hi: 30, base: 20 },
      { path: 'x2', lo: 0, hi: 1, base: 0.5 },
    ];
    const m = morris(params, [1, 2], (p) => 0.5 * get(p, 'x1') + get(p, 'x2'), { levels: 6, trajectories: 5, masterSeed: 3 });
    const by = Object.fromEntries(m.effects.map((e) => [e.path, e]));
    expect(by.x1?.mu).toBeCloseTo(10, 10);
    expect(by.x2?.mu).toBeCloseTo(1, 10);
  });

  it('draws the same trajectories for the same master seed and others for another', () => {
    const run = (seed: number) => morris(unitParams(['x1', 'x2', 'x3']), [1], f, { levels: 4, trajectories: 6, masterSeed: seed });
    expect(run(5)).toEqual(run(5));
    expect(run(5).effects).not.toEqual(run(6).effects);
  });

  test.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 1_000_000 })], { numRuns: 200 })(
    'a trajectory stays on the grid in [0, 1] and moves every parameter exactly once by delta',
    (k, levels, seed) => {
      const { points, moves } = morrisTrajectory(k, levels, stream(seed, 'traj'));
      const delta = morrisDelta(levels);
      expect(points).toHaveLength(k + 1);
      expect(moves.map((m) => m.index).sort()).toEqual(Array.from({ length: k }, (_, i) => i));
      for (const pt of points) {
        for (const x of pt) {
          expect(x).toBeGreaterThanOrEqual(-1e-12);
          expect(x).toBeLessThanOrEqual(1 + 1e-12);
          const onGrid = Math.abs(x * (levels - 1) - Math.round(x * (levels - 1)));
          // delta is a whole number of grid steps only for even p; odd p puts points half-way, still in range.
          if (levels % 2 === 0) expect(onGrid).toBeLessThan(1e-9);
        }
      }
      moves.forEach((m, j) => {
        expect(Math.abs(m.step)).toBeCloseTo(delta, 12);
        const before = points[j] ?? [];
        const after = points[j + 1] ?? [];
        after.forEach((x, i) => expect(x - (before[i] ?? 0)).toBeCloseTo(i === m.index ? m.step : 0, 12));
      });
    },
  );
});

describe('t-interval', () => {
  it('matches a textbook value', () => {
    // n = 10, mean 5.5, sd = 3.02765; t(0.975, 9) = 2.262157.
    const e = tInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(e.mean).toBe(5.5);
    expect(e.hi - e.mean).toBeCloseTo((2.262157 * 3.0276504) / Math.sqrt(10), 5);
  });

  it('has no width with one value', () => {
    expect(tInterval([4])).toEqual({ mean: 4, lo: 4, hi: 4, n: 1 });
  });
});
