/** Layout maths: pure functions of numbers and strings, checked at widths from 80 to 200+ columns. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bar, chooseColumns, compact, fit, FOOTER_KEYS, footerLines, frameSize, sparkline, sparkRange, utilityPlane, windowStart, wrapText, type Column } from '../../src/tui/layout.js';

describe('compact numbers', () => {
  it('keeps integers whole and trims decimals', () => {
    expect(compact(100_000)).toBe('100k');
    expect(compact(62_500)).toBe('62.5k');
    expect(compact(1_250_000)).toBe('1.25M');
    expect(compact(10_000)).toBe('10k');
    expect(compact(406_250)).toBe('406k');
    expect(compact(0)).toBe('0');
    expect(compact(-2_000)).toBe('-2k');
    expect(compact(0.5)).toBe('0.50');
  });
});

describe('fit', () => {
  it('pads and cuts to the exact width', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 50 }), fc.boolean(), (s, w, left) => {
        expect(fit(s, w, left ? 'left' : 'right')).toHaveLength(w);
      }),
    );
    expect(fit('abcdef', 4)).toBe('abc~');
    expect(fit('ab', 4, 'right')).toBe('  ab');
  });
});

const cols: Column[] = [
  { key: 'a', title: 'a', width: 4, align: 'left', priority: 0 },
  { key: 'b', title: 'b', width: 30, align: 'left', priority: 3 },
  { key: 'c', title: 'c', width: 10, align: 'right', priority: 1 },
  { key: 'd', title: 'd', width: 40, align: 'right', priority: 2 },
];

describe('chooseColumns', () => {
  it('fits within the width from 80 to 240 columns, keeps order and the must-have columns', () => {
    for (let w = 80; w <= 240; w += 7) {
      const got = chooseColumns(cols, w);
      const used = got.reduce((a, c) => a + c.width, 0) + got.length - 1;
      expect(used).toBeLessThanOrEqual(w);
      expect(got[0]?.key).toBe('a');
      expect(got.map((c) => c.key)).toEqual(cols.filter((c) => got.includes(c)).map((c) => c.key));
    }
  });
  it('drops the lowest priority first and shows everything when wide', () => {
    expect(chooseColumns(cols, 60).map((c) => c.key)).toEqual(['a', 'c', 'd']);
    expect(chooseColumns(cols, 200).map((c) => c.key)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('windowStart', () => {
  it('keeps the selected row visible', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 30 }), fc.nat(), (count, size, sel0) => {
        const sel = count ? sel0 % count : 0;
        const start = windowStart(count, size, sel);
        expect(start).toBeGreaterThanOrEqual(0);
        if (count > size) {
          expect(sel).toBeGreaterThanOrEqual(start);
          expect(sel).toBeLessThan(start + size);
          expect(start + size).toBeLessThanOrEqual(count);
        } else expect(start).toBe(0);
      }),
    );
  });
});

describe('sparkline and bar', () => {
  it('have exactly the asked width', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 })), fc.integer({ min: 0, max: 80 }), (vs, w) => {
        expect(sparkline(vs, w)).toHaveLength(w);
        expect(bar(vs[0] ?? 0, 1e6, w)).toHaveLength(w);
      }),
    );
  });
  it('scale over the given range and rise with the value', () => {
    expect(sparkline([0, 5, 10], 3, { range: [0, 10] })).toBe('▁▅█');
    expect(sparkline([0, 5], 4, { range: [0, 10] })).toBe('▁▅  ');
    expect(sparkline([3, 3], 2)).toBe('▅▅');
  });

  it('the views draw a quantity from zero: a 6% drop is a small step, not a collapse', () => {
    const series = [100, 100, 97, 94];
    expect(sparkRange(series)).toEqual([0, 100]);
    expect(sparkline(series, 4, { range: sparkRange(series) })).toBe('████');
    // Min to max, as before, the same drop went from the top of the scale to the bottom.
    expect(sparkline(series, 4)).toBe('██▅▁');
    expect(sparkRange([-2, 5])).toEqual([-2, 5]);
    expect(bar(5, 10, 10)).toBe('█████     ');
    expect(bar(10, 10, 4)).toBe('████');
    expect(bar(0, 0, 3)).toBe('   ');
    expect(bar(1, 4, 3, { ascii: true })).toBe('#  ');
  });
});

describe('utility plane', () => {
  const plane = utilityPlane(
    {
      frontier: [
        [0, 1],
        [0.5, 0.8],
        [1, 0],
      ],
      offers: [
        { by: 0, utilities: [0.9, 0.2] },
        { by: 1, utilities: [0.2, 0.9] },
      ],
      nash: [0.5, 0.8],
      ks: [0.55, 0.7],
      agreement: [0.6, 0.6],
      disagreement: [0, 0],
    },
    41,
    21,
  );
  it('is width x height with axes', () => {
    expect(plane.lines).toHaveLength(21);
    for (const l of plane.lines) expect(l).toHaveLength(41);
    expect(plane.lines[20]).toMatch(/^\+-+>$/);
    expect(plane.lines[0]?.[0]).toBe('^');
  });
  it('puts each mark where its utilities are, the agreement over the rest', () => {
    const at = (u: number, v: number): string => plane.lines[19 - Math.round(v * 19)]?.[1 + Math.round(u * 39)] ?? '';
    expect(at(0.6, 0.6)).toBe('*');
    expect(at(0.5, 0.8)).toBe('N');
    expect(at(0.55, 0.7)).toBe('K');
    expect(at(0.9, 0.2)).toBe('e');
    expect(at(0.2, 0.9)).toBe('c');
    expect(at(0, 0)).toBe('d');
    expect(at(0, 1)).toBe('.');
    expect(plane.marks.flat().filter((m) => m === 'frontier').length).toBeGreaterThan(10);
  });
});

describe('footer and frame', () => {
  it('packs every key into lines no wider than the terminal', () => {
    for (const w of [60, 80, 120, 160, 200]) {
      const lines = footerLines(FOOTER_KEYS, w);
      for (const l of lines) expect(l).toHaveLength(w);
      const text = lines.join(' ');
      for (const k of FOOTER_KEYS) expect(text).toContain(`${k.keys} ${k.label}`);
    }
    expect(footerLines(FOOTER_KEYS, 200)).toHaveLength(1);
    expect(footerLines(FOOTER_KEYS, 80).length).toBeLessThanOrEqual(2);
  });
  it('keeps one row free and a usable minimum', () => {
    expect(frameSize(80, 24)).toEqual({ columns: 80, rows: 23 });
    expect(frameSize(undefined, undefined)).toEqual({ columns: 80, rows: 23 });
    expect(frameSize(20, 5)).toEqual({ columns: 60, rows: 16 });
  });
  it('wraps text to the width with an indent', () => {
    const lines = wrapText('Round 1: ARE accepts 62.5k H100e a round to round 4 for $12.5bn investment and $6.3bn purchases', 40, 4);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
    expect(lines[1]?.startsWith('    ')).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe('Round 1: ARE accepts 62.5k H100e a round to round 4 for $12.5bn investment and $6.3bn purchases');
  });
});
