/**
 * Artifacts for the replay tests, produced by the real simulator: a chips run of the classroom world, a
 * bargaining run, and a comparison of chips runs under several regimes.
 */
import { fileURLToPath } from 'node:url';
import type { BargainingResult, ChipsResult, ComparisonResult } from '../../src/core/events.js';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import type { ChipsScenario } from '../../src/core/scenario/schema.js';
import { compare } from '../../src/research/compare.js';
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

/** The calibrated scenario (24 countries): enough rows to crowd a small terminal. */
export async function calibratedArtifact(seed = 1): Promise<ChipsResult> {
  const s = (await loadScenarioFile(path('scenarios/bilateral-2025.yaml'))).scenario;
  if (s.kind !== 'chips') throw new Error('bilateral-2025 is a chips scenario');
  return runChips(s, { seed, file: 'scenarios/bilateral-2025.yaml' });
}

export async function bargainingArtifact(): Promise<BargainingResult> {
  const s = (await loadScenarioFile(path('scenarios/teaching/split-the-pie.yaml'))).scenario;
  if (s.kind !== 'bargaining') throw new Error('split-the-pie is a bargaining scenario');
  return runBargaining(s, { file: 'scenarios/teaching/split-the-pie.yaml' });
}

/** A comparison as `tradesim compare` makes it (the library function the command calls). */
export async function comparisonArtifact(regimes = ['tiered-2025', 'bilateral', 'open'], seeds = [1, 2, 3]): Promise<ComparisonResult> {
  return compare(await chipsWorld(), { regimes, seeds, file: 'three-country.yaml', resamples: 200 });
}
