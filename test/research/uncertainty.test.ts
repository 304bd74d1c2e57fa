/**
 * Comparisons over uncertain worlds: every regime in the same worlds with the same seeds (checked from the
 * rows), intervals that are not zero where a metric depends on an uncertain input, P(b beats a), and a
 * difference with no variance never significant.
 */
import { describe, expect, it } from 'vitest';
import { finalMetric } from '../../src/core/metrics.js';
import type { RowValues } from '../../src/research/rows.js';
import { compareUncertain, pairedOverWorlds, resampleWorlds } from '../../src/research/uncertainty.js';

const TOY = 'scenarios/teaching/three-country.yaml';
const FACTORS = ['exporter.supplyPerRound', 'countries[*].enforcement'];

describe('compare over uncertainty', () => {
  it('runs every regime in the same worlds with the same seeds, and gives intervals and P(b beats a)', async () => {
    const rows: RowValues[] = [];
    let columns: readonly string[] = [];
    const r = await compareUncertain({
      scenario: TOY,
      regimes: ['tiered-2025', 'bilateral'],
      worlds: 12,
      seeds: 2,
      factors: FACTORS,
      resamples: 200,
      onRows: (chunk, cols) => {
        columns = cols;
        rows.push(...chunk);
      },
    });
    const u = r.uncertainty;
    expect(u?.worlds).toBe(12);
    expect(u?.seedsPerWorld).toBe(2);
    expect(rows.length).toBe(12 * 2 * 2);
    // Paired: the world's values and the seed are the same under each regime.
    const at = (c: string) => columns.indexOf(c);
    const factorCols = columns.filter((c) => c.startsWith('exporter.') || c.startsWith('countries['));
    expect(factorCols.length).toBe(4);
    const key = (row: RowValues) => [row[at('world')], row[at('seed')], ...factorCols.map((c) => row[at(c)])].join('|');
    const byRegime = (reg: string) => rows.filter((row) => row[at('regime')] === reg).map(key).sort();
    expect(byRegime('bilateral')).toEqual(byRegime('tiered-2025'));
    expect(new Set(rows.map((row) => row[at('world')])).size).toBe(12);
    // The supply moves with the world, so the chips delivered vary over worlds: a non-zero interval.
    const delivered = u?.byRegime['bilateral']?.delivered;
    expect(delivered?.sd).toBeGreaterThan(0);
    const diff = u?.differences.find((d) => d.metric === 'delivered');
    expect(diff?.a).toBe('tiered-2025');
    expect(diff?.b).toBe('bilateral');
    expect((diff?.mean.hi ?? 0) - (diff?.mean.lo ?? 0)).toBeGreaterThan(0);
    for (const d of u?.differences ?? []) {
      const def = finalMetric(d.metric);
      if (def?.direction === 'neutral') expect(d.pBeats).toBeNull();
      else if (d.pBeats !== null && !Number.isNaN(d.pBeats)) {
        expect(d.pBeats).toBeGreaterThanOrEqual(0);
        expect(d.pBeats).toBeLessThanOrEqual(1);
        expect(d.pBeats).toBe(def?.direction === 'higher-better' ? d.pHigher : d.pLower);
      }
      if (d.deterministic || d.worlds.sd === 0) expect(d.significant, d.metric).toBe(false);
    }
  }, 60_000);

  it('labels a difference the same in every run deterministic, never significant', () => {
    const worlds = 6;
    const seeds = 2;
    const a = Float64Array.from({ length: worlds * seeds }, (_, k) => 10 + k);
    const b = a.map((x) => x + 5);
    const resampled = resampleWorlds(worlds, 200, 1);
    const d = pairedOverWorlds(a, b, { worlds, seeds, level: 0.95, direction: 'higher-better', resampled });
    expect(d.deterministic).toBe(true);
    expect(d.significant).toBe(false);
    expect([d.mean.lo, d.mean.mean, d.mean.hi]).toEqual([5, 5, 5]);
    expect(d.pBeats).toBe(1);
    // The same difference in every world but not in every run (seed noise that averages out): zero variance
    // over the worlds, no evidence, not significant either.
    const c = Float64Array.from(b, (x, k) => x + (k % 2 === 0 ? 1 : -1));
    const e = pairedOverWorlds(a, c, { worlds, seeds, level: 0.95, direction: 'higher-better', resampled });
    expect(e.deterministic).toBe(false);
    expect(e.worlds.sd).toBe(0);
    expect(e.significant).toBe(false);
    // A difference that varies over worlds and stays positive is significant.
    const f = Float64Array.from(b, (x, k) => x + Math.floor(k / seeds));
    const g = pairedOverWorlds(a, f, { worlds, seeds, level: 0.95, direction: 'lower-better', resampled });
    expect(g.significant).toBe(true);
    expect(g.pBeats).toBe(0);
  });
});
