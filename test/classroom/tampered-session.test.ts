/**
 * Tampered session files: a digest mismatch is refused (debrief and play --resume, exit 2); without a digest,
 * debrief replays the moves rather than trusting the stored figures (an edited score counts for nothing, a
 * total of 1e308 never prints "$Infinitybn"); when the exercise is not available, the stored figures are
 * checked number by number and totals recomputed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionDigest } from '../../src/classroom/session.js';
import { cli, hasStackTrace } from '../helpers/cli.js';
import { ROOT } from './helpers.js';

const EX = join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tradesim-tamper-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = Record<string, unknown> & { debrief: { seats: { student: { totalUsd: number; negotiations: { payoff: number[] }[] } }[] }; digest?: string; exercise: { file: string }; moves: unknown[] };
let original: Doc;
let honest = '';

beforeAll(() => {
  writeFileSync(join(dir, 'ann.moves.yaml'), '- { offer: { tariff: 5, investment: 12.5 } }\n- accept\n');
  const r = cli(['play', EX, '--as', 'ARE', '--name', 'Ann', '--moves', 'ann.moves.yaml', '--save', 'ann.session.json'], { cwd: dir });
  expect(r.code).toBe(0);
  original = JSON.parse(readFileSync(join(dir, 'ann.session.json'), 'utf8')) as Doc;
  const d = cli(['debrief', join(dir, 'ann.session.json'), '--json']);
  expect(d.code).toBe(0);
  honest = d.stdout;
}, 60_000);

function write(name: string, change: (d: Doc) => void, keepDigest = false): string {
  const d = structuredClone(original);
  change(d);
  if (!keepDigest) delete d.digest;
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(d, null, 2));
  return file;
}

const inflate = (d: Doc): void => {
  const seat = d.debrief.seats[0];
  if (seat) seat.student.totalUsd = 1e308;
};

describe('session files carry a digest', () => {
  it('a finished session has one, of exactly its content', () => {
    expect(original.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionDigest(original)).toBe(original.digest);
  });

  it('an edit that keeps the old digest is refused by debrief and by play --resume (exit 2)', () => {
    const file = write('edited.session.json', inflate, true);
    const d = cli(['debrief', file]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/edited\.session\.json at digest: the session file was edited or damaged/);
    expect(hasStackTrace(d.stderr)).toBe(false);
    const r = cli(['play', '--resume', file, '--moves', join(dir, 'ann.moves.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at digest: the session file was edited or damaged/);
  });
});

describe('debrief recomputes, never trusts, the figures', () => {
  it('an inflated score without a digest is replaced by what the moves give', () => {
    const file = write('inflated.session.json', inflate);
    const d = cli(['debrief', file, '--json']);
    expect(d.code).toBe(0);
    expect(d.stdout.replaceAll(file, join(dir, 'ann.session.json'))).toBe(honest);
    const md = cli(['debrief', file]);
    expect(md.stdout).not.toMatch(/Infinity|1e\+?308/);
  });

  it('moves that do not finish the exercise are refused', () => {
    const file = write('short.session.json', (d) => {
      d.moves = d.moves.slice(0, 1);
    });
    const r = cli(['debrief', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/short\.session\.json at moves: the session is marked finished but its moves do not finish the exercise/);
  });

  it('without the exercise, stored figures are checked: 1e308 is refused, totals are recomputed from the parts', () => {
    const away = (d: Doc): void => {
      d.exercise.file = '/nowhere/not-an-exercise-here.yaml';
    };
    const big = write('far-big.session.json', (d) => {
      away(d);
      const n = d.debrief.seats[0]?.student.negotiations[0];
      if (n) n.payoff = [1e308, 0];
    });
    const r = cli(['debrief', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/far-big\.session\.json(:\d+:\d+)? at debrief\.seats\[0\]\.student\.negotiations\[0\]\.payoff\[0\]: .*edited or damaged/);
    const inflated = write('far-inflated.session.json', (d) => {
      away(d);
      inflate(d);
    });
    const ok = cli(['debrief', inflated, '--json']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/note: .*far-inflated\.session\.json: its exercise "not-an-exercise-here\.yaml" is not available here/);
    const total = (s: string): number => (JSON.parse(s) as { entries: { seat: { student: { totalUsd: number } } }[] }[])[0]?.entries[0]?.seat.student.totalUsd ?? NaN;
    expect(total(ok.stdout)).toBeCloseTo(total(honest), 9);
  });
});
