/**
 * Terminal injection: titles, names, ids, descriptions and keys with escape sequences or control characters
 * never reach a terminal (or a Markdown/HTML report) as raw bytes: the text report, `replay --no-tui`, the
 * replay UI, error messages, compare/check reports, reports and classroom debriefs all go through one
 * sanitiser (src/core/safe-text.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml, safeData, safeText } from '../../src/core/safe-text.js';
import { partyName, seatTexts } from '../../src/classroom/ui/launch.js';
import { loadExercise } from '../../src/classroom/exercise.js';
import { Replay } from '../../src/tui/app.js';
import { initFor, replayData } from '../../src/tui/data.js';
import { cli, ROOT } from '../helpers/cli.js';
import { chipsArtifact } from '../tui/fixtures.js';

const ESC = '\u001b';
/** Bytes a terminal acts on: C0 controls but tab and line feed, DEL, C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HOSTILE_TITLE = '"\\e]0;pwned\\a\\e[2J\\rX\\u009b31m\\u202eevil"';
const TOY = 'scenarios/teaching/three-country.yaml';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-inject-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safeText', () => {
  it('makes C0, DEL, C1, bidi overrides and separators visible and harmless, keeps other text', () => {
    expect(safeText('\u001b]0;pwned\u0007\u001b[2J')).toBe('\u241b]0;pwned\u2407\u241b[2J');
    expect(safeText('a\rb\nc\td\u007f')).toBe('a\u240db\u240ac\u2409d\u2421');
    expect(safeText('a\nb\tc\rd', { multiline: true })).toBe('a\nb\tc\u240dd');
    expect(safeText('\u009b31m \u202e \u2066 \u2028')).toBe('\ufffd31m \ufffd \ufffd \ufffd');
    expect(safeText('Côte d’Ivoire 日本 🚀')).toBe('Côte d’Ivoire 日本 🚀');
    expect(escapeHtml('<b a="1">\u001b&')).toBe('&lt;b a=&quot;1&quot;&gt;\u241b&amp;');
  });

  it('safeData copies plain data only when something needs cleaning, keys included', () => {
    const clean = { a: ['x', 1, null], b: { c: true } };
    expect(safeData(clean)).toBe(clean);
    expect(safeData({ t: `${ESC}[2J`, list: [{ name: `a${ESC}` }], [`k${ESC}`]: 1 })).toEqual({ t: '\u241b[2J', list: [{ name: 'a\u241b' }], 'k\u241b': 1 });
  });
});

describe('no raw control characters reach the terminal', () => {
  it('run: the text report of a scenario whose title and names carry escape sequences', () => {
    const r = cli(['run', TOY, '--set', `title=${HOSTILE_TITLE}`, '--set', 'adversaries[0].name="\\e[31mRival\\ria"']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain('\u241b]0;pwned\u2407\u241b[2J\u240dX\ufffd31m\ufffdevil');
  });

  it('JSON output escapes C1 controls and bidi overrides too (the value read back is the same)', () => {
    const r = cli(['run', TOY, '--set', `title=${HOSTILE_TITLE}`, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain('\\u009b31m\\u202eevil');
    expect((JSON.parse(r.stdout) as { scenario: { title: string } }).scenario.title).toBe('\u001b]0;pwned\u0007\u001b[2J\rX\u009b31m\u202eevil');
  });

  it('replay --no-tui, report --md and --html of the saved artifact', () => {
    const out = join(dir, 'r.json');
    expect(cli(['run', TOY, '--set', `title=${HOSTILE_TITLE}`, '--set', 'countries[NTH].name="\\e[31mNorth"', '--json', '--out', out]).code).toBe(0);
    // JSON escapes C0 controls itself; the artifact keeps the text as it was.
    expect(readFileSync(out, 'utf8')).toContain('\\u001b]0;pwned');
    const r = cli(['replay', out, '--no-tui']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    const md = join(dir, 'r.md');
    const html = join(dir, 'r.html');
    expect(cli(['report', out, '--md', md, '--html', html]).code).toBe(0);
    expect(readFileSync(md, 'utf8')).not.toMatch(CONTROL);
    expect(readFileSync(html, 'utf8')).not.toMatch(CONTROL);
  });

  it('compare and check reports', () => {
    const c = cli(['compare', TOY, '--regimes', 'open,bilateral', '--seeds', '2', '--set', `title=${HOSTILE_TITLE}`]);
    expect(c.code).toBe(0);
    expect(c.stdout).not.toMatch(CONTROL);
    const k = cli(['check', TOY, '--runs', '2', '--set', 'invariants.x={expect: "final.leakage < 0", description: "\\e]0;pwned\\a"}', '--out-dir', join(dir, 'ce')]);
    expect(k.code).toBe(1);
    expect(k.stdout).not.toMatch(CONTROL);
  });

  it('error messages (a key with escape sequences)', () => {
    const r = cli(['run', TOY, '--set', 'exporter={"\\e]0;pwned\\a": 1}']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stderr).toContain('\u241b]0;pwned');
  });

  it('the replay UI: OSC sequences and carriage returns in names never reach the frame', async () => {
    const a = await chipsArtifact();
    const hostile = { ...a, scenario: { ...a.scenario, title: `${ESC}]0;pwned\u0007Title\rX` }, countries: a.countries.map((c) => ({ ...c, name: `${ESC}[2J${c.name}` })) };
    const data = replayData(hostile);
    const app = render(<Replay data={data} init={initFor(data)} colour={false} size={{ columns: 120, rows: 40 }} onState={() => undefined} />);
    const frame = app.lastFrame() ?? '';
    app.unmount();
    expect(frame).toContain('\u241b]0;pwned');
    expect(frame).not.toMatch(CONTROL);
  });

  it('classroom: the play screens and the debrief printed by play --moves', async () => {
    const ex = await loadExercise(join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml'));
    const seat = seatTexts(ex, { ARE: `${ESC}]0;pwned\u0007Ann` })('ARE');
    expect(seat.player).toBe('\u241b]0;pwned\u2407Ann');
    expect(partyName(ex)(`${ESC}[2J`)).not.toMatch(CONTROL);
    writeFileSync(join(dir, 'ann.moves.yaml'), '- { offer: { tariff: 5, investment: 12.5 } }\n- accept\n');
    const r = cli(['play', join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml'), '--as', 'ARE', '--name', `${ESC}]0;pwned\u0007Ann`, '--moves', 'ann.moves.yaml', '--save', 'ann.session.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    const d = cli(['debrief', join(dir, 'ann.session.json')]);
    expect(d.code).toBe(0);
    expect(d.stdout).not.toMatch(CONTROL);
  });
});
