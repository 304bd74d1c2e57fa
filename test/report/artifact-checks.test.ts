/**
 * `tradesim report` applies the replay's checks to a run or comparison artifact: one whose parameters were
 * edited (scenario hash mismatch) or whose structure is broken gets no page, exit 2 naming the file, as
 * `tradesim replay` does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, hasStackTrace } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-report-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report refuses what replay refuses', () => {
  it('a run whose parameters were edited (hash mismatch)', () => {
    const out = join(dir, 'r.json');
    expect(cli(['run', 'scenarios/teaching/three-country.yaml', '--json', '--out', out]).code).toBe(0);
    const a = JSON.parse(readFileSync(out, 'utf8')) as { parameters: { exporter: { price: number } } };
    a.parameters.exporter.price *= 2;
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify(a));
    expect(cli(['replay', edited, '--no-tui']).code).toBe(2);
    const html = join(dir, 'edited.html');
    const r = cli(['report', edited, '--html', html]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/edited\.json at scenario\.hash: the scenario hash does not match the parameters in the file/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(html)).toBe(false);
  });

  it('a comparison naming a regime an object already has', () => {
    const out = join(dir, 'c.json');
    expect(cli(['compare', 'scenarios/teaching/three-country.yaml', '--regimes', 'open,bilateral', '--seeds', '2', '--json', '--out', out]).code).toBe(0);
    const c = JSON.parse(readFileSync(out, 'utf8')) as { regimes: string[] };
    c.regimes[0] = 'constructor';
    const edited = join(dir, 'c-edited.json');
    writeFileSync(edited, JSON.stringify(c));
    const r = cli(['report', edited, '--md', join(dir, 'c.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/c-edited\.json at regimes\[0\]: not a valid result artifact; expected an arm label \(a regime name or a scenario id\); found "constructor"/);
  });
});
