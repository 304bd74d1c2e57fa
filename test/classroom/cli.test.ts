/** `tradesim play` (scripted, no TTY) and `tradesim debrief` as a teacher would run them. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { ROOT } from './helpers.js';

const EX = join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'tradesim-play-'));

function playScripted(dir: string, name: string, moves: string, extra: string[] = []): ReturnType<typeof cli> {
  writeFileSync(join(dir, `${name}.moves.yaml`), moves);
  return cli(['play', EX, '--as', 'ARE', '--name', name, '--moves', `${name}.moves.yaml`, '--save', `${name}.session.json`, ...extra], { cwd: dir });
}

describe('tradesim play / debrief', () => {
  it.each([['play'], ['debrief']])('%s --help', (cmd) => {
    const r = cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: tradesim/);
  });

  it('never hangs without a terminal: a clear message and exit 2', () => {
    const r = cli(['play', EX, '--as', 'ARE'], { cwd: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a terminal.*\n.*--moves FILE/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a bad exercise file exits 2 naming file, path and line', () => {
    const r = cli(['play', join(ROOT, 'test/classroom/fixtures/bad-seat.yaml'), '--as', 'MID', '--moves', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-seat\.yaml:9:\d+ at roles\.MDI: no seat "MDI"/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    const seat = cli(['play', EX, '--as', 'QAT', '--moves', 'x.yaml']);
    expect(seat.code).toBe(2);
    expect(seat.stderr).toMatch(/--as: exercise gulf-compute-deal has no role for "QAT"; expected one of ARE, SAU/);
  });

  it('an invalid scripted move is explained with the moves file and line', () => {
    const dir = tmp();
    const r = playScripted(dir, 'bad', '- { offer: { tariff: 2.5 } }\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.moves\.yaml:1 at \[0\]: move not allowed .*tariff moves in steps of 1 percentage points.*Nearest: 2/);
  });

  it('three students play; their session files give a class debrief (Markdown and HTML)', () => {
    const dir = tmp();
    const scripts: Record<string, string> = {
      Ann: '- { offer: { tariff: 10 } }\n- accept\n',
      Bo: '- { offer: { tariff: 2 } }\n- repeat\n- repeat\n- accept\n',
      Cy: '- { offer: { investment: 4.166666666666667 } }\n- { offer: { tariff: 5, investment: 4.166666666666667 } }\n- accept\n',
    };
    for (const [name, moves] of Object.entries(scripts)) {
      const r = playScripted(dir, name, moves);
      expect(r.stderr).toMatch(/session: /);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`## United Arab Emirates \\(ARE\\), played by ${name}`));
      expect(existsSync(join(dir, `${name}.debrief.html`))).toBe(true);
      expect(existsSync(join(dir, `${name}.debrief.md`))).toBe(true);
    }
    const d = cli(['debrief', 'Ann.session.json', 'Bo.session.json', 'Cy.session.json', '--html', 'class.html'], { cwd: dir });
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/# Class debrief/);
    expect(d.stdout).toMatch(/3 students\./);
    for (const name of Object.keys(scripts)) expect(d.stdout).toContain(`| ${name} |`);
    expect(readFileSync(join(dir, 'class.html'), 'utf8')).toMatch(/<svg /);
    const json = cli(['debrief', 'Ann.session.json', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toHaveLength(1);
  }, 180_000); // five CLI processes in a row: slow on a loaded 2-core CI machine

  it('when scripted moves run out the session is saved, and --resume continues it', () => {
    const dir = tmp();
    const r = playScripted(dir, 'Di', '- { offer: { tariff: 10 } }\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the moves ran out: ARE is to move at 2025Q1, offer 3 of 20; the session so far is saved in Di\.session\.json/);
    const saved = JSON.parse(readFileSync(join(dir, 'Di.session.json'), 'utf8')) as { finished: boolean; moves: unknown[] };
    expect(saved).toMatchObject({ finished: false });
    expect(saved.moves).toHaveLength(1);
    writeFileSync(join(dir, 'more.yaml'), '- accept\n');
    const done = cli(['play', '--resume', 'Di.session.json', '--moves', 'more.yaml', '--json'], { cwd: dir });
    expect(done.code).toBe(0);
    const file = JSON.parse(done.stdout) as { finished: boolean; moves: unknown[]; players: Record<string, string> };
    expect(file.finished).toBe(true);
    expect(file.moves).toHaveLength(2);
    expect(file.players).toEqual({ ARE: 'Di' });
  }, 120_000);

  it('debrief refuses unfinished or foreign files with exit 2', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ kind: 'chips' }));
    const r = cli(['debrief', 'r.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/r\.json at kind: not a classroom session file/);
    expect(cli(['debrief'], { cwd: dir }).code).toBe(2);
  });
});
