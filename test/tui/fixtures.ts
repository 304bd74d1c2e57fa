/**
 * Artifacts for the replay tests, produced by the real simulator: a chips run of the classroom world, a
 * bargaining run, and a comparison built from chips runs under several regimes (the same shape
 * `tradesim compare` writes; that command is built elsewhere, so the fixture assembles it here).
 */
import { fileURLToPath } from 'node:url';
import type { BargainingResult, ChipsResult, ComparisonResult, FinalMetrics, IntervalEstimate } from '../../src/core/events.js';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { runBargaining, runChips } from '../../src/sim/run.js';

const path = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export async function chipsWorld(): Promise<ChipsScenario> {
  const s = (await loadScenarioFile(path('scenarios/teaching/three-country.yaml'))).scenario;
  if (s.kind !== 'chips') throw new Error('three-country is a chips scenario');
  return s;
}

export async function chipsArtifact(regime = 'bilateral', seed = 7): Promise<ChipsResult> {
  return runChips(await chipsWorld(), { seed, regime, file: 'scenarios/teaching/three-country.yaml' });
}

export async function bargainingArtifact(): Promise<BargainingResult> {
  const s = (await loadScenarioFile(path('scenarios/teaching/split-the-pie.yaml'))).scenario;
  if (s.kind !== 'bargaining') throw new Error('split-the-pie is a bargaining scenario');
  return runBargaining(s, { file: 'scenarios/teaching/split-the-pie.yaml' });
}

function estimate(xs: readonly number[]): IntervalEstimate {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { mean, lo: s[0] ?? mean, hi: s[s.length - 1] ?? mean, n: s.length };
}

export async function comparisonArtifact(regimes = ['tiered-2025', 'bilateral', 'open'], seeds = [1, 2, 3]): Promise<ComparisonResult> {
  const world = await chipsWorld();
  const runs = Object.fromEntries(regimes.map((r) => [r, seeds.map((seed) => runChips(world, { seed, regime: r, file: 'three-country.yaml' }))]));
  const keys = Object.keys(runs[regimes[0] ?? '']?.[0]?.metrics.final ?? {}) as (keyof FinalMetrics)[];
  const summaries = Object.fromEntries(
    regimes.map((r) => [
      r,
      Object.fromEntries(
        keys.flatMap((k) => {
          const xs = (runs[r] ?? []).map((x) => x.metrics.final[k]).filter((v): v is number => typeof v === 'number');
          return xs.length ? [[k, estimate(xs)]] : [];
        }),
      ),
    ]),
  );
  const first = runs[regimes[0] ?? '']?.[0];
  if (!first) throw new Error('no runs');
  return {
    schemaVersion: first.schemaVersion,
    kind: 'comparison',
    tool: first.tool,
    scenario: first.scenario,
    rng: first.rng,
    seeds,
    regimes,
    interval: { method: 'min-max (test fixture)', level: 1 },
    summaries,
    differences: [],
    countries: Object.fromEntries(
      regimes.map((r) => [
        r,
        first.countries.map((c) => ({
          id: c.id,
          tier: c.tier,
          delivered: estimate((runs[r] ?? []).map((x) => x.countries.find((y) => y.id === c.id)?.delivered ?? 0)),
          fulfilment: estimate((runs[r] ?? []).map((x) => x.countries.find((y) => y.id === c.id)?.fulfilment ?? 0)),
        })),
      ]),
    ),
    examples: Object.fromEntries(regimes.map((r) => [r, (runs[r] ?? [])[0] as ChipsResult])),
  };
}
