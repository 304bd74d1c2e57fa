/** `tradesim replay` reads only well-formed artifacts; each kind of bad file gets a clear message and exit 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { parseArtifact } from '../../src/report/artifact.js';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { bargainingArtifact, chipsArtifact, comparisonArtifact } from './fixtures.js';

const problems = (text: string): string => {
  try {
    parseArtifact(text, 'r.json');
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  return 'accepted';
};

describe('artifact checks', async () => {
  const chips = await chipsArtifact();
  const good = JSON.stringify(chips);

  it('accepts what the simulator writes, of every kind', async () => {
    expect(parseArtifact(good, 'r.json').kind).toBe('chips');
    expect(parseArtifact(JSON.stringify(await bargainingArtifact()), 'b.json').kind).toBe('bargaining');
    expect(parseArtifact(JSON.stringify(await comparisonArtifact()), 'c.json').kind).toBe('comparison');
  });

  it('names the file and the line of a JSON syntax error', () => {
    expect(problems('{\n  "schemaVersion": 1,\n  oops\n}')).toMatch(/^r\.json:3:\d+: not valid JSON/);
    expect(problems('')).toMatch(/^r\.json: not valid JSON/);
  });

  it('rejects another schemaVersion and an unknown kind', () => {
    expect(problems(JSON.stringify({ ...chips, schemaVersion: 99 }))).toBe(
      'r.json at schemaVersion: this artifact was written by a different version of tradesim; expected schemaVersion 2; found 99',
    );
    expect(problems(JSON.stringify({ ...chips, kind: 'poem' }))).toMatch(/at kind: unknown artifact kind; expected chips, bargaining or comparison; found "poem"/);
    expect(problems('[1, 2]')).toMatch(/at \(top level\).*expected an object; found a list of 2/);
  });

  it('points at structural problems by path', () => {
    const broken = JSON.parse(good) as { rounds: { events: { type: string }[] }[]; metrics: { perRound: unknown[] } };
    (broken.rounds[1] as { events: { type: string }[] }).events[0] = { type: 'party' };
    expect(problems(JSON.stringify(broken))).toMatch(/at rounds\[1\]\.events\[0\]\.type: .*found "party"/);
    const short = JSON.parse(good) as { metrics: { perRound: unknown[] } };
    short.metrics.perRound.pop();
    expect(problems(JSON.stringify(short))).toMatch(/at metrics\.perRound: .*one entry per round/);
  });

  it('detects parameters edited after the run (hash mismatch)', () => {
    const edited = JSON.parse(good) as { parameters: { seed: number } };
    edited.parameters.seed += 1;
    expect(problems(JSON.stringify(edited))).toMatch(/at scenario\.parametersHash: the scenario hash does not match the parameters/);
  });
});

describe('tradesim replay (no terminal)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-replay-'));
  const chips = await chipsArtifact();
  const file = join(dir, 'result.json');
  writeFileSync(file, JSON.stringify(chips));

  it('prints the plain report of a run', () => {
    const r = cli(['replay', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Allocations (H100e, cumulative over the run)');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('prints the regimes side by side for a comparison', async () => {
    const c = join(dir, 'comparison.json');
    writeFileSync(c, JSON.stringify(await comparisonArtifact()));
    const r = cli(['replay', c, '--no-tui'], { env: { COLUMNS: '' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tiered-2025\s+bilateral\s+open/);
    // 80 columns by default (long labels abbreviated); --wide gives them whole.
    expect(Math.max(...r.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(cli(['replay', c, '--no-tui', '--wide']).stdout).toContain('Chips exported to importers');
  });

  it('exits 2 naming the file for each kind of bad input, without a stack trace', () => {
    const bad = (name: string, text: string): void => {
      const f = join(dir, name);
      writeFileSync(f, text);
      const r = cli(['replay', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(f);
      expect(hasStackTrace(r.stderr)).toBe(false);
    };
    bad('corrupt.json', JSON.stringify(chips).slice(0, 500));
    bad('version.json', JSON.stringify({ ...chips, schemaVersion: 3 }));
    bad('hash.json', JSON.stringify({ ...chips, scenario: { ...chips.scenario, parametersHash: '0'.repeat(64) } }));
    // An artifact from before parametersHash: its `hash` was of the parameters, and is checked as such.
    const { parametersHash: _, ...legacy } = chips.scenario as typeof chips.scenario & { parametersHash?: string };
    bad('legacy-hash.json', JSON.stringify({ ...chips, scenario: { ...legacy, hash: '0'.repeat(64) } }));
    const missing = cli(['replay', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the result file: no such file');
    expect(cli(['replay']).code).toBe(2);
  });

  it('has help, and run documents --no-tui', () => {
    expect(cli(['replay', '--help']).stdout).toContain('Usage: tradesim replay <result.json>');
    expect(cli(['run', '--help']).stdout).toContain('--no-tui');
    expect(cli(['--help']).stdout).toMatch(/replay\s+replay a saved result/);
  });

  it('run without a terminal prints the same report with or without --no-tui', () => {
    const a = cli(['run', 'scenarios/teaching/three-country.yaml', '--seed', '3']);
    const b = cli(['run', 'scenarios/teaching/three-country.yaml', '--seed', '3', '--no-tui']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('Key metrics');
  });
});
