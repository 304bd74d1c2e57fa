/** Scenario discovery: PRIM recovers a planted box and finds nothing significant in noise; CART agrees. */
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/core/rng.js';
import { cart, logBinomialTail, prim, type InputColumn } from '../../src/research/prim.js';

function data(n: number, seed: number, dims: number): { cols: InputColumn[]; x: Float64Array[] } {
  const u = stream(seed, 'test/prim/x');
  const x = Array.from({ length: dims }, () => Float64Array.from({ length: n }, () => u()));
  return { cols: x.map((values, j) => ({ name: `x${j + 1}`, kind: 'number' as const, values })), x };
}

describe('PRIM', () => {
  it('binomial tails match known values', () => {
    // P(X >= 3 | n = 10, p = 0.5) = 0.9453125; P(X >= 10 | 10, 0.5) = 1/1024; P(X >= 0) = 1.
    expect(Math.exp(logBinomialTail(3, 10, 0.5))).toBeCloseTo(0.9453125, 9);
    expect(Math.exp(logBinomialTail(10, 10, 0.5))).toBeCloseTo(1 / 1024, 12);
    expect(Math.exp(logBinomialTail(0, 10, 0.3))).toBe(1);
    // P(X >= 8 | 20, 0.2) = 0.0321427...
    expect(Math.exp(logBinomialTail(8, 20, 0.2))).toBeCloseTo(0.03214266, 7);
  });

  it('recovers a planted box: x1 > 0.6 and x2 < 0.4 (x3, x4 and a category irrelevant), with 5% label noise', () => {
    const n = 2000;
    const { cols, x } = data(n, 1, 4);
    const noise = stream(1, 'test/prim/noise');
    const cat = stream(1, 'test/prim/cat');
    cols.push({ name: 'regime', kind: 'category', values: Array.from({ length: n }, () => (cat() < 0.5 ? 'a' : 'b')) });
    const y = Uint8Array.from({ length: n }, (_, i) => {
      const inBox = (x[0]?.[i] as number) > 0.6 && (x[1]?.[i] as number) < 0.4;
      return (noise() < 0.05 ? !inBox : inBox) ? 1 : 0;
    });
    const r = prim(cols, y, { permutations: 50 });
    expect(r.significant).toBe(true);
    expect(r.permutation?.p).toBeLessThan(0.05);
    const box = r.box;
    expect(box).not.toBeNull();
    const names = box?.restricted.map((d) => d.limit.name).sort();
    expect(names).toEqual(['x1', 'x2']);
    const x1 = box?.restricted.find((d) => d.limit.name === 'x1')?.limit;
    const x2 = box?.restricted.find((d) => d.limit.name === 'x2')?.limit;
    expect(x1?.kind === 'number' && Math.abs(x1.lo - 0.6)).toBeLessThan(0.05);
    expect(x2?.kind === 'number' && Math.abs(x2.hi - 0.4)).toBeLessThan(0.05);
    for (const d of box?.restricted ?? []) expect(d.quasiP, d.limit.name).toBeLessThan(1e-6);
    expect(box?.density).toBeGreaterThan(0.85);
    expect(box?.coverage).toBeGreaterThan(0.8);
    // The trajectory: mass falls and density rises from the base rate.
    expect(r.trajectory[0]?.mass).toBe(1);
    expect(r.trajectory[0]?.density).toBeCloseTo(r.baseRate, 12);
    expect(r.trajectory.at(-1)?.density).toBeGreaterThan(0.85);
    // CART's first splits are on x1 and x2.
    const tree = cart(cols, y, { depth: 2 });
    const splits = [tree.children[0]?.condition, ...(tree.children.flatMap((c) => c.children.map((g) => g.condition)))].join(' ');
    expect(splits).toMatch(/x1 [<>]=? 0\.(5|6)/);
    expect(splits).toMatch(/x2 [<>]=? 0\.(3|4)/);
  });

  it('finds a planted category: a case only under regime b with x3 < 0.5', () => {
    const n = 1500;
    const { cols, x } = data(n, 2, 3);
    const cat = stream(2, 'test/prim/cat');
    const regime = Array.from({ length: n }, () => ['a', 'b', 'c'][Math.floor(cat() * 3)] as string);
    cols.push({ name: 'regime', kind: 'category', values: regime });
    const y = Uint8Array.from({ length: n }, (_, i) => (regime[i] === 'b' && (x[2]?.[i] as number) < 0.5 ? 1 : 0));
    const r = prim(cols, y, { permutations: 20 });
    expect(r.significant).toBe(true);
    const reg = r.box?.restricted.find((d) => d.limit.name === 'regime')?.limit;
    expect(reg?.kind === 'category' ? reg.levels : []).toEqual(['b']);
    expect(r.box?.density).toBe(1);
  });

  it('finds nothing significant when the outcome does not depend on the inputs', () => {
    const n = 1000;
    const { cols } = data(n, 3, 4);
    const noise = stream(3, 'test/prim/noise');
    const y = Uint8Array.from({ length: n }, () => (noise() < 0.3 ? 1 : 0));
    const r = prim(cols, y, { permutations: 100 });
    expect(r.box).not.toBeNull();
    expect(r.permutation?.p).toBeGreaterThan(0.05);
    expect(r.significant).toBe(false);
  });

  it('reports no box with a density threshold nothing reaches, and none for a constant outcome', () => {
    const { cols } = data(200, 4, 2);
    const noise = stream(4, 'test/prim/noise');
    const y = Uint8Array.from({ length: 200 }, () => (noise() < 0.2 ? 1 : 0));
    const r = prim(cols, y, { threshold: 0.99, permutations: 10 });
    expect(r.box).toBeNull();
    expect(r.significant).toBe(false);
    expect(prim(cols, new Uint8Array(200), {}).box).toBeNull();
  });
});
