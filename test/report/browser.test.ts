/**
 * Each report kind opened in headless Chromium (Debian's `chromium`): it loads with no console message at all
 * (no script error, no blocked resource: the page's CSP forbids every fetch, and Chromium logs any attempt),
 * its DOM holds the charts, and it renders to a screenshot. Skipped outside CI, with the reason in its name,
 * where Chromium is not installed; in CI that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSensitivity } from '../../src/cli/commands/sensitivity-run.js';
import { CHROMIUM, CI } from '../helpers/chromium.js';
import { cli } from '../helpers/cli.js';
import { comparisonFixture, runFixture, sweepFixture, TOY, writeSweep } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-browser-'));

/** Chromium's own console lines (page messages, script errors, CSP violations) from --enable-logging=stderr. */
function chromium(args: readonly string[]): { stdout: string; console: string[] } {
  const r = spawnSync(
    CHROMIUM as string,
    ['--headless', '--disable-gpu', '--no-sandbox', '--enable-logging=stderr', '--v=0', `--user-data-dir=${join(dir, 'profile')}`, '--host-resolver-rules=MAP * ~NOTFOUND', ...args],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error) throw r.error;
  return { stdout: r.stdout, console: r.stderr.split('\n').filter((l) => /:CONSOLE[:(]|Uncaught/.test(l)) };
}

const pages: Record<string, string> = {};

// Skipped only outside CI; in CI a missing Chromium fails (.ci/run installs it).
describe.skipIf(CHROMIUM === undefined && !CI)(`headless Chromium${CHROMIUM === undefined ? ' (skipped outside CI: chromium is not installed; apt-get install chromium)' : ''}`, () => {
  beforeAll(async () => {
    if (CHROMIUM === undefined) throw new Error("CI: chromium is not installed (.ci/run installs Debian's chromium); the browser checks cannot be skipped");
    const inputs: Record<string, string> = {};
    inputs.run = join(dir, 'result.json');
    writeFileSync(inputs.run, JSON.stringify(await runFixture(7, ['title="<script>alert(1)</script> toy"'])));
    inputs.comparison = join(dir, 'comparison.json');
    writeFileSync(inputs.comparison, JSON.stringify(await comparisonFixture(['tiered-2025', 'bilateral', 'open'], [1, 2, 3, 4])));
    for (const method of ['oat', 'morris']) {
      inputs[method] = join(dir, `${method}.json`);
      const s = await runSensitivity({ file: TOY, metric: 'leakage', vary: ['countries[MID].enforcement=0.3:0.9', 'exporter.supplyPerRound=15000:25000', 'rival.capacityPerRound=1000:10000'], method, levels: 4, trajectories: 4, seeds: 2, seed: undefined, regime: undefined, rounds: undefined, sets: [], argv: [], progress: false });
      writeFileSync(inputs[method], JSON.stringify(s));
    }
    const rows = await sweepFixture({ vary: [{ path: 'exporter.supplyPerRound', values: [12000, 20000, 28000] }], seeds: [1, 2, 3], regimes: ['bilateral', 'tiered-2025'] });
    inputs.csv = writeSweep(dir, 'results.csv', rows, { scenario: { id: 'three-country' } });
    inputs.jsonl = writeSweep(dir, 'results.jsonl', rows);
    for (const [kind, input] of Object.entries(inputs)) {
      pages[kind] = join(dir, `${kind}.html`);
      const r = cli(['report', input, '--html', pages[kind] as string]);
      if (r.code !== 0) throw new Error(`report ${kind}: ${r.stderr}`);
    }
  }, 120_000);

  it('detects console errors at all (control: a page with a failing script)', () => {
    const bad = join(dir, 'bad.html');
    writeFileSync(bad, '<!DOCTYPE html><p>x</p><script>console.error("boom"); missingFunction();</script>');
    const r = chromium(['--dump-dom', `file://${bad}`]);
    expect(r.console.join('\n')).toMatch(/boom/);
    expect(r.console.join('\n')).toMatch(/Uncaught ReferenceError/);
  });

  it.each(['run', 'comparison', 'oat', 'morris', 'csv', 'jsonl'])('%s report loads with no console message and its charts in the DOM', (kind) => {
    const page = pages[kind] as string;
    const r = chromium(['--dump-dom', `file://${page}`]);
    expect(r.console).toEqual([]);
    const svgs = (readFileSync(page, 'utf8').match(/<svg /g) ?? []).length;
    expect(svgs).toBeGreaterThan(0);
    // The parsed DOM holds every chart and no script element (the hostile title stayed text).
    expect((r.stdout.match(/<svg /g) ?? []).length).toBe(svgs);
    expect(r.stdout).not.toMatch(/<script/i);
    expect(r.stdout).toContain('<h1>');
  });

  it.each(['run', 'comparison', 'oat', 'csv'])('%s report renders to a screenshot', (kind) => {
    const png = join(dir, `${kind}.png`);
    const r = chromium(['--screenshot=' + png, '--window-size=1280,2000', '--hide-scrollbars', `file://${pages[kind] as string}`]);
    expect(r.console).toEqual([]);
    expect(existsSync(png)).toBe(true);
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(20_000); // a blank page is a few kB
  });
});
