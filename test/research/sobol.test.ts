/**
 * Sobol' indices against published values: the Ishigami function (a = 7, b = 0.1; Ishigami & Homma 1990,
 * analytic indices as in Saltelli et al. 2008) and SALib's documented first-order indices of the Sobol G
 * function with a = [0, 1, 4.5, 9, 99, 99, 99, 99] (SALib test_functions/Sobol_G.py: 0.7165, 0.1791, 0.0237,
 * 0.0072, 0.0001 x4), each inside its bootstrap interval.
 */
import { describe, expect, it } from 'vitest';
import { sobolFunction, sobolScenario } from '../../src/research/sobol-run.js';
import { convergenceSizes, sobolIndices } from '../../src/research/sobol.js';

const ISHIGAMI = 'sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)';
const PI_RANGE = ['x1=-pi:pi', 'x2=-pi:pi', 'x3=-pi:pi'];

function ishigamiIndices(a: number, b: number): { first: number[]; total: number[] } {
  const pi4 = Math.PI ** 4;
  const pi8 = Math.PI ** 8;
  const v1 = 0.5 * (1 + (b * pi4) / 5) ** 2;
  const v2 = (a * a) / 8;
  const v13 = b * b * pi8 * (1 / 18 - 1 / 50);
  const v = (a * a) / 8 + (b * pi4) / 5 + (b * b * pi8) / 18 + 0.5;
  return { first: [v1 / v, v2 / v, 0], total: [(v1 + v13) / v, v2 / v, v13 / v] };
}

describe('Sobol indices', () => {
  it('reproduce the Ishigami function\'s analytic indices within their bootstrap intervals', () => {
    const want = ishigamiIndices(7, 0.1);
    // The published values: S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
    expect(want.first.map((x) => Number(x.toFixed(4)))).toEqual([0.3139, 0.4424, 0]);
    expect(want.total.map((x) => Number(x.toFixed(4)))).toEqual([0.5576, 0.4424, 0.2437]);
    // Six intervals checked together: Bonferroni's level, 1 - 0.05 / 6, for a family-wise 5%.
    const r = sobolFunction({ expression: ISHIGAMI, params: PI_RANGE, samples: 8192, command: 'test', level: 1 - 0.05 / 6 });
    const m = r.metrics[0];
    expect(m?.metric).toBe('y');
    for (const [i, name] of ['x1', 'x2', 'x3'].entries()) {
      const g = m?.groups.find((x) => x.group === name);
      expect(g, name).toBeDefined();
      expect(g?.first.lo, `S ${name}`).toBeLessThanOrEqual(want.first[i] as number);
      expect(g?.first.hi, `S ${name}`).toBeGreaterThanOrEqual(want.first[i] as number);
      expect(g?.total.lo, `ST ${name}`).toBeLessThanOrEqual(want.total[i] as number);
      expect(g?.total.hi, `ST ${name}`).toBeGreaterThanOrEqual(want.total[i] as number);
      expect(Math.abs((g?.first.estimate ?? 9) - (want.first[i] as number))).toBeLessThan(0.05);
    }
    expect(r.runs).toBe(8192 * 5);
    expect(m?.seedNoise).toBeNull();
  });

  it('reproduce SALib\'s documented first-order indices of the Sobol G function', () => {
    const a = [0, 1, 4.5, 9, 99, 99, 99, 99];
    const expr = a.map((ai, i) => `(abs(4 * x${i + 1} - 2) + ${ai}) / (1 + ${ai})`).join(' * ');
    const params = a.map((_, i) => `x${i + 1}=0:1`);
    // 16 intervals checked together: Bonferroni's level keeps the family's chance of a miss at 5%.
    const r = sobolFunction({ expression: expr, params, samples: 8192, command: 'test', level: 1 - 0.05 / 16 });
    const documented = [0.7165, 0.1791, 0.0237, 0.0072, 0.0001, 0.0001, 0.0001, 0.0001];
    const groups = r.metrics[0]?.groups ?? [];
    documented.forEach((s, i) => {
      const g = groups.find((x) => x.group === `x${i + 1}`);
      expect(g?.first.lo, `S x${i + 1}`).toBeLessThanOrEqual(s + 5e-5);
      expect(g?.first.hi, `S x${i + 1}`).toBeGreaterThanOrEqual(s - 5e-5);
      // SALib's own test allows 0.01 with quasi-random (Sobol sequence) points; plain Monte Carlo from a named
      // stream is off by about 0.02 at N = 8192, well inside its interval.
      expect(Math.abs((g?.first.estimate ?? 9) - s)).toBeLessThan(0.03);
    });
    // Analytic totals: ST_i = V_i prod_{j != i} (1 + V_j) / V.
    const vi = a.map((x) => 1 / (3 * (1 + x) ** 2));
    const v = vi.reduce((p, x) => p * (1 + x), 1) - 1;
    vi.forEach((x, i) => {
      const st = (x * vi.reduce((p, y, j) => (j === i ? p : p * (1 + y)), 1)) / v;
      const g = groups.find((q) => q.group === `x${i + 1}`);
      expect(g?.total.lo, `ST x${i + 1}`).toBeLessThanOrEqual(st);
      expect(g?.total.hi, `ST x${i + 1}`).toBeGreaterThanOrEqual(st);
      expect(Math.abs((g?.total.estimate ?? 9) - st), `ST x${i + 1}`).toBeLessThan(0.02);
    });
  });

  it('has intervals that cover the true index about as often as their level says', () => {
    const want = ishigamiIndices(7, 0.1);
    let covered = 0;
    let checks = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = sobolFunction({ expression: ISHIGAMI, params: PI_RANGE, samples: 1024, resamples: 200, command: 'test', seed });
      for (const [i, name] of ['x1', 'x2', 'x3'].entries()) {
        const g = r.metrics[0]?.groups.find((x) => x.group === name);
        for (const [e, truth] of [[g?.first, want.first[i]], [g?.total, want.total[i]]] as const) {
          checks += 1;
          if (e !== undefined && truth !== undefined && e.lo <= truth && truth <= e.hi) covered += 1;
        }
      }
    }
    // 72 nominal-95% intervals: binomial(72, 0.95) falls below 62 with probability under 0.1%.
    expect(covered / checks).toBeGreaterThan(61 / 72);
  });

  it('is reproducible from its master seed and moves with it', () => {
    const one = sobolFunction({ expression: ISHIGAMI, params: PI_RANGE, samples: 256, resamples: 100, command: 'test', seed: 3 });
    const two = sobolFunction({ expression: ISHIGAMI, params: PI_RANGE, samples: 256, resamples: 100, command: 'test', seed: 3 });
    const other = sobolFunction({ expression: ISHIGAMI, params: PI_RANGE, samples: 256, resamples: 100, command: 'test', seed: 4 });
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(other.metrics[0]?.groups[0]?.first.estimate).not.toBe(one.metrics[0]?.groups[0]?.first.estimate);
  });

  it('gives a constant output zero indices, and tracks convergence over N', () => {
    const y = new Float64Array(64).fill(2);
    const e = sobolIndices(['a', 'b'], y, y, [y, y], { masterSeed: 1, resamples: 100 });
    expect(e.groups.map((g) => [g.first.estimate, g.total.estimate])).toEqual([[0, 0], [0, 0]]);
    expect(convergenceSizes(1024)).toEqual([16, 32, 64, 128, 256, 512, 1024]);
    const r = sobolFunction({ expression: ISHIGAMI, params: PI_RANGE, samples: 1024, resamples: 100, command: 'test' });
    const conv = r.metrics[0]?.convergence ?? [];
    expect(conv.map((c) => c.n)).toEqual([16, 32, 64, 128, 256, 512, 1024]);
    const width = (k: number): number => {
      const g = conv[k]?.groups.find((x) => x.group === 'x2');
      return (g?.total.hi ?? 0) - (g?.total.lo ?? 0);
    };
    expect(width(conv.length - 1)).toBeLessThan(width(0));
  });

  it('refuses bad parameters with a message naming the flag', () => {
    expect(() => sobolFunction({ expression: ISHIGAMI, params: ['x1=1:0', 'x2=-pi:pi', 'x3=-pi:pi'], samples: 64, command: '' })).toThrow(/--param.*empty/s);
    expect(() => sobolFunction({ expression: ISHIGAMI, params: ['x1=dist(beta, 1, 2)', 'x2=-pi:pi', 'x3=-pi:pi'], samples: 64, command: '' })).toThrow(/unknown distribution "beta"/);
    expect(() => sobolFunction({ expression: 'x1 + y', params: ['x1=0:1'], samples: 64, command: '' })).toThrow(/y/);
    expect(() => sobolFunction({ expression: ISHIGAMI, params: PI_RANGE, samples: 8, command: '' })).toThrow(/--samples/);
  });

  it('on a scenario: one group per uncertain: entry, the seed last with its share of the variance', async () => {
    const r = await sobolScenario({ scenario: 'scenarios/teaching/three-country.yaml', samples: 16, resamples: 100, command: 'test', metrics: ['leakage'], factors: ['exporter.supplyPerRound', 'countries[*].enforcement'], seeds: 2 });
    expect(r.groups.map((g) => g.name).sort()).toEqual(['countries[*].enforcement', 'exporter.supplyPerRound']);
    // N (groups + 3) points (A, B, AB per group, AB for the seed), each run for 2 seeds.
    expect(r.runs).toBe(16 * 5 * 2);
    const m = r.metrics[0];
    expect(m?.metric).toBe('leakage');
    expect(m?.groups.map((g) => g.group).at(-1)).toBe('seed');
    expect(m?.seedNoise?.group).toBe('seed');
    expect(m?.variance).toBeGreaterThan(0);
    // Enforcement decides what leaks: its total index is not 0.
    expect(m?.groups.find((g) => g.group === 'countries[*].enforcement')?.total.estimate).toBeGreaterThan(0.05);
  });
});
