import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { compare } from '../../src/research/compare.js';
import { FINAL_METRIC_KEYS } from '../../src/research/metrics.js';
import { comparisonCsv, comparisonReport } from '../../src/report/compare.js';
import { runChips } from '../../src/sim/run.js';

const load = async (f: string) => (await loadScenarioFile(f)).scenario as ChipsScenario;

describe('compare', () => {
  it('runs every regime on the same seeds and each run equals runChips with that regime and seed', async () => {
    const s = await load('scenarios/teaching/three-country.yaml');
    const c = compare(s, { regimes: ['tiered-2025', 'bilateral', 'open'], seeds: 4, seedStart: 10, file: 'scenarios/teaching/three-country.yaml' });
    expect(c.kind).toBe('comparison');
    expect(c.seeds).toEqual([10, 11, 12, 13]);
    expect(c.regimes).toEqual(['tiered-2025', 'bilateral', 'open']);
    for (const r of c.regimes) {
      c.seeds.forEach((seed, i) => {
        expect(c.runs?.[r]?.[i]).toEqual(runChips(s, { seed, regime: r, events: false }).metrics.final);
      });
      expect(c.examples[r]).toEqual(runChips(s, { seed: 10, regime: r, file: 'scenarios/teaching/three-country.yaml' }));
      expect(c.countries[r]?.map((x) => x.id)).toEqual(s.countries.map((x) => x.id).sort());
    }
    // Three pairs; every metric defined in both regimes of a pair.
    expect(new Set(c.differences.map((d) => `${d.a}>${d.b}`))).toEqual(new Set(['tiered-2025>bilateral', 'tiered-2025>open', 'bilateral>open']));
    const d = c.differences.find((x) => x.a === 'tiered-2025' && x.b === 'open' && x.metric === 'leakage');
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const la = (c.runs?.['tiered-2025'] ?? []).map((f) => f.leakage);
    const lb = (c.runs?.open ?? []).map((f) => f.leakage);
    expect(d?.estimate.mean).toBeCloseTo(mean(lb.map((x, i) => x - (la[i] ?? 0))), 9);
    expect(d?.estimate.lo).toBeLessThanOrEqual(d?.estimate.mean ?? 0);
    expect(d?.t?.n).toBe(4);
    expect(c.interval).toMatchObject({ method: 'student-t', level: 0.95, differences: 'paired-bootstrap-percentile', resamples: 2000 });
  });

  it('is reproducible and renders text and a tidy CSV', async () => {
    const s = await load('scenarios/teaching/three-country.yaml');
    const a = compare(s, { regimes: ['bilateral', 'open'], seeds: 3 });
    const b = compare(s, { regimes: ['bilateral', 'open'], seeds: 3 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const text = comparisonReport(a);
    expect(text).toMatch(/Paired differences \(b - a\)/);
    expect(text).toMatch(/open - bilateral/);
    const csv = comparisonCsv(a).trimEnd().split('\n');
    expect(csv[0]).toBe('kind,regime,versus,country,metric,mean,lo,hi,n,level,method');
    expect(csv.filter((l) => l.startsWith('summary,bilateral,')).length).toBe(Object.keys(a.summaries.bilateral ?? {}).length);
    expect(csv.some((l) => l.startsWith('difference,open,bilateral,,leakage,'))).toBe(true);
  });

  it('leaves out metrics that are null in every run and counts defined runs in n', async () => {
    const s = await load('scenarios/teaching/three-country.yaml');
    const c = compare(s, { regimes: ['open', 'bilateral'], seeds: 2 });
    for (const r of c.regimes) {
      for (const k of FINAL_METRIC_KEYS) {
        const defined = (c.runs?.[r] ?? []).filter((f) => f[k] !== null).length;
        expect(c.summaries[r]?.[k]?.n).toBe(defined === 0 ? undefined : defined);
      }
    }
  });

  it('interval widths shrink about as 1/sqrt(n) on a real comparison', async () => {
    const s = await load('scenarios/teaching/three-country.yaml');
    const width = (n: number) => {
      const c = compare(s, { regimes: ['bilateral', 'open'], seeds: n, seedStart: 1000 });
      const m = c.summaries.bilateral?.leakage;
      const d = c.differences.find((x) => x.metric === 'leakage')?.estimate;
      return { mean: (m?.hi ?? 0) - (m?.lo ?? 0), diff: (d?.hi ?? 0) - (d?.lo ?? 0) };
    };
    const w25 = width(25);
    const w400 = width(400);
    // 16x the seeds: about a quarter of the width (generous band: the spread itself is estimated).
    expect(w25.mean / w400.mean).toBeGreaterThan(2.5);
    expect(w25.mean / w400.mean).toBeLessThan(6);
    expect(w25.diff / w400.diff).toBeGreaterThan(2.5);
    expect(w25.diff / w400.diff).toBeLessThan(6);
  });

  it('refuses too few seeds, unknown and repeated regimes with input errors', async () => {
    const s = await load('scenarios/teaching/three-country.yaml');
    expect(() => compare(s, { regimes: ['open'], seeds: 1 })).toThrow(/at least 2/);
    expect(() => compare(s, { regimes: ['open', 'open'], seeds: 2 })).toThrow(/named twice/);
    expect(() => compare(s, { regimes: ['opne'], seeds: 2 })).toThrow(/unknown regime/);
  });
});
