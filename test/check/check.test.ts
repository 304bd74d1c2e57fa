/**
 * tradesim check as a library: a planted fault is found within the default budget and shrunk to the edge of
 * its region; the written reproduction file reproduces it exactly; comparative and identical invariants;
 * `extends` with `off` and `fixed`; bad entries are input errors naming file, path and line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, evaluateDraw, plan } from '../../src/check/check.js';
import { reportText, reproductionYaml } from '../../src/check/report.js';
import { InputError } from '../../src/core/errors.js';
import { loadScenarioFile, loadScenarioText } from '../../src/core/scenario/load.js';
import { runScenario } from '../../src/sim/run.js';
import { ROOT } from '../helpers/cli.js';

const THREE = join(ROOT, 'scenarios/teaching/three-country.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-check-'));

/** A scenario extending three-country, written to a temporary folder so that `extends` resolves. */
function variant(body: string): { file: string; text: string } {
  const dir = tmp();
  const file = join(dir, 'variant.yaml');
  const text = `extends: ${JSON.stringify(THREE)}\nid: variant\n${body}`;
  writeFileSync(file, text);
  return { file, text };
}

function inputProblem(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('tradesim check (library)', () => {
  it('finds the planted fault within the default budget and shrinks it to the edge of its narrow region', async () => {
    const loaded = await loadScenarioFile(join(ROOT, 'test/fixtures/check/planted.yaml'));
    const p = plan(loaded);
    expect(p.parameters).toHaveLength(7);
    const r = check(p);
    expect(r.ok).toBe(false);
    const cx = r.counterexample;
    expect(cx?.invariant.name).toBe('planted');
    // Shrinking leaves only the two parameters that matter, each at the boundary nearest the scenario's value.
    expect(cx?.changed.map((c) => [c.path, c.value])).toEqual([
      ['exporter.supplyPerRound', 30000],
      ['countries[MID].enforcement', 0.6],
    ]);
    expect(cx?.unchanged).toHaveLength(5);
    expect(cx?.verdict.values).toEqual([
      { name: 'country.MID.enforcement', value: '0.6' },
      { name: 'final.supply', value: '264000' },
    ]);
    const text = reportText(r, 'planted.yaml', 'out/x.yaml');
    expect(text).toMatch(/FAILED after \d+ runs?, shrunk in \d+ steps?: invariant 'planted' fails: the planted fault/);
    expect(text).toMatch(/countries\[MID\]\.enforcement = 0\.6 {3}\(scenario: 0\.4\)/);
    expect(text).toMatch(/replay: tradesim check planted\.yaml --seed 1 --path [\d:]+/);

    // The reproduction file extends the original, fixes the values and the seed, and reproduces exactly.
    const dir = tmp();
    const out = join(dir, 'repro.yaml');
    writeFileSync(out, reproductionYaml(p, r, out, 'planted.yaml'));
    const again = await loadScenarioFile(out);
    const p2 = plan(again);
    expect(p2.parameters).toHaveLength(0);
    const r2 = check(p2);
    expect(r2.ok).toBe(false);
    expect(r2.runs).toBe(1);
    expect(r2.counterexample?.verdict.values).toEqual(cx?.verdict.values);
    const direct = runScenario(again.scenario);
    const drawn = runScenario(loaded.scenario.kind === 'chips' ? { ...loaded.scenario, ...{} } : loaded.scenario, { seed: cx?.seed ?? -1 });
    expect(direct.seed).toBe(cx?.seed);
    expect(direct.kind === 'chips' && drawn.kind === 'chips' && direct.metrics.perRound.reduce((a, m) => a + m.supply, 0)).toBe(264000);
  }, 120_000);

  it('replays a counterexample from its seed and path in one run', async () => {
    const loaded = await loadScenarioFile(join(ROOT, 'test/fixtures/check/planted.yaml'));
    const p = plan(loaded);
    const r = check(p, { runs: 500, seed: 1 });
    const replay = check(p, { seed: r.replay.seed, ...(r.replay.path !== undefined ? { path: r.replay.path } : {}) });
    expect(replay.ok).toBe(false);
    expect(replay.counterexample?.changed).toEqual(r.counterexample?.changed);
  }, 120_000);

  it('is reproducible: the same seed gives the same report', () => {
    const { file, text } = variant(`uncertain:\n  exporter.supplyPerRound: { range: [5000, 40000] }\ninvariants:\n  small-leak: "final.leakage <= 0.02 * final.supply"\n`);
    const p = plan(loadScenarioText(text, file));
    const a = check(p, { runs: 50, seed: 9 });
    const b = check(p, { runs: 50, seed: 9 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('evaluates comparative and identical invariants over two runs with the same seed', () => {
    const { file, text } = variant(
      [
        'uncertain:',
        '  exporter.supplyPerRound: { range: [5000, 40000], step: 500 }',
        'invariants:',
        '  same: { identical: true }',
        '  more-supply:',
        '    with:',
        '      exporter.supplyPerRound: { times: 2 }',
        '    expect: "b.final.supply > a.final.supply and b.final.delivered >= a.final.delivered"',
        '  less-supply-more-chips:',
        '    with:',
        '      exporter.supplyPerRound: { times: 0.5 }',
        '    expect: "b.final.delivered > a.final.delivered"',
        '',
      ].join('\n'),
    );
    const p = plan(loadScenarioText(text, file));
    const values = p.parameters.map((x) => (x.path === 'exporter.supplyPerRound' ? 20000 : x.nominal));
    const verdicts = evaluateDraw(p, { values, seed: 3 });
    expect(verdicts.filter((v) => ['same', 'more-supply', 'less-supply-more-chips'].includes(v.invariant)).map((v) => [v.invariant, v.holds])).toEqual([
      ['same', true],
      ['more-supply', true],
      ['less-supply-more-chips', false],
    ]);
    const r = check(p, { runs: 20 });
    expect(r.counterexample?.invariant.name).toBe('less-supply-more-chips');
    expect(r.counterexample?.verdict.values.map((v) => v.name)).toEqual(['b.final.delivered', 'a.final.delivered']);
  });

  it('names the elements that break an all()', () => {
    const { file, text } = variant('uncertain:\n  seed: fixed\ninvariants:\n  everyone-served: "all(countries.delivered > 0)"\n');
    const r = check(plan(loadScenarioText(text, file)));
    expect(r.runs).toBe(1);
    expect(r.counterexample?.verdict.witnesses).toEqual(['all() over countries is false for FAR']);
  });

  it('lets an entry for one value override an inherited [*] entry', () => {
    const { file, text } = variant('uncertain:\n  countries[MID].patience: { range: [0.5, 0.6] }\n');
    const p = plan(loadScenarioText(text, file));
    const mid = p.parameters.filter((x) => x.path === 'countries[MID].patience');
    expect(mid.map((x) => x.spec)).toEqual([{ range: [0.5, 0.6] }]);
    expect(p.parameters.map((x) => x.path)).toContain('countries[NTH].patience');
  });

  it('lets an extending file switch off inherited invariants and fix inherited uncertain values', async () => {
    const base = await loadScenarioFile(THREE);
    const inherited = plan(base);
    expect(inherited.invariants.map((i) => i.name)).toContain('supply-accounted');
    const { file, text } = variant('uncertain:\n  countries[*].patience: fixed\n  seed: fixed\ninvariants:\n  supply-accounted: off\n');
    const p = plan(loadScenarioText(text, file));
    expect(p.invariants.map((i) => i.name)).not.toContain('supply-accounted');
    expect(p.parameters.map((x) => x.path)).not.toContain('countries[MID].patience');
    expect(p.fixedSeed).toBe(1);
  });

  it.each([
    ['invariants:\n  bad: "all(countries.delivered)"\n', /variant\.yaml:4:\d+ at invariants\.bad: .*needs a condition/],
    ['invariants:\n  bad:\n    expect: "finl.leakage > 0"\n', /variant\.yaml:5:\d+ at invariants\.bad\.expect: .*unknown name 'finl\.leakage'/],
    ['invariants:\n  bad:\n    with:\n      exporter.suply: 3\n    expect: "a.final.supply > 0"\n', /variant\.yaml:6:\d+ at invariants\.bad\.with\["exporter\.suply"\]: invariant 'bad': cannot change 'exporter\.suply': exporter has no value 'suply'/],
    ['uncertain:\n  countries[XXX].patience: { range: [0.5, 1] }\n', /variant\.yaml:4:\d+ at uncertain\["countries\[XXX\]\.patience"\]: cannot vary .*no element 'XXX'/],
    ['uncertain:\n  countries[MID].patience: { range: [0.5, 1.5] }\n', /can be drawn as 1\.5, which the scenario does not accept/],
    ['uncertain:\n  countries[MID].name: { range: [0, 1] }\n', /is not a number/],
    ['uncertain:\n  countries[MID].patience: { range: [0.5, 0.9] }\n  countries[1].patience: { range: [0.5, 0.9] }\n', /'countries\[MID\]\.patience' is varied by two entries/],
  ])('rejects bad entries with file, path and line: %j', (body, message) => {
    const { file, text } = variant(body);
    expect(inputProblem(() => plan(loadScenarioText(text, file)))).toMatch(message);
  });
});
