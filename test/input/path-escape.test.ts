/**
 * Files named inside other files (`extends`, an exercise's `scenario`, a session's `exercise.file`) are read
 * only from the folder tree of the file the user gave, the working folder and tradesim's scenarios, unless
 * --allow-outside; and a base that is not a scenario is refused without quoting what it holds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sessionDigest } from '../../src/classroom/session.js';
import { loadScenarioText } from '../../src/core/scenario/load.js';
import { cli, hasStackTrace, ROOT } from '../helpers/cli.js';
import { inputError } from './helpers.js';

const top = mkdtempSync(join(tmpdir(), 'tradesim-escape-'));
const mine = join(top, 'mine');
const other = join(top, 'other');
mkdirSync(mine);
mkdirSync(other);
afterAll(() => rmSync(top, { recursive: true, force: true }));

const THREE = join(ROOT, 'scenarios/teaching/three-country.yaml');
const world = readFileSync(THREE, 'utf8');
writeFileSync(join(other, 'world.yaml'), world);
writeFileSync(join(other, 'secret.yaml'), 'password: hunter2\napi_key: sk-live-123\n');
writeFileSync(join(other, 'passwd.json'), 'root:x:0:0:root:/root:/bin/bash\n');
writeFileSync(join(mine, 'near.yaml'), world);

function scenario(name: string, extendsPath: string): string {
  const file = join(mine, name);
  writeFileSync(file, `extends: ${JSON.stringify(extendsPath)}\nid: child\n`);
  return file;
}

describe('extends stays inside the allowed folders', () => {
  it.each([
    ['a relative path up and out', '../other/world.yaml'],
    ['an absolute path elsewhere', join(other, 'world.yaml')],
    ['/etc/passwd', '/etc/passwd'],
    ['far up', '../../../../../../../../etc/hostname.yaml'],
  ])('%s is refused (exit 2), naming extends and its line', (_name, target) => {
    const file = scenario('escape.yaml', target);
    const r = cli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/escape\.yaml:1:\d+ at extends: extends ".*" is outside the folders a scenario may read; expected a path inside this file's folder, the working folder or tradesim's scenarios \(or --allow-outside\)/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a symbolic link inside the folder that points outside is refused too', () => {
    symlinkSync(join(other, 'world.yaml'), join(mine, 'link.yaml'));
    const r = cli(['validate', scenario('via-link.yaml', './link.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is outside the folders a scenario may read/);
  });

  it('inside the folder, in the working folder and in tradesim\'s scenarios it is read', () => {
    expect(cli(['validate', scenario('near-child.yaml', './near.yaml')]).code).toBe(0);
    expect(cli(['validate', scenario('shipped-child.yaml', THREE)]).code).toBe(0);
    expect(cli(['validate', 'test/examples/my-scenario.yaml']).code).toBe(0);
  });

  it('--allow-outside lets it read elsewhere, on any command', () => {
    const file = scenario('allowed.yaml', '../other/world.yaml');
    expect(cli(['validate', file, '--allow-outside']).code).toBe(0);
    expect(cli(['--allow-outside', 'run', file, '--json']).code).toBe(0);
    const e = inputError(() => loadScenarioText(readFileSync(file, 'utf8'), file));
    expect(e.problems[0]?.path).toBe('extends');
    expect(loadScenarioText(readFileSync(file, 'utf8'), file, { allowOutside: true }).scenario.id).toBe('child');
  });

  it.each([
    ['a YAML file that is not a scenario', 'secret.yaml', /the base file ".*secret\.yaml" is not a scenario \(its top level has keys that are not scenario fields\)/],
    ['a text file named .json', 'passwd.json', /the base file ".*passwd\.json" is not a scenario \(JSON error at line 1\)/],
  ])('%s, even allowed, is refused without quoting it', (_name, base, message) => {
    const r = cli(['validate', scenario(`to-${base}.yaml`, `../other/${base}`), '--allow-outside']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    for (const secret of ['hunter2', 'sk-live', 'password', 'api_key', 'root:x', '/bin/bash']) expect(r.stderr).not.toContain(secret);
  });
});

describe('classroom files name other files only inside the allowed folders', () => {
  it("an exercise's scenario outside is refused", () => {
    const ex = readFileSync(join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml'), 'utf8').replace(/^scenario: .*$/m, `scenario: ${JSON.stringify(join(other, 'world.yaml'))}`);
    writeFileSync(join(mine, 'exercise.yaml'), ex);
    const r = cli(['play', join(mine, 'exercise.yaml'), '--as', 'ARE', '--moves', 'none.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exercise\.yaml:\d+:\d+ at scenario: the scenario ".*world\.yaml" is outside the folders an exercise may read/);
  });

  it("a session's exercise.file outside is refused on --resume; naming the exercise on the command line works", () => {
    const dir = join(mine, 'class');
    mkdirSync(dir);
    writeFileSync(join(dir, 'ann.moves.yaml'), '- { offer: { tariff: 5, investment: 12.5 } }\n');
    const EX = join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml');
    expect(cli(['play', EX, '--as', 'ARE', '--moves', 'ann.moves.yaml', '--save', 'ann.session.json'], { cwd: dir }).code).toBe(2); // moves ran out: saved
    const session = join(dir, 'ann.session.json');
    const saved = JSON.parse(readFileSync(session, 'utf8')) as { exercise: { file: string } };
    // Named relative to the session file's folder, so a class folder can move.
    expect(saved.exercise.file).toBe(relative(dir, EX).split(sep).join('/'));
    // An attacker who also recomputes the digest: the path is still checked.
    const edited: Record<string, unknown> = { ...saved, exercise: { ...saved.exercise, file: join(other, 'evil.yaml') } };
    writeFileSync(session, JSON.stringify({ ...edited, digest: sessionDigest(edited) }));
    const r = cli(['play', '--resume', session, '--moves', join(dir, 'ann.moves.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ann\.session\.json at exercise\.file: the session names an exercise outside the folders a session may read/);
    const named = cli(['play', EX, '--resume', session, '--moves', join(dir, 'ann.moves.yaml')]);
    expect(named.stderr).not.toMatch(/outside the folders/);
  });
});
