/**
 * A real class in one lab folder (issue 20): two students never share a session file, a typed grid value is
 * the value shown, the class debrief survives unfinished and duplicate sessions, a class folder or a .zip is
 * collected in one command, and a session file still resumes after it moves.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { ROOT } from './helpers.js';

const EX = join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml');
const lab = mkdtempSync(join(tmpdir(), 'tradesim-lab-'));
afterAll(() => rmSync(lab, { recursive: true, force: true }));

const ANN = 'gulf-compute-deal-ARE-Ann.session.json';
const BO = 'gulf-compute-deal-ARE-Bo-Li.session.json';
const CY = 'gulf-compute-deal-ARE-Cy.session.json';

/** A student at their own laptop in the shared folder: no --save, only their name. */
function play(name: string, moves: string, cwd = lab, extra: string[] = []): ReturnType<typeof cli> {
  const file = `${name.replace(/\W/g, '')}.moves.yaml`;
  writeFileSync(join(cwd, file), moves);
  return cli(['play', EX, '--as', 'ARE', '--name', name, '--moves', file, ...extra], { cwd });
}

/** A zip of stored (uncompressed) and deflated entries, as zip tools write them. */
function zip(entries: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  entries.forEach(({ name, data }, i) => {
    const deflate = i % 2 === 0;
    const body = deflate ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name, 'utf8');
    // The local header and the central directory entry share these fields (version needed to extract ..
    // name length); the central entry has them 2 bytes further on, after "version made by".
    const common = (b: Buffer, at: number): void => {
      b.writeUInt16LE(20, at);
      b.writeUInt16LE(0x800, at + 2);
      b.writeUInt16LE(deflate ? 8 : 0, at + 4);
      b.writeUInt32LE(crc32(data), at + 10);
      b.writeUInt32LE(body.length, at + 14);
      b.writeUInt32LE(data.length, at + 18);
      b.writeUInt16LE(nameBytes.length, at + 22);
    };
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    common(head, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    common(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(head, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  });
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

beforeAll(() => {
  // Ann types the investment as the form shows it (4.167 for 12.5/3); Bo finishes; Cy leaves mid-way.
  expect(play('Ann', '- { offer: { tariff: 10, investment: 4.167 } }\n- accept\n').code).toBe(0);
  expect(play('Bo Li', '- { offer: { tariff: 2 } }\n- repeat\n- repeat\n- accept\n').code).toBe(0);
  expect(play('Cy', '- { offer: { tariff: 10 } }\n').code).toBe(2);
}, 180_000);

describe('two students in one folder', () => {
  it('each gets their own session file, named after them; a typed 4.167 is the grid value 12.5/3', () => {
    const ann = JSON.parse(readFileSync(join(lab, ANN), 'utf8')) as { finished: boolean; players: unknown; moves: { outcome?: number[] }[]; exercise: { file: string } };
    const bo = JSON.parse(readFileSync(join(lab, BO), 'utf8')) as { finished: boolean; players: unknown };
    expect(ann).toMatchObject({ finished: true, players: { ARE: 'Ann' } });
    expect(bo).toMatchObject({ finished: true, players: { ARE: 'Bo Li' } });
    expect(ann.moves[0]?.outcome?.[1]).toBe(12.5 / 3);
    // Portable: the exercise is named relative to the session file, not by an absolute path of this machine.
    expect(isAbsolute(ann.exercise.file)).toBe(false);
    expect(ann.exercise.file).toMatch(/scenarios\/exercises\/gulf-compute-deal\.yaml$/);
  });

  it('the same name again never overwrites a finished session: the next free name, with a note', () => {
    const before = readFileSync(join(lab, ANN), 'utf8');
    const again = play('Ann', '- { offer: { tariff: 10, investment: 4.167 } }\n- accept\n');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${ANN} already holds a finished session (Ann); this session is saved in gulf-compute-deal-ARE-Ann-2.session.json`);
    expect(readFileSync(join(lab, ANN), 'utf8')).toBe(before);
    // An explicit --save onto a finished session is refused and the file kept (no terminal to ask).
    const forced = play('Dee', '- accept\n', lab, ['--save', ANN]);
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(/--save: .*already holds a finished session \(Ann\); it is kept/);
    expect(hasStackTrace(forced.stderr)).toBe(false);
    expect(readFileSync(join(lab, ANN), 'utf8')).toBe(before);
  }, 60_000);
});

describe('the teacher collects the class', () => {
  it('a folder with an unfinished, a duplicate and a stray file: the rest are debriefed (exit 0) with warnings', () => {
    writeFileSync(join(lab, 'notes.json'), '{"todo": 1}\n');
    const r = cli(['collect', '.', '--html', 'class.html'], { cwd: lab });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: ${CY}: unfinished \\(Cy, 1 move so far\\).*tradesim play --resume ${CY}`));
    expect(r.stderr).toMatch(new RegExp(`warning: gulf-compute-deal-ARE-Ann-2\\.session\\.json: the same session as ${ANN}`));
    expect(r.stderr).toMatch(/warning: notes\.json: left out: .*not a classroom session file/);
    expect(r.stderr).toMatch(/warning: 3 of 5 files left out of the class debrief; 2 debriefed/);
    expect(r.stdout).toMatch(/2 students\./);
    expect(r.stdout).toContain('| Ann |');
    expect(r.stdout).toContain('| Bo Li |');
    expect(r.stdout).toMatch(/3 files left out of this debrief/);
    const html = readFileSync(join(lab, 'class.html'), 'utf8');
    expect(html).toContain('left out of this debrief');
    // The dot plot names every student and its axis has a unit.
    expect(html).toMatch(/<text[^>]*text-anchor="end">Ann<\/text>/);
    expect(html).toMatch(/<text[^>]*text-anchor="end">Bo Li<\/text>/);
    expect(html).toMatch(/USD bn/);
  }, 60_000);

  it('a .zip of the same files gives the same debrief', () => {
    const names = [CY, ANN, 'gulf-compute-deal-ARE-Ann-2.session.json', BO, 'notes.json'];
    writeFileSync(join(lab, 'class.zip'), zip(names.map((n) => ({ name: `hand-in/${n}`, data: readFileSync(join(lab, n)) }))));
    const z = cli(['debrief', 'class.zip'], { cwd: lab });
    expect(z.code).toBe(0);
    expect(z.stdout).toMatch(/2 students\./);
    expect(z.stderr).toMatch(/class\.zip:hand-in\/gulf-compute-deal-ARE-Ann-2\.session\.json: the same session as class\.zip:hand-in\/gulf-compute-deal-ARE-Ann\.session\.json/);
    expect(z.stderr).toMatch(/unfinished \(Cy, 1 move so far\).*unpack it/);
  }, 60_000);

  it('exit 2 only when no session is usable, naming every file and why', () => {
    const r = cli(['debrief', CY, 'notes.json'], { cwd: lab });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${CY}: unfinished`);
    expect(r.stderr).toMatch(/notes\.json at kind: not a classroom session file/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('a session file that moves', () => {
  it('resumes from another folder at another depth (the exercise is found by its hash)', () => {
    const away = join(mkdtempSync(join(tmpdir(), 'tradesim-moved-')), 'a', 'b');
    mkdirSync(away, { recursive: true });
    copyFileSync(join(lab, CY), join(away, 'cy.session.json'));
    writeFileSync(join(away, 'more.yaml'), '- accept\n');
    const r = cli(['play', '--resume', 'cy.session.json', '--moves', 'more.yaml', '--json'], { cwd: away });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ finished: true, players: { ARE: 'Cy' } });
    rmSync(join(away, '..', '..'), { recursive: true, force: true });
  }, 60_000);
});
