/** Sensitivity methods on analytic functions, where the right answer is known in closed form. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { SensitivityParameter, SensitivityResult } from '../../src/core/events.js';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { sensitivity } from '../../src/cli/commands/sensitivity.js';
import { runSensitivity, type SensitivityRequest } from '../../src/cli/commands/sensitivity-run.js';
import { InputError, formatProblem } from '../../src/core/errors.js';
import { stream } from '../../src/core/rng.js';
import { tInterval } from '../../src/research/stats.js';
import { cachedRunner, morris, morrisDelta, morrisTrajectory, oneAtATime, type Params } from '../../src/research/sensitivity.js';

const unitParams = (names: readonly string[]): SensitivityParameter[] => names.map((path) => ({ path, lo: 0, hi: 1, base: 0.5 }));
const get = (p: Params, k: string): number => p[k] ?? Number.NaN;

describe('one-at-a-time', () => {
  it('gives the exact effects of a linear function, largest first', () => {
    const params: SensitivityParameter[] = [
      { path: 'a', lo: 1, hi: 3, base: 2 },
      { path: 'b', lo: -1, hi: 1, base: 0 },
      { path: 'c', lo: 10, hi: 20, base: 15 },
    ];
    const f = (p: Params): number => 2 * get(p, 'a') - 5 * get(p, 'b') + 0.1 * get(p, 'c');
    const rows = oneAtATime(params, [1, 2, 3], f);
    expect(rows.map((r) => r.path)).toEqual(['b', 'a', 'c']);
    const by = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(by.a?.effect.mean).toBeCloseTo(4, 12);
    expect(by.b?.effect.mean).toBeCloseTo(-10, 12);
    expect(by.c?.effect.mean).toBeCloseTo(1, 12);
    // Others held at base: low of a = 2*1 - 0 + 1.5.
    expect(by.a?.low.mean).toBeCloseTo(3.5, 12);
    expect(by.a?.effect.lo).toBeCloseTo(4, 12);
    expect(by.a?.effect.hi).toBeCloseTo(4, 12);
  });

  it('cancels seed noise that is common to both ends (common random numbers)', () => {
    // Additive noise per seed: large in the levels, absent from the paired difference.
    const noise = (seed: number): number => 100 * (stream(seed, 'noise')() - 0.5);
    const f = (p: Params, seed: number): number => get(p, 'x') + noise(seed);
    const [row] = oneAtATime([{ path: 'x', lo: 0, hi: 1, base: 0 }], [1, 2, 3, 4, 5, 6], f);
    expect(row?.effect.mean).toBeCloseTo(1, 10);
    expect((row?.effect.hi ?? 0) - (row?.effect.lo ?? 0)).toBeLessThan(1e-9);
    expect((row?.low.hi ?? 0) - (row?.low.lo ?? 0)).toBeGreaterThan(1);
  });

  it('runs each distinct point and seed once through the cache', () => {
    let calls = 0;
    const runner = cachedRunner((p) => {
      calls++;
      return get(p, 'x');
    });
    // lo equals base, so the low point is the base point.
    oneAtATime([{ path: 'x', lo: 0, hi: 1, base: 0 }], [1, 2], runner.run);
    oneAtATime([{ path: 'x', lo: 0, hi: 1, base: 0 }], [1, 2], runner.run);
    expect(calls).toBe(4);
    expect(runner.runs()).toBe(4);
  });
});

describe('Morris elementary effects', () => {
  const a = 3;
  const b = 2;
  const f = (p: Params): number => a * get(p, 'x1') + b * get(p, 'x2') ** 2 + 0 * get(p, 'x3');

  it('ranks an inert parameter last with mu* = 0, and gets linear effects exactly', () => {
    const m = morris(unitParams(['x1', 'x2', 'x3']), [1], f, { levels: 4, trajectories: 20, masterSeed: 11 });
    expect(m.effects.map((e) => e.path)).toEqual(['x1', 'x2', 'x3']);
    const by = Object.fromEntries(m.effects.map((e) => [e.path, e]));
    expect(by.x3?.muStar).toBe(0);
    expect(by.x3?.sigma).toBe(0);
    expect(by.x1?.mu).toBeCloseTo(a, 12);
    expect(by.x1?.muStar).toBeCloseTo(a, 12);
    expect(by.x1?.sigma).toBeCloseTo(0, 12);
    // b x^2 has EE = b (2 x + delta) for an upward step from x, so it varies: sigma > 0, mu* between b*delta and b*(2 - delta).
    expect(by.x2?.sigma).toBeGreaterThan(0);
    expect(by.x2?.muStar).toBeGreaterThanOrEqual(b * m.delta - 1e-12);
    expect(by.x2?.muStar).toBeLessThanOrEqual(b * (2 - m.delta) + 1e-12);
    expect(by.x1?.r).toBe(20);
  });

  it('scales effects to the parameter range', () => {
    const params: SensitivityParameter[] = [
      { path: 'x1', lo: 10, hi: 30, base: 20 },
      { path: 'x2', lo: 0, hi: 1, base: 0.5 },
    ];
    const m = morris(params, [1, 2], (p) => 0.5 * get(p, 'x1') + get(p, 'x2'), { levels: 6, trajectories: 5, masterSeed: 3 });
    const by = Object.fromEntries(m.effects.map((e) => [e.path, e]));
    expect(by.x1?.mu).toBeCloseTo(10, 10);
    expect(by.x2?.mu).toBeCloseTo(1, 10);
  });

  it('draws the same trajectories for the same master seed and others for another', () => {
    const run = (seed: number) => morris(unitParams(['x1', 'x2', 'x3']), [1], f, { levels: 4, trajectories: 6, masterSeed: seed });
    expect(run(5)).toEqual(run(5));
    expect(run(5).effects).not.toEqual(run(6).effects);
  });

  test.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 1_000_000 })], { numRuns: 200 })(
    'a trajectory stays on the grid in [0, 1] and moves every parameter exactly once by delta',
    (k, levels, seed) => {
      const { points, moves } = morrisTrajectory(k, levels, stream(seed, 'traj'));
      const delta = morrisDelta(levels);
      expect(points).toHaveLength(k + 1);
      expect(moves.map((m) => m.index).sort()).toEqual(Array.from({ length: k }, (_, i) => i));
      for (const pt of points) {
        for (const x of pt) {
          expect(x).toBeGreaterThanOrEqual(-1e-12);
          expect(x).toBeLessThanOrEqual(1 + 1e-12);
          const onGrid = Math.abs(x * (levels - 1) - Math.round(x * (levels - 1)));
          // delta is a whole number of grid steps only for even p; odd p puts points half-way, still in range.
          if (levels % 2 === 0) expect(onGrid).toBeLessThan(1e-9);
        }
      }
      moves.forEach((m, j) => {
        expect(Math.abs(m.step)).toBeCloseTo(delta, 12);
        const before = points[j] ?? [];
        const after = points[j + 1] ?? [];
        after.forEach((x, i) => expect(x - (before[i] ?? 0)).toBeCloseTo(i === m.index ? m.step : 0, 12));
      });
    },
  );
});

describe('t-interval', () => {
  it('matches a textbook value', () => {
    // n = 10, mean 5.5, sd = 3.02765; t(0.975, 9) = 2.262157.
    const e = tInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95);
    expect(e.mean).toBe(5.5);
    expect(e.hi - e.mean).toBeCloseTo((2.262157 * 3.0276504) / Math.sqrt(10), 5);
  });

  it('has no width with one value', () => {
    expect(tInterval([4], 0.95)).toEqual({ mean: 4, lo: 4, hi: 4, n: 1 });
  });
});

const REQUEST: SensitivityRequest = {
  file: 'scenarios/teaching/three-country.yaml',
  metric: 'leakage',
  vary: [],
  method: 'oat',
  levels: 4,
  trajectories: 10,
  seeds: 1,
  seed: undefined,
  regime: undefined,
  rounds: undefined,
  sets: [],
  argv: [],
  progress: false,
};

describe('tradesim sensitivity (CLI)', () => {
  const base = ['sensitivity', 'scenarios/teaching/three-country.yaml', '--metric', 'leakage'];

  it('prints help', () => {
    const r = cli(['sensitivity', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: tradesim sensitivity/);
  });

  it('gives a deterministic JSON artifact on stdout and nothing else', () => {
    const args = [...base, '--vary', 'countries[MID].enforcement=0.3:0.9', '--vary', 'exporter.price=20000:30000', '--seeds', '3', '--json'];
    const a = cli(args);
    const b = cli(args);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(b.stdout);
    const s = JSON.parse(a.stdout) as SensitivityResult;
    expect(s.kind).toBe('sensitivity');
    expect(s.seeds).toEqual([1, 2, 3]);
    expect(s.oat?.map((r) => r.path).sort()).toEqual(['countries[MID].enforcement', 'exporter.price']);
    expect(s.parameters.find((p) => p.path === 'countries[MID].enforcement')?.base).toBe(0.4);
    // The base point and each end of each range, at each seed (ends equal to the base are run once).
    expect(s.runs).toBeLessThanOrEqual(5 * 3);
    expect(s.command).toContain('--vary');
  });

  it('matches tradesim run at the same seed and parameter value', () => {
    const s = JSON.parse(cli([...base, '--vary', 'countries[MID].enforcement=0.3:0.9', '--seeds', '1', '--seed', '4', '--json']).stdout) as SensitivityResult;
    const run = JSON.parse(cli(['run', 'scenarios/teaching/three-country.yaml', '--seed', '4', '--set', 'countries[MID].enforcement=0.9', '--json']).stdout) as { metrics: { final: { leakage: number } } };
    expect(s.oat?.[0]?.high.mean).toBe(run.metrics.final.leakage);
  });

  it('draws Morris trajectories from the master seed', async () => {
    const req = (seed: number) =>
      runSensitivity({ ...REQUEST, method: 'morris', trajectories: 3, seeds: 1, seed, vary: ['countries[MID].enforcement=0.3:0.9', 'exporter.price=20000:30000'] });
    const a = await req(1);
    expect((await req(1)).morris?.effects).toEqual(a.morris?.effects);
    expect(a.morris?.effects.every((e) => e.r === 3)).toBe(true);
    expect(a.morris?.stream).toBe('sensitivity/morris/trajectory/<t>');
    expect(a.runs).toBeLessThanOrEqual(3 * 3 + 1);
  });

  // In-process (the command function throws the InputError that main() turns into exit 2), to keep spawns few.
  it.each([
    [['--vary', 'countries[MIDD].patience=0.5:0.9'], /--vary: no element with id 'MIDD' in countries — did you mean 'MID'\?/],
    [['--vary', 'countries[MID].patience=0.5:1.5'], /countries\[MID\]\.patience: too large/],
    [['--vary', 'exporter.price=30000:20000'], /--vary: not a parameter range; expected PATH=LO:HI with numbers LO < HI/],
    [['--vary', 'exporter.price=a:b'], /--vary: not a parameter range/],
    [['--vary', 'exporter.price=1:2', '--vary', 'exporter.price=3:4'], /exporter\.price is varied twice/],
    [['--vary', 'exporter.price=1:2', '--method', 'fast'], /--method: unknown method; expected oat, morris or sobol/],
    [['--vary', 'exporter.price=1:2', '--method', 'sobol'], /--vary: --vary goes with --method oat or morris; sobol varies the scenario's uncertain: entries/],
    [['--method', 'sobol', '--samples', '8'], /--samples: not a valid value; expected a whole number from 16/],
    [['--method', 'sobol', '--factors', 'nope'], /--factors/],
    [['--method', 'sobol', '--param', 'x=0:1'], /--param goes with --function/],
    [['--samples', '64'], /--samples goes with --method sobol/],
    [['--vary', 'exporter.price=1:2', '--levels', '1'], /--levels: not a valid value; expected a whole number from 2 to 20/],
    [['--vary', 'exporter.price=20000:30000', '--metric', 'meanRoundsToAgreement', '--regime', 'open'], /--metric: meanRoundsToAgreement is undefined \(null\) in the run with seed 1/],
    [['--vary', 'exporter.price=1:2', '--metric', 'leakge'], /--metric: unknown metric \(did you mean "leakage"\?\)/],
    [[], /--vary: nothing to vary/],
  ])('%j is an input error with a clear message', async (extra, message) => {
    const err = await sensitivity([...base.slice(1), ...extra]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems.map(formatProblem).join('\n')).toMatch(message);
  });

  it('exits 2 without a stack trace on bad input', () => {
    const r = cli([...base, '--vary', 'countries[MIDD].patience=0.5:0.9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tradesim: error: --vary: no element with id 'MIDD'/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('rejects a bargaining scenario', () => expect(sensitivity(['scenarios/teaching/split-the-pie.yaml', '--metric', 'leakage', '--vary', 'parties[0].discount=0.5:0.9'])).rejects.toThrow(/needs a chips scenario/));
});
