/** Exercise packs: the shipped ones load at every level; bad files say file, path and line. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExercise, parseExercise } from '../../src/classroom/exercise.js';
import { InputError, type InputProblem } from '../../src/core/errors.js';
import { ROOT, exercisePath } from './helpers.js';

const fixture = (name: string): string => `${ROOT}test/classroom/fixtures/${name}.yaml`;

async function problems(p: Promise<unknown>): Promise<readonly InputProblem[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  throw new Error('expected an InputError');
}

const VALID = `exercise: 1
id: ok
title: OK
scenario: ../teaching/three-country.yaml
situation: Text.
roles:
  MID: { briefing: Private. }
objectives: [one]
questions: [two]
difficulty: { default: standard, levels: { standard: { description: As is. } } }
`;

describe('exercise packs', () => {
  const shipped = readdirSync(`${ROOT}scenarios/exercises`).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

  it('ships at least three exercises and the template', () => {
    expect(shipped).toContain('TEMPLATE');
    expect(shipped.filter((f) => f !== 'TEMPLATE').length).toBeGreaterThanOrEqual(3);
  });

  it.each(shipped)('%s loads at every difficulty level, and every role is a seat of its world', async (name) => {
    const first = await loadExercise(exercisePath(name));
    for (const level of Object.keys(first.exercise.difficulty.levels)) {
      const ex = await loadExercise(exercisePath(name), { level });
      expect(ex.level).toBe(level);
      expect(ex.scenario.kind).toBe('chips');
    }
  });

  it('levels change the computer agents\' strategies, and the hash tells situations apart', async () => {
    const easy = await loadExercise(exercisePath('gulf-compute-deal'), { level: 'easy' });
    const std = await loadExercise(exercisePath('gulf-compute-deal'));
    expect(easy.scenario.exporter.strategy.name).toBe('conceder');
    expect(std.scenario.exporter.strategy.name).toBe('boulware');
    expect(easy.hash).not.toBe(std.hash);
    expect((await loadExercise(exercisePath('gulf-compute-deal'))).hash).toBe(std.hash);
    expect((await loadExercise(exercisePath('gulf-compute-deal'), { seed: 8 })).hash).not.toBe(std.hash);
  });

  it('a schema problem names the file, the path and the line', () => {
    const text = VALID.replace('objectives: [one]', 'objectives: [one]\nextra: 1').replace('exercise: 1', 'exercise: 2');
    let ps: readonly InputProblem[] = [];
    try {
      parseExercise(text, 'x.yaml');
    } catch (e) {
      if (e instanceof InputError) ps = e.problems;
    }
    expect(ps.map((p) => [p.path, p.line])).toEqual(expect.arrayContaining([['exercise', 1], ['extra', 9]]));
    expect(ps.every((p) => p.file === 'x.yaml')).toBe(true);
  });

  it('text with ": " in a list gets a hint to quote it', () => {
    expect(() => parseExercise(VALID.replace('questions: [two]', 'questions:\n  - Compare: who gained?'), 'q.yaml')).toThrow(/q\.yaml:10.*must be put in quotes/);
  });

  it('an unknown default level, an unknown seat and a bad override are located', async () => {
    const level = await problems(loadExercise(fixture('bad-level')));
    expect(level[0]).toMatchObject({ path: 'difficulty.default', line: 12 });
    expect(level[0]?.message).toMatch(/did you mean "standard"/);
    const seat = await problems(loadExercise(fixture('bad-seat')));
    expect(seat[0]).toMatchObject({ path: 'roles.MDI', line: 9 });
    expect(seat[0]?.message).toMatch(/no seat "MDI".*did you mean "MID"/);
    const set = await problems(loadExercise(fixture('bad-set')));
    expect(set[0]?.path).toBe('rounds');
    expect(set[0]?.message).toMatch(/--set rounds=-3/);
    const missing = await problems(loadExercise(fixture('nope')));
    expect(missing[0]?.message).toMatch(/no such file/);
    const lv = await problems(loadExercise(exercisePath('gulf-compute-deal'), { level: 'hardest' }));
    expect(lv[0]).toMatchObject({ path: '--level' });
  });
});
