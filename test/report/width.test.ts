/**
 * Text output fits 80 columns (issue 20: `run` printed ~123 columns and `compare` of two calibrated scenarios
 * ~145, so every row wrapped in an 80-column terminal or pager); --wide prints every column.
 */
import { describe, expect, it } from 'vitest';
import { fitTable, wrapText } from '../../src/report/text.js';
import { cli } from '../helpers/cli.js';

const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));
// Not a terminal and no COLUMNS: the width is 80.
const env = { COLUMNS: '' };

describe('text output fits 80 columns', () => {
  it('run of a calibrated scenario; --wide shows every column', () => {
    const r = cli(['run', 'scenarios/bilateral-2025.yaml', '--seed', '7', '--no-tui'], { env });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/\(hidden: .*; --wide shows all\)/);
    // Columns the regime leaves empty go first: under bilateral deals nothing is capped or exempt.
    expect(r.stdout).toMatch(/hidden: exempt\+veu, capped/);
    // What the regime is about stays: the deal column under deals.
    expect(r.stdout).toMatch(/fulfil\s+deal\s/);
    expect(r.stdout).toContain('CHN');
    const wide = cli(['run', 'scenarios/bilateral-2025.yaml', '--seed', '7', '--no-tui', '--wide'], { env });
    expect(widest(wide.stdout)).toBeGreaterThan(100);
    expect(wide.stdout).toMatch(/exempt\+veu\s+rival\s+leaked\s+conc \$bn\s+relations/);
    expect(wide.stdout).not.toContain('(hidden: ');
  }, 60_000);

  it('compare of two calibrated scenarios', () => {
    const r = cli(['compare', 'scenarios/history-2025-2026.yaml', 'scenarios/counterfactual-tiered-kept.yaml', '--seeds', '2'], { env });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    // Every metric label is still there whole, on its own line above its values.
    expect(r.stdout).toMatch(/\nChips exported to importers \(chips\)\n\s+[\d,]+ \[/);
    expect(r.stdout).toContain('Who gains and loses');
    const wide = cli(['compare', 'scenarios/history-2025-2026.yaml', 'scenarios/counterfactual-tiered-kept.yaml', '--seeds', '2', '--wide'], { env });
    expect(widest(wide.stdout)).toBeGreaterThan(100);
  }, 120_000);
});

describe('fitTable', () => {
  const header = ['name', 'a', 'empty', 'b'];
  const rows = [
    ['first', '1'.repeat(30), '0', '2'.repeat(30)],
    ['second', '3', '0', '4'],
  ];
  it('drops empty columns first, then the named ones in order, and says so', () => {
    const t = fitTable(header, rows, { width: 72, wide: false }, ['a', 'empty']);
    expect(widest(t)).toBeLessThanOrEqual(72);
    expect(t).toContain('(hidden: empty; --wide shows all)');
    expect(fitTable(header, rows, { width: 72, wide: true }, ['a', 'empty'])).not.toContain('(hidden: ');
  });
  it('stacks rows and splits column groups when nothing may be dropped', () => {
    const t = fitTable(header, rows, { width: 40, wide: false });
    expect(widest(t)).toBeLessThanOrEqual(40);
    for (const cell of rows.flat()) expect(t).toContain(cell);
  });
  it('wraps prose at word boundaries', () => {
    const w = wrapText(`${'word '.repeat(40)}end`, { width: 30, wide: false });
    expect(widest(w)).toBeLessThanOrEqual(30);
    expect(w.replace(/\s+/g, ' ')).toBe(`${'word '.repeat(40)}end`);
  });
});
