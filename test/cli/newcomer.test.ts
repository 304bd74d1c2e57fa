/** Smaller defects a newcomer met (issue 20), each replayed as they found it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hasStackTrace, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-newcomer-'));

describe('smaller defects', () => {
  it('an --out path under a file is a bad user path: exit 2 saying so, not "internal error" (70)', () => {
    writeFileSync(join(dir, 'hostname'), 'x\n');
    const r = cli(['run', 'scenarios/teaching/three-country.yaml', '--rounds', '2', '--out', join(dir, 'hostname', 'r.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out: cannot write ${join(dir, 'hostname', 'r.json')}: ${join(dir, 'hostname')} is a file, not a folder`);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    // The report's outputs name their own flag.
    writeFileSync(join(dir, 'r.json'), cli(['run', 'scenarios/teaching/three-country.yaml', '--rounds', '2', '--json']).stdout);
    const rep = cli(['report', join(dir, 'r.json'), '--html', join(dir, 'hostname', 'r.html')]);
    expect(rep.code).toBe(2);
    expect(rep.stderr).toMatch(/--html: cannot write .*is a file, not a folder/);
  }, 60_000);

  it('a wrong country id in an extends variant is one error saying lists are matched by id, with the likely id', () => {
    const f = join(dir, 'uae-strict.yaml');
    writeFileSync(f, `extends: ${join(ROOT, 'scenarios/bilateral-2025.yaml')}\nid: uae-strict\ncountries:\n  - id: UAE\n    patience: 0.9\n`);
    const r = cli(['validate', f, '--allow-outside']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/uae-strict\.yaml:4:\d+ at countries\[UAE\]: 'UAE' is not an id in the base scenario, so this adds a new element, which lacks name, tier, .*; lists under extends are matched by id — did you mean 'ARE'\?/);
  });

  it('bare tradesim is a usage error: help on stderr, nothing on stdout, exit 2; --help is help on stdout, exit 0', () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no command given[\s\S]*Usage:/);
    const h = cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Usage:/);
    expect(h.stderr).toBe('');
  });
});
