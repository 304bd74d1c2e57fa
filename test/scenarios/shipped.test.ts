/**
 * The shipped scenarios: each validates, runs, and gives every number a source key from docs/sources.md or
 * labels it an assumption, through its `provenance` map (paths with ids for array elements, * for one segment).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import { runScenario } from '../../src/sim/run.js';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'scenarios');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    // scenarios/exercises/ holds classroom exercise packs, not scenarios (tested in test/classroom).
    e.isDirectory() ? (e.name === 'exercises' ? [] : files(join(dir, e.name))) : /\.(ya?ml|json)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every numeric leaf of a document, as a dotted path (array elements by id where they have one). */
function numericLeaves(node: unknown, path: string[] = []): string[] {
  if (typeof node === 'number') return [path.join('.')];
  if (Array.isArray(node)) {
    return node.flatMap((x: unknown, i) => {
      const id = typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined;
      return numericLeaves(x, [...path, typeof id === 'string' ? id : String(i)]);
    });
  }
  if (node !== null && typeof node === 'object') {
    // uncertain: and invariants: are checks over the model, not inputs to it (their ranges are explained in
    // comments); a timeline event carries its own `source`, checked below.
    return Object.entries(node).flatMap(([k, v]) => (k === 'provenance' || (path.length === 0 && (k === 'uncertain' || k === 'invariants' || k === 'timeline')) ? [] : numericLeaves(v, [...path, k])));
  }
  return [];
}

function covers(pattern: string, path: string): boolean {
  const p = pattern.split('.');
  const q = path.split('.');
  return p.length === q.length && p.every((seg, i) => seg === '*' || seg === q[i]);
}

const SOURCE = /^(S\d{1,2}\b|assumption\b)/;

describe.each(files(DIR).map((f) => [relative(ROOT, f)]))('%s', (file) => {
  it('validates, runs, and sources every number', async () => {
    const loaded = await loadScenarioFile(join(ROOT, file));
    const provenance = loaded.scenario.provenance;
    for (const [k, v] of Object.entries(provenance)) expect(v, `provenance.${k}`).toMatch(SOURCE);
    const leaves = numericLeaves(loaded.document);
    expect(leaves.length).toBeGreaterThan(0);
    const uncovered = leaves.filter((leaf) => !Object.keys(provenance).some((p) => covers(p, leaf)));
    expect(uncovered).toEqual([]);
    if (loaded.scenario.kind === 'chips') for (const e of loaded.scenario.timeline) expect(e.source, `timeline[${e.id}].source`).toMatch(SOURCE);
    const result = runScenario(loaded.scenario, { seed: 1 });
    expect(result.schemaVersion).toBe(2);
  });
});
