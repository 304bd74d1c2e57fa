import { describe, expect, it } from 'vitest';
import { stream } from '../../src/core/rng.js';
import { bootstrapMeans, tInterval } from '../../src/research/stats.js';

describe('interval estimates', () => {
  it('gives the textbook Student t interval', () => {
    // 1..5: mean 3, s = 1.5811, t(0.975, 4) = 2.7764 -> half-width 1.9632
    const e = tInterval([1, 2, 3, 4, 5], 0.95);
    expect(e.mean).toBe(3);
    expect(e.n).toBe(5);
    expect(e.hi - e.mean).toBeCloseTo(1.9632, 3);
    expect(e.mean - e.lo).toBeCloseTo(1.9632, 3);
    // 90% with 10 degrees of freedom: t = 1.8125
    const xs = Array.from({ length: 11 }, (_, i) => i);
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - 5) ** 2, 0) / 10);
    expect(tInterval(xs, 0.9).hi - 5).toBeCloseTo((1.8125 * sd) / Math.sqrt(11), 3);
  });

  it('skips nulls and has no interval below two values', () => {
    expect(tInterval([null, 4, null], 0.95)).toEqual({ mean: 4, lo: 4, hi: 4, n: 1 });
    expect(tInterval([7, 7, 7], 0.95)).toEqual({ mean: 7, lo: 7, hi: 7, n: 3 });
  });

  it('bootstraps from the given stream only: same stream, same interval; the interval holds the mean', () => {
    const u = stream(1, 'data');
    const d = Float64Array.from({ length: 80 }, () => u() * 10);
    const a = bootstrapMeans([d], 0.95, 1000, stream(5, 'compare/bootstrap'));
    const b = bootstrapMeans([d], 0.95, 1000, stream(5, 'compare/bootstrap'));
    const c = bootstrapMeans([d], 0.95, 1000, stream(6, 'compare/bootstrap'));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const e = a[0];
    expect(e?.lo).toBeLessThan(e?.mean ?? 0);
    expect(e?.hi).toBeGreaterThan(e?.mean ?? 0);
    // Close to the t interval for a uniform sample of 80.
    const t = tInterval(Array.from(d), 0.95);
    expect((e?.hi ?? 0) - (e?.lo ?? 0)).toBeGreaterThan(0.8 * (t.hi - t.lo));
    expect((e?.hi ?? 0) - (e?.lo ?? 0)).toBeLessThan(1.2 * (t.hi - t.lo));
  });

  it('interval widths shrink about as 1/sqrt(n)', () => {
    const u = stream(3, 'data');
    const draw = (n: number) => Float64Array.from({ length: n }, () => u() + u() + u());
    const small = draw(100);
    const large = draw(1600);
    const w = (xs: Float64Array) => {
      const t = tInterval(Array.from(xs), 0.95);
      const b = bootstrapMeans([xs], 0.95, 1000, stream(3, 'compare/bootstrap'))[0];
      return { t: t.hi - t.lo, b: (b?.hi ?? 0) - (b?.lo ?? 0) };
    };
    const ws = w(small);
    const wl = w(large);
    // 16x the runs: a quarter of the width, within a generous band.
    expect(ws.t / wl.t).toBeGreaterThan(3);
    expect(ws.t / wl.t).toBeLessThan(5.3);
    expect(ws.b / wl.b).toBeGreaterThan(3);
    expect(ws.b / wl.b).toBeLessThan(5.3);
  });
});
