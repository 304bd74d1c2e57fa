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
});
