/** A bargaining grid larger than the engine enumerates is refused at load, with its place, not at run time. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_GRID_OUTCOMES } from '../../src/core/scenario/schema.js';
import { MAX_OUTCOMES } from '../../src/negotiation/outcome-space.js';
import { cli, hasStackTrace } from '../helpers/cli.js';

const scenario = (resolution: string) => `kind: bargaining
id: grid
issues:
  - { name: a, min: 0, max: 1 }
  - { name: b, min: 0, max: 1 }
  - { name: c, min: 0, max: 1 }
parties:
  - { name: A, utility: a + b + c }
  - { name: B, utility: 3 - a - b - c }
${resolution}`;

describe('bargaining grid size', () => {
  it('uses the same limit as the engine', () => {
    expect(MAX_GRID_OUTCOMES).toBe(MAX_OUTCOMES);
  });

  it('refuses an explicit resolution whose grid is too large, naming the line (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-grid-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(file, scenario('resolution: 101\n'));
    const r = cli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('big.yaml:10');
    expect(r.stderr).toContain('1030301 outcomes');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('without a resolution, several continuous issues run on a grid that fits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-grid-'));
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, scenario(''));
    const r = cli(['run', file, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { theory: { nash: unknown } };
    expect(out.theory.nash).not.toBeNull();
  });

  it.each([
    ['8 discrete issues of 1,000 steps', Array.from({ length: 8 }, (_, i) => `  - { name: d${i}, min: 0, max: 1, steps: 1000 }`).join('\n')],
    ['discrete issues of 1,000 x 1,001 steps and a continuous one', '  - { name: d0, min: 0, max: 1, steps: 1000 }\n  - { name: d1, min: 0, max: 1, steps: 1001 }\n  - { name: c, min: 0, max: 1 }'],
  ])('refuses %s at load, naming issues (exit 2), where the run would fail', (_name, issues) => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-grid-'));
    const file = join(dir, 'discrete.yaml');
    writeFileSync(file, `kind: bargaining\nid: d\nissues:\n${issues}\nparties:\n  - { name: A, utility: d0 }\n  - { name: B, utility: 1 - d0 }\n`);
    for (const cmd of ['validate', 'run']) {
      const r = cli([cmd, file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/discrete\.yaml:4:\d+ at issues: the issues' grid has .* outcomes \(at most 1000000\); give issues fewer steps/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });
});
