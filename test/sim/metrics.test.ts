/**
 * Final metrics agree with the per-country and per-adversary outcomes the same run reports (finalMetrics
 * reads the run's state, the outcomes are built from it separately), and gini is the textbook formula.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { gini } from '../../src/sim/chips/collector.js';
import { chipsRunner } from '../../src/sim/run.js';

/** The definition: sorted ascending, sum of (2i - n - 1) x_i over n times the total (i from 1). */
function giniReference(values: readonly number[]): number {
  const xs = values.filter((v) => v >= 0).sort((a, b) => a - b);
  const n = xs.length;
  const total = xs.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  return xs.reduce((acc, x, i) => acc + (2 * (i + 1) - n - 1) * x, 0) / (n * total);
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

describe('gini', () => {
  it('is 0 for equal shares, (n-1)/n when one holds everything, and ignores negatives', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 8])).toBeCloseTo(0.75, 12);
    expect(gini([-3, 0, 0, 0, 8])).toBeCloseTo(0.75, 12);
    expect(gini([])).toBe(0);
    expect(gini([0, 0])).toBe(0);
    expect(gini(new Float64Array([1, 2, 3]))).toBeCloseTo(gini([3, 1, 2]), 15);
  });

  test.prop([fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 1000 }), fc.constant(Number.NaN)), { maxLength: 40 })])(
    'agrees with the definition on any list (order, integers, doubles, NaN)',
    (values) => {
      expect(gini(values)).toBeCloseTo(giniReference(values), 9);
    },
  );
});

describe('final metrics', () => {
  it('agree with the outcomes of the same run, seed after seed', async () => {
    const s = (await loadScenarioFile('scenarios/bilateral-2025.yaml')).scenario as ChipsScenario;
    const run = chipsRunner(s, { events: false });
    for (const seed of [1, 2, 3, 17]) {
      const r = run(seed);
      const m = r.metrics.final;
      const cs = r.countries;
      const delivered = cs.reduce((a, c) => a + c.delivered, 0);
      const rival = cs.reduce((a, c) => a + c.rivalH100e, 0);
      expect(m.delivered).toBeCloseTo(delivered, 6);
      expect(m.leakage).toBeCloseTo(cs.reduce((a, c) => a + c.leaked, 0), 6);
      expect(m.marketShare).toBeCloseTo(delivered + rival > 0 ? delivered / (delivered + rival) : 1, 12);
      expect(m.countriesSwitched).toBe(cs.filter((c) => c.switched).length);
      expect(m.alternativeShare).toBeCloseTo(delivered + rival > 0 ? rival / (delivered + rival) : 0, 12);
      expect(m.enforcementCommitments).toBe(cs.filter((c) => c.securityCommitment > 0).length);
      expect(m.relationsMean).toBe(mean(cs.map((c) => c.relationsEnd)));
      expect(m.relationsMin).toBe(Math.min(...cs.map((c) => c.relationsEnd)));
      expect(m.relationsFell).toBe(cs.filter((c) => c.relationsEnd < c.relationsStart - s.relations.fallThreshold).length);
      expect(m.meanDistanceToNash).toBe(mean(cs.flatMap((c) => (c.meanDistanceToNash === null ? [] : [c.meanDistanceToNash]))));
      expect(m.meanCountryUtility).toBe(mean(cs.filter((c) => c.negotiations > 0).map((c) => c.utility)));
      expect(m.giniFulfilment).toBe(gini(cs.map((c) => c.fulfilment)));
      expect(m.giniFulfilment).toBeCloseTo(giniReference(cs.map((c) => c.fulfilment)), 12);
      expect(m.importerFulfilment).toBeCloseTo(delivered / cs.reduce((a, c) => a + c.demand, 0), 12);
      expect(m.concessionsUsd).toBeCloseTo(cs.reduce((a, c) => a + c.concessionsUsd, 0), 9);
      const adv = r.adversaries;
      expect(m.adversaryCompute).toBeCloseTo(adv.reduce((a, x) => a + x.domestic, 0) + adv.reduce((a, x) => a + x.licensed, 0) + adv.reduce((a, x) => a + x.diverted, 0), 6);
      // Rounds to agreement count from a country's first negotiation, which the outcomes do not carry:
      // at least they lie within the run.
      if (m.meanRoundsToAgreement !== null) expect(m.meanRoundsToAgreement).toBeGreaterThanOrEqual(1);
      if (m.meanRoundsToAgreement !== null) expect(m.meanRoundsToAgreement).toBeLessThanOrEqual(s.rounds);
    }
  });
});
