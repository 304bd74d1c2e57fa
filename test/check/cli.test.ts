/** `tradesim check` as a user runs it: exit codes, text and JSON output, the reproduction file, bad input. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cli, hasStackTrace } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-check-cli-'));

describe('tradesim check', () => {
  it('prints help', () => {
    const r = cli(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: tradesim check <scenario>/);
    expect(r.stdout).toMatch(/--runs N/);
  });

  it('finds the planted fault, writes a reproduction that `run` and `check` reproduce, and prints the replay', () => {
    const dir = tmp();
    const r = cli(['check', 'test/fixtures/check/planted.yaml', '--out-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/FAILED after \d+ runs, shrunk in \d+ steps: invariant 'planted' fails/);
    expect(r.stdout).toMatch(/exporter\.supplyPerRound = 30000 {3}\(scenario: 20000\)/);
    expect(r.stdout).toMatch(/values seen:\n {2}country\.MID\.enforcement = 0\.6\n {2}final\.supply = 264000/);
    const written = join(dir, 'planted-fault.planted.yaml');
    expect(r.stdout).toContain(`reproduction written to ${written}`);
    const replay = /replay: (tradesim check \S+ --seed \d+ --path [\d:]+)/.exec(r.stdout)?.[1];
    expect(replay).toBeDefined();

    const text = readFileSync(written, 'utf8');
    expect(text).toMatch(/^extends: \.\.\//m);
    const run = cli(['run', written, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { metrics: { perRound: { supply: number }[] }; parameters: { countries: { id: string; enforcement: number }[] } };
    expect(result.metrics.perRound.reduce((a, m) => a + m.supply, 0)).toBe(264000);
    expect(result.parameters.countries.find((c) => c.id === 'MID')?.enforcement).toBe(0.6);
    const again = cli(['check', written, '--out-dir', tmp()]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/FAILED after 1 run/);

    const replayed = cli([...(replay ?? '').split(' ').slice(1), '--json', '--out-dir', tmp()]);
    expect(replayed.code).toBe(1);
    expect((JSON.parse(replayed.stdout) as { runs: number }).runs).toBe(1);
  }, 120_000);

  it('--json prints only the report, and exits 0 when every invariant holds', () => {
    const r = cli(['check', 'scenarios/teaching/three-country.yaml', '--runs', '5', '--seed', '3', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; runs: number; replay: { seed: number }; invariants: string[]; reproduction: unknown };
    expect(report).toMatchObject({ ok: true, runs: 5, replay: { seed: 3 }, reproduction: null });
    expect(report.invariants).toContain('supply-accounted');
  });

  it.each([
    [['check'], /missing scenario file/],
    [['check', 'scenarios/teaching/three-country.yaml', '--runs', '0'], /--runs: not a valid value; expected a whole number from 1/],
    [['check', 'scenarios/teaching/three-country.yaml', '--path', '1:2'], /--path replays a check only with the --seed/],
    [['check', 'scenarios/teaching/three-country.yaml', '--seed', '1', '--path', 'x'], /not a replay path/],
  ])('%j is bad input (exit 2)', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('reports a bad invariant with file, path and line in check, validate and run (exit 2, no stack trace)', () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `extends: ${JSON.stringify(join(ROOT, 'scenarios/teaching/three-country.yaml'))}\nid: bad\ninvariants:\n  evil: "final.leakage.constructor.constructor > 0"\n  sneaky: "import(1) > 0"\n`);
    for (const cmd of ['check', 'validate', 'run']) {
      const r = cli([cmd, file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:4:9 at invariants.evil: expression "final.leakage.constructor.constructor > 0": unknown name`);
      expect(r.stderr).toMatch(/bad\.yaml:5:11 at invariants\.sneaky: .*the function 'import' is not allowed/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    expect(existsSync(join(ROOT, 'counterexamples'))).toBe(false);
  });
});
