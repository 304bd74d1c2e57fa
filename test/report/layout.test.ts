/**
 * Report pages laid out in a real headless Chromium (Debian's `chromium`), screenshot-free (issue 20): at a
 * 1280 px window nothing overflows horizontally (no table hidden behind a scroll bar, no element past the
 * right edge), the same at a printed page's width, every chart is titled with a unit, and the page prints to
 * a PDF. Not skipped in CI: there a missing Chromium is a failure (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTRY_METRICS, FINAL_METRICS, ROUND_METRICS } from '../../src/core/metrics.js';
import { CHROMIUM, CI } from '../helpers/chromium.js';
import { cli, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Units a chart title may name: the metric catalogue's, and the few the report's own charts use. */
const UNITS = [...new Set([...FINAL_METRICS, ...ROUND_METRICS, ...COUNTRY_METRICS].map((m) => m.unit)), 'H100e', 'chips', 'USD bn', 'share'];
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const UNIT_IN_TITLE = new RegExp(`\\((?:[^()]*, )?(?:${UNITS.map(escapeRe).join('|')})(?:[ ,][^()]*)?\\)`);

/**
 * What the page measures of itself in Chromium: the page copied with a script appended (the report's own CSP
 * forbids scripts, so the copy drops it) that writes its findings into the DOM, read back with --dump-dom.
 */
function measure(page: string, width: number): { overflow: string[]; titles: string[]; pageWidth: number; viewport: number } {
  const probe = join(dir, `probe-${width}-${page.split('/').pop() ?? 'p'}`);
  const script = `<script>
    const w = window.innerWidth, out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 1) out.push(el.tagName + ': right edge ' + Math.round(r.right));
      if ((el.tagName === 'TABLE' || el.classList.contains('scroll')) && el.scrollWidth > el.clientWidth + 1) out.push(el.tagName + ' scrolls: ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
    const titles = [...document.querySelectorAll('svg')].map((s) => (s.querySelector('title') || {}).textContent || '(no title)');
    document.body.setAttribute('data-probe', JSON.stringify({ overflow: out.slice(0, 10), titles, pageWidth: document.documentElement.scrollWidth, viewport: w }));
  </script>`;
  const html = readFileSync(page, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${script}</body>`);
  writeFileSync(probe, html);
  const r = spawnSync(CHROMIUM as string, ['--headless', '--disable-gpu', '--no-sandbox', '--hide-scrollbars', `--window-size=${width},900`, `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${probe}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  const attr = /data-probe="([^"]*)"/.exec(r.stdout)?.[1];
  if (attr === undefined) throw new Error(`no measurement from Chromium for ${page}: ${r.stderr.slice(0, 500)}`);
  const json = attr.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(json) as { overflow: string[]; titles: string[]; pageWidth: number; viewport: number };
}

const pages: Record<string, string> = {};

describe.skipIf(CHROMIUM === undefined && !CI)(`report layout in headless Chromium${CHROMIUM === undefined ? ' (skipped outside CI: chromium is not installed; apt-get install chromium)' : ''}`, () => {
  beforeAll(() => {
    if (CHROMIUM === undefined) throw new Error('CI: chromium is not installed (.ci/run installs Debian\'s chromium); the layout checks cannot be skipped');
    const step = (args: string[]): void => {
      const r = cli(args, { cwd: dir });
      if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    };
    step(['run', join(ROOT, 'scenarios/bilateral-2025.yaml'), '--seed', '7', '--out', 'run.json']);
    step(['compare', join(ROOT, 'scenarios/history-2025-2026.yaml'), join(ROOT, 'scenarios/counterfactual-tiered-kept.yaml'), '--seeds', '2', '--set', 'countries[ARE].patience=0.9', '--out', 'compare.json']);
    step(['sweep', join(ROOT, 'scenarios/teaching/three-country.yaml'), '--vary', 'exporter.supplyPerRound=12000,20000,28000', '--vary', 'countries[MID].enforcement=0.3,0.9', '--seeds', '2', '--out', 'sweep.csv']);
    step(['sensitivity', join(ROOT, 'scenarios/teaching/three-country.yaml'), '--metric', 'leakage', '--vary', 'countries[MID].enforcement=0.3:0.9', '--vary', 'exporter.supplyPerRound=15000:25000', '--seeds', '2', '--out', 'sens.json']);
    for (const [kind, input] of [['run', 'run.json'], ['compare', 'compare.json'], ['sweep', 'sweep.csv'], ['sensitivity', 'sens.json']] as const) {
      step(['report', input, '--html', `${kind}.html`]);
      pages[kind] = join(dir, `${kind}.html`);
    }
    // A class debrief: two students in one folder, collected.
    const ex = join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml');
    writeFileSync(join(dir, 'a.moves.yaml'), '- { offer: { tariff: 10 } }\n- accept\n');
    writeFileSync(join(dir, 'b.moves.yaml'), '- { offer: { tariff: 2 } }\n- repeat\n- accept\n');
    step(['play', ex, '--as', 'ARE', '--name', 'Ann Lee', '--moves', 'a.moves.yaml']);
    step(['play', ex, '--as', 'ARE', '--name', 'Bo', '--moves', 'b.moves.yaml']);
    step(['collect', '.', '--html', 'class.html']);
    pages.class = join(dir, 'class.html');
  }, 240_000);

  it.each(['run', 'compare', 'sweep', 'sensitivity', 'class'])('%s page: no horizontal overflow at 1280 px or at a printed page width; every chart titled with a unit', (kind) => {
    const page = pages[kind] as string;
    const screen = measure(page, 1280);
    expect(screen.viewport).toBe(1280);
    expect(screen.overflow).toEqual([]);
    expect(screen.pageWidth).toBeLessThanOrEqual(1280);
    // About an A4 page's printable width at 96 dpi.
    const paper = measure(page, 720);
    expect(paper.overflow).toEqual([]);
    expect(screen.titles.length).toBeGreaterThan(0);
    for (const t of screen.titles) expect(t, 'a chart title names its unit').toMatch(UNIT_IN_TITLE);
  }, 120_000);

  it('the run page shows the adversaries, and its legend names only routes that are drawn', () => {
    const html = readFileSync(pages.run as string, 'utf8');
    expect(html).toContain('<h2>Adversaries</h2>');
    expect(html).toMatch(/<td>China[^<]*\(CHN\)<\/td>/);
    // Bilateral deals: no capped, exempt or VEU deliveries, so no such legend entry.
    expect(html).not.toMatch(/>capped<\/text>|>exempt<\/text>|>veu<\/text>/);
    // Deliveries and leakage each on their own axis.
    expect(html).toMatch(/<title>Chips exported to importers \(chips\) per round<\/title>/);
    expect(html).toMatch(/<title>Compute diverted \(H100e\) per round<\/title>/);
  });

  it('the class debrief dot plot names each student and has an axis with a unit', () => {
    const html = readFileSync(pages.class as string, 'utf8');
    expect(html).toMatch(/<text[^>]*text-anchor="end">Ann Lee<\/text>/);
    expect(html).toMatch(/<text[^>]*text-anchor="end">Bo<\/text>/);
    expect(html).toMatch(/computer \([a-z]+\) \$/);
    expect(html).toContain('(USD bn, discounted)');
  });

  it('sweep curves are conditioned on the other varied parameter: one line per level', () => {
    const html = readFileSync(pages.sweep as string, 'utf8');
    expect(html).toContain('One line per value of countries[MID].enforcement');
    expect(html).toMatch(/countries\[MID\]\.enforcement = 0\.3/);
    expect(html).toMatch(/countries\[MID\]\.enforcement = 0\.9/);
  });

  it('prints to PDF', () => {
    const pdf = join(dir, 'compare.pdf');
    const r = spawnSync(CHROMIUM as string, ['--headless', '--disable-gpu', '--no-sandbox', `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${pages.compare as string}`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(existsSync(pdf)).toBe(true);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
  }, 120_000);
});
