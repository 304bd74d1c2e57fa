/**
 * Inputs at the edge of what the model can hold: money and quantities past their ceiling are refused at load
 * (exit 2, naming the path), values at the ceiling run to finite results, and a run whose event log would
 * not fit in an artifact is refused before it starts, while its text report still runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { runChips } from '../../src/sim/run.js';
import { cli, hasStackTrace, ROOT } from '../helpers/cli.js';

const BILATERAL = join(ROOT, 'scenarios/bilateral-2025.yaml');

describe('numeric ceilings', () => {
  it.each(['exporter.leakageCost=1e308', 'exporter.price=1e308', 'countries[IND].valuePerH100e=1e12', 'exporter.supplyPerRound=1e300', 'countries[IND].concessions.maxInvestment=1e9'])(
    '--set %s is refused at load with the path',
    (set) => {
      const r = cli(['validate', BILATERAL, '--set', set]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(set.split('=')[0] as string);
      expect(r.stderr).toMatch(/too large/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    },
  );

  it('every money and quantity field at its ceiling gives finite metrics', async () => {
    for (const set of [
      'exporter.leakageCost=1e9',
      'exporter.price=1e9',
      'countries[IND].valuePerH100e=1e9',
      'exporter.supplyPerRound=1e12',
      'countries[IND].demandPerRound=1e12',
      'countries[IND].demandPerRound=5e-324',
      'rival.stigma=1e9',
      'adversaries[CHN].valuePerH100e=1e9',
      'countries[IND].concessions.tariffValuePerPp=1e7',
    ]) {
      const s = (await loadScenarioFile(BILATERAL, { sets: [set] })).scenario as ChipsScenario;
      const r = runChips({ ...s, rounds: 4 }, { seed: 1, events: false });
      for (const [k, v] of Object.entries(r.metrics.final)) if (v !== null) expect(Number.isFinite(v), `${set}: ${k} = ${v}`).toBe(true);
    }
  });
});

describe('artifact size', () => {
  it('a run whose event log would not fit an artifact is refused before it runs; its text report still runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-big-'));
    const rows = Array.from({ length: 1_000 }, (_, i) => {
      const id = `C${String(i).padStart(4, '0')}`;
      return `  - { id: ${id}, name: Country ${i}, tier: 1, gdp: 100, demandPerRound: 100, valuePerH100e: 40000, relations: 0.6, diversionRisk: 0.01, enforcement: 0.8, patience: 0.99, strategy: linear, rivalAccess: 0.1 }`;
    });
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `extends: ${JSON.stringify(join(ROOT, 'scenarios/teaching/three-country.yaml'))}\nid: big\ncountries:\n${rows.join('\n')}\n`);
    const t0 = Date.now();
    const r = cli(['run', file, '--rounds', '120', '--json', '--allow-outside']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at --json: the result artifact would hold an event log of about [\d,]+ MB \(12[\d,]+ country-rounds\)/);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(60_000);
    const text = cli(['run', file, '--rounds', '2', '--no-tui', '--allow-outside']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Key metrics');
  }, 120_000);
});
