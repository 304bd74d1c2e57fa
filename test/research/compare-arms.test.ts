/**
 * compare over arms (scenario file x regime): scenario variants against their base on the same seeds, each
 * under its own regime and timeline or a given one, with the per-country paired differences (who gains and
 * loses). Written against issue 20: on fe51761 compare took one scenario and varied only the regime.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/canonical.js';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { stream } from '../../src/core/rng.js';
import { armLabels, BOOTSTRAP_STREAM, compare, compareArms } from '../../src/research/compare.js';
import { bootstrapMeans } from '../../src/research/stats.js';
import { comparisonCsv, comparisonReport } from '../../src/report/compare.js';
import { gainsPairs } from '../../src/report/gains.js';
import { runChips } from '../../src/sim/run.js';
import { ROOT } from '../helpers/cli.js';

const TOY = 'scenarios/teaching/three-country.yaml';
const load = async (f: string, sets: readonly string[] = []) => (await loadScenarioFile(f, { sets })).scenario as ChipsScenario;

/** A variant of the toy world in its own folder: the middle country keeps its chips at home (more patient, a richer rival). */
function variantFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-arms-'));
  const f = join(dir, 'toy-variant.yaml');
  writeFileSync(f, `extends: ${join(ROOT, TOY)}\nid: toy-variant\ntitle: Toy variant\nexporter:\n  supplyPerRound: 9000\n`);
  return f;
}

describe('compareArms: scenario variants', () => {
  it('runs each file under its own regime on the same seeds, labels arms by scenario id and records file, id, hash and regime', async () => {
    const vf = variantFile();
    const [base, variant] = [await load(TOY), await load(vf)];
    const c = compareArms([{ scenario: base, file: TOY }, { scenario: variant, file: vf }], { seeds: 4, seedStart: 3, resamples: 200 });
    expect(c.regimes).toEqual([base.id, 'toy-variant']);
    expect(c.seeds).toEqual([3, 4, 5, 6]);
    expect(c.arms).toEqual([
      { label: base.id, file: TOY, scenarioId: base.id, title: base.title, hash: contentHash(base), regime: base.regime, regimeGiven: false },
      { label: 'toy-variant', file: vf, scenarioId: 'toy-variant', title: 'Toy variant', hash: contentHash(variant), regime: variant.regime, regimeGiven: false },
    ]);
    // Common random numbers: run i of each arm is `tradesim run <file> --seed s`, the scenario's own regime.
    c.seeds.forEach((seed, i) => {
      expect(c.runs?.[base.id]?.[i]).toEqual(runChips(base, { seed, events: false }).metrics.final);
      expect(c.runs?.['toy-variant']?.[i]).toEqual(runChips(variant, { seed, events: false }).metrics.final);
    });
    expect(c.differences.every((d) => d.a === base.id && d.b === 'toy-variant')).toBe(true);
  });

  it('gives per-country paired differences: who gains and who loses chips', async () => {
    const vf = variantFile();
    const [base, variant] = [await load(TOY), await load(vf)];
    const c = compareArms([{ scenario: base, file: TOY }, { scenario: variant, file: vf }], { seeds: 5, resamples: 200 });
    const ids = base.countries.map((x) => x.id).sort();
    for (const id of ids) {
      const d = c.countryDifferences?.find((x) => x.country === id && x.metric === 'delivered');
      const per = c.seeds.map((seed) => {
        const got = (s: ChipsScenario) => runChips(s, { seed, events: false }).countries.find((x) => x.id === id)?.delivered ?? NaN;
        return got(variant) - got(base);
      });
      expect(d?.estimate.mean).toBeCloseTo(per.reduce((a, b) => a + b, 0) / per.length, 6);
      expect(d?.estimate.n).toBe(5);
    }
    expect(new Set(c.countryDifferences?.map((d) => d.metric))).toEqual(new Set(['delivered', 'fulfilment', 'concessionsUsd', 'relationsEnd']));
    // Less supply: some country gets fewer chips, and the verdict says so in words.
    const [pair] = gainsPairs(c);
    expect(pair?.rows.map((r) => r.id).sort()).toEqual(ids);
    expect(pair?.rows.some((r) => r.verdict === 'loses')).toBe(true);
    const text = comparisonReport(c);
    expect(text).toContain('Who gains and loses: toy-variant - three-country');
    expect(text).toMatch(/\bloses\b/);
    expect(comparisonCsv(c)).toMatch(/\ncountry-difference,toy-variant,three-country,\w+,delivered,/);
  });

  it('leaves the regime comparison as it was: labels are the regimes, metric intervals unchanged by the country series', async () => {
    const s = await load(TOY);
    const c = compare(s, { regimes: ['bilateral', 'open'], seeds: 3, file: TOY, resamples: 200 });
    expect(c.regimes).toEqual(['bilateral', 'open']);
    expect(c.arms?.map((a) => [a.label, a.regime, a.regimeGiven])).toEqual([
      ['bilateral', 'bilateral', true],
      ['open', 'open', true],
    ]);
    expect(c.countries.open?.[0]).toHaveProperty('relationsEnd');
    // The metric differences' bootstrap is what it was before the country series were appended to it.
    const fa = c.runs?.bilateral ?? [];
    const fb = c.runs?.open ?? [];
    const series = c.differences.map((d) => Float64Array.from(c.seeds, (_, k) => {
      const x = fa[k]?.[d.metric];
      const y = fb[k]?.[d.metric];
      if (x === null || x === undefined || y === null || y === undefined) return Number.NaN;
      return Math.abs(y - x) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y)) ? 0 : y - x;
    }));
    expect(bootstrapMeans(series, 0.95, 200, stream(c.seeds[0] ?? 0, BOOTSTRAP_STREAM))).toEqual(c.differences.map((d) => d.estimate));
  });

  it('labels arms by what tells them apart, and refuses the same arm twice', async () => {
    const s = await load(TOY);
    const v = { ...s, id: 'v' };
    expect(armLabels([{ scenario: s, file: 'a.yaml', regime: 'open' }, { scenario: s, file: 'a.yaml', regime: 'bilateral' }])).toEqual(['open', 'bilateral']);
    expect(armLabels([{ scenario: s, file: 'a.yaml' }, { scenario: v, file: 'b.yaml' }])).toEqual(['three-country', 'v']);
    expect(armLabels([{ scenario: s, file: 'x/a.yaml' }, { scenario: s, file: 'y/b.yaml' }])).toEqual(['a', 'b']);
    expect(armLabels([{ scenario: s, file: 'x/a.yaml' }, { scenario: s, file: 'y/a.yaml' }])).toEqual(['x/a.yaml', 'y/a.yaml']);
    expect(
      armLabels([
        { scenario: s, file: 'a.yaml', regime: 'open' },
        { scenario: s, file: 'a.yaml', regime: 'bilateral' },
        { scenario: v, file: 'b.yaml', regime: 'open' },
        { scenario: v, file: 'b.yaml', regime: 'bilateral' },
      ]),
    ).toEqual(['three-country:open', 'three-country:bilateral', 'v:open', 'v:bilateral']);
    expect(() => compareArms([{ scenario: s, file: 'a.yaml' }, { scenario: s, file: 'a.yaml' }], { seeds: 2 })).toThrow(/the same arm is given twice/);
  });
});
