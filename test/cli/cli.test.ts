/** One spawn test per CLI contract: help, version, JSON-only stdout, determinism, exit codes, atomic --out. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFile } from '../../src/core/paths.js';
import { cli, cliReadingFirstBytes, hasStackTrace } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-cli-'));

describe('tradesim CLI', () => {
  it.each([[['--help']], [['run', '--help']], [['validate', '--help']], [['list', '--help']]])('%j prints help and exits 0', (args) => {
    const r = cli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage:/);
    expect(r.stdout).toMatch(/Exit codes/);
  });

  it('prints its version, read from package.json by the bundled CLI', () => {
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version);
  });

  it('finds the bundles the build writes where the launcher and src/core/paths.ts name them', () => {
    // A misplaced replay bundle would not fail: the replay falls back to its modules, only slower.
    expect(readFileSync(packageFile('bin/tradesim.js'), 'utf8')).toContain("from '../dist/bundle/main.js'");
    for (const f of ['dist/bundle/main.js', 'dist/research/sweep-worker.bundle.js', 'dist/tui/launch.bundle.js']) {
      expect(existsSync(packageFile(f)), f).toBe(true);
    }
  });

  it('runs the default scenario without a TTY as a readable text report', () => {
    const r = cli(['run', 'scenarios/bilateral-2025.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Allocations/);
    expect(r.stdout).toMatch(/Key metrics/);
    expect(r.stdout.includes(String.fromCharCode(27))).toBe(false);
  });

  it('gives identical JSON bytes for the same seed and different results for another seed', () => {
    const a = cli(['run', 'scenarios/bilateral-2025.yaml', '--seed', '7', '--json']);
    const b = cli(['run', 'scenarios/bilateral-2025.yaml', '--seed', '7', '--json']);
    const c = cli(['run', 'scenarios/bilateral-2025.yaml', '--seed', '8', '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const ja = JSON.parse(a.stdout) as { schemaVersion: number; seed: number; metrics: unknown; rng: string; scenario: { hash: string } };
    const jc = JSON.parse(c.stdout) as typeof ja;
    expect(ja.schemaVersion).toBe(2);
    expect(ja.seed).toBe(7);
    expect(ja.rng).toMatch(/alea/);
    expect(ja.scenario.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(jc.metrics).not.toEqual(ja.metrics);
  });

  it('exits 0 without a stack trace when the reader of --json stops early (| head)', async () => {
    // The result is ~1.2 MB, far more than a pipe holds, so the CLI is still writing when the pipe closes.
    const r = await cliReadingFirstBytes(['run', 'scenarios/bilateral-2025.yaml', '--json']);
    expect(r.read).toBeGreaterThan(0);
    expect(r.read).toBeLessThan(1_000_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('writes --out atomically and leaves no temporary files', () => {
    const dir = tmp();
    const out = join(dir, 'sub', 'result.json');
    const r = cli(['run', 'scenarios/tiered-2025.yaml', '--seed', '1', '--json', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['result.json']);
  });

  it('rejects a broken scenario with exit 2, the file, the path and the line, and no stack trace', () => {
    const dir = tmp();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'kind: chips\nid: broken\nexporter:\n  supplyPerRound: 100\n  price: -5\n  leakageCost: 1\ncountries: []\nregime: open\n');
    const r = cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.yaml');
    expect(r.stderr).toMatch(/exporter\.price/);
    expect(r.stderr).toMatch(/:5/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('rejects unknown flags, commands, regimes and strategies with exit 2 and a suggestion', () => {
    const flag = cli(['run', 'scenarios/bilateral-2025.yaml', '--sed', '3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--seed/);
    const cmd = cli(['rnu']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/did you mean "run"/);
    const regime = cli(['run', 'scenarios/bilateral-2025.yaml', '--regime', 'tierd-2025']);
    expect(regime.code).toBe(2);
    expect(regime.stderr).toMatch(/tiered-2025/);
    const seed = cli(['run', 'scenarios/bilateral-2025.yaml', '--seed', 'abc']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed/);
    for (const r of [flag, cmd, regime, seed]) expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('names the place of an unknown strategy, with the file and line', () => {
    const r = cli(['validate', 'scenarios/bilateral-2025.yaml', '--set', 'exporter.strategy=bulware']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exporter\.strategy/);
    expect(r.stderr).toMatch(/did you mean "boulware"/);
  });

  it('validates and lists as JSON', () => {
    const v = cli(['validate', 'scenarios/tiered-2025.yaml', '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, kind: 'chips' });
    const l = cli(['list', '--json']);
    expect(l.code).toBe(0);
    const data = JSON.parse(l.stdout) as { scenarios: unknown[]; regimes: { id: string }[]; strategies: { name: string; deterministic: boolean }[] };
    expect(data.regimes.map((r) => r.id)).toEqual(expect.arrayContaining(['tiered-2025', 'bilateral', 'open']));
    expect(data.strategies.map((s) => s.name)).toEqual(
      expect.arrayContaining(['boulware', 'linear', 'conceder', 'tit-for-tat', 'zeuthen', 'hardliner', 'equilibrium']),
    );
    expect(data.scenarios.length).toBeGreaterThanOrEqual(4);
    const x = cli(['list', 'exercises', '--json']);
    expect(x.code).toBe(0);
    const ex = (JSON.parse(x.stdout) as { exercises: { file: string; seats: string[] }[] }).exercises;
    expect(ex).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'scenarios/exercises/gulf-compute-deal.yaml', seats: ['ARE', 'SAU'] })]));
  });

  it('reproduces Rubinstein through --set on the pie-splitting scenario', () => {
    const r = cli(['run', 'scenarios/teaching/split-the-pie.yaml', '--set', 'parties[0].discount=0.95', '--set', 'parties[1].discount=0.7', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { negotiation: { agreement: { outcome: number[] } }; theory: { rubinstein: { infiniteHorizon: number } } };
    const expected = (1 - 0.7) / (1 - 0.95 * 0.7);
    expect(j.theory.rubinstein.infiniteHorizon).toBeCloseTo(expected, 9);
    expect(Math.abs((j.negotiation.agreement.outcome[0] ?? 0) - expected)).toBeLessThan(1e-6);
  });
});

describe('tradesim CLI on hostile input', () => {
  const fixtures = [
    'billion-laughs.yaml',
    'custom-tag.yaml',
    'local-tag.yaml',
    'proto-pollution.yaml',
    'proto-pollution.json',
    'recursive-alias.yaml',
    'cycle-a.yaml',
    'duplicate-keys.yaml',
    'bad-expression.yaml',
    'bad-chips-expression.yaml',
    'child-of-bad.yaml',
    'empty.yaml',
    'top-level-list.yaml',
    'yaml-in-json.json',
    'wrong-extension.txt',
  ];
  it.each(fixtures)('%s: exit 2, names the file, no stack trace, nothing on stdout', (name) => {
    const r = cli(['run', `test/fixtures/input/${name}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/tradesim: error: /);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('refuses expression attacks given through --set', () => {
    for (const attack of ['cos.constructor("return process")()', 'import({}, {override: true})', 'f(x) = x', 'random()', 'evaluate("1")']) {
      const r = cli(['run', 'scenarios/teaching/split-the-pie.yaml', '--set', `parties[0].utility=${attack}`]);
      expect(r.code, attack).toBe(2);
      expect(r.stderr).toMatch(/parties\[0\]\.utility/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it('refuses a directory, a missing file and binary garbage', () => {
    const dir = tmp();
    const garbage = join(dir, 'garbage.yaml');
    writeFileSync(garbage, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe]));
    for (const f of [dir, join(dir, 'missing.yaml'), garbage]) {
      const r = cli(['run', f]);
      expect(r.code, f).toBe(2);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });
});
