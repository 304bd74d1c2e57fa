/** The SVG chart primitives: pure functions of their data, checked for geometry, escaping and well-formedness. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/report/svg/bars.js';
import { esc, extent, fmtNum, linear, ticks } from '../../src/report/svg/common.js';
import { intervalChart } from '../../src/report/svg/intervals.js';
import { lineBandChart } from '../../src/report/svg/lines.js';
import { scatterChart } from '../../src/report/svg/scatter.js';
import { tornadoChart } from '../../src/report/svg/tornado.js';

const EVIL = `<script>alert("x")</script> & 'quotes'`;

/** Tags open and close in order, and no raw '<' or '&' sits in text: a cheap well-formedness check. */
export function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)([^<>]*?)(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    if (/[<>]/.test(between) || /&(?!(amp|lt|gt|quot|#39);)/.test(between)) return false;
    last = tag.lastIndex;
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name as string);
  }
  return stack.length === 0 && !/[<>]/.test(svg.slice(last));
}

/** Numeric attribute values of every element `el`. */
function attrs(svg: string, el: string, name: string): number[] {
  return [...svg.matchAll(new RegExp(`<${el}\\b[^>]*?\\s${name}="([-\\d.]+)"`, 'g'))].map((m) => Number(m[1]));
}

describe('common helpers', () => {
  it('escapes markup and quotes', () => {
    expect(esc(EVIL)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
  });

  test.prop([fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: 1e-6, max: 1e9, noNaN: true })], { numRuns: 300 })(
    'ticks lie in the range, evenly spaced by 1, 2 or 5 times a power of ten',
    (lo, w) => {
      // Ranges narrower than a millionth of their magnitude are below what double-precision ticks can show.
      const width = Math.max(w, Math.abs(lo) * 1e-6);
      const hi = lo + width;
      const t = ticks(lo, hi, 5);
      expect(t.length).toBeGreaterThanOrEqual(1);
      expect(t.length).toBeLessThanOrEqual(11);
      const tol = width * 1e-9 + Math.abs(lo) * 1e-12;
      for (const v of t) {
        expect(v).toBeGreaterThanOrEqual(lo - tol);
        expect(v).toBeLessThanOrEqual(hi + tol);
      }
      if (t.length >= 2) {
        const step = (t[1] as number) - (t[0] as number);
        const mant = step / 10 ** Math.floor(Math.log10(step));
        expect([1, 2, 5, 10].some((m) => Math.abs(mant - m) < 1e-4)).toBe(true);
      }
    },
  );

  it('a range below the precision of its values gives its two ends, not millions of ticks (report crashed: Invalid array length)', () => {
    for (const [lo, hi] of [[1e6, 1e6 + 1e-9], [4.2e11, 4.2e11 + 1e-4], [-3e8, -3e8 + 1e-7]] as const) {
      const t = ticks(lo, hi, 5);
      expect(t.length).toBeLessThanOrEqual(11);
      expect(t.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('maps domains linearly and handles a zero-width domain', () => {
    const s = linear(0, 10, 100, 200);
    expect(s(0)).toBe(100);
    expect(s(5)).toBe(150);
    expect(linear(3, 3, 0, 10)(3)).toBe(5);
    expect(extent([], [])).toEqual([0, 1]);
    expect(extent([2, 4], [0])[0]).toBe(0);
  });

  it.each([
    [0, '0'],
    [1234, '1230'],
    [0.25, '0.25'],
    [35_000, '35k'],
    [1_500_000, '1.5M'],
    [2.5e9, '2.5G'],
    [-4200, '-4200'],
    [0.00015, '1.5e-4'],
  ])('labels %d as %s', (x, s) => expect(fmtNum(x)).toBe(s));
});

describe('bar chart', () => {
  const svg = barChart({
    title: EVIL,
    xLabel: 'H100e',
    series: ['deal', EVIL],
    rows: [
      { label: 'A', values: [100, 50] },
      { label: EVIL, values: [0, 200] },
    ],
    markers: { name: 'demand', values: [300, null] },
  });

  it('is well-formed and escapes every label', () => {
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('draws segment widths in proportion to the values', () => {
    const widths = attrs(svg, 'rect', 'width').filter((w) => w !== 10); // legend swatches are 10 wide
    // Segments: A/deal 100, A/other 50, B/other 200 (the zero segment is not drawn).
    expect(widths).toHaveLength(3);
    const [a, b, c] = widths as [number, number, number];
    expect(a / c).toBeCloseTo(0.5, 1);
    expect(b / c).toBeCloseTo(0.25, 1);
  });
});

describe('interval chart', () => {
  it('puts each whisker at the interval ends and the dot at the mean, with a zero line', () => {
    const svg = intervalChart({ title: 't', xLabel: 'x', series: ['d'], rows: [{ label: 'm', points: [{ mean: 1, lo: -1, hi: 3 }] }], zero: true, width: 500 });
    expect(wellFormed(svg)).toBe(true);
    const [cx] = attrs(svg, 'circle', 'cx');
    const x1s = attrs(svg, 'line', 'x1');
    // The whisker runs from x(lo) to x(hi); the mean is half-way (1 is the midpoint of -1..3).
    const whisker = [...svg.matchAll(/<line x1="([-\d.]+)" x2="([-\d.]+)" y1="([-\d.]+)" y2="\3"\/>/g)].map((m) => [Number(m[1]), Number(m[2])]).find(([a, b]) => a !== b && b !== undefined && a !== undefined && b - a < 400);
    expect(whisker).toBeDefined();
    const [lo, hi] = whisker as [number, number];
    expect(cx).toBeCloseTo((lo + hi) / 2, 0);
    expect(svg).toContain('stroke-dasharray');
    expect(x1s.length).toBeGreaterThan(3);
  });

  it('leaves out missing points and escapes row labels', () => {
    const svg = intervalChart({ title: 't', xLabel: 'x', series: ['a', 'b'], rows: [{ label: EVIL, points: [{ mean: 1, lo: 0, hi: 2 }, null] }] });
    expect(wellFormed(svg)).toBe(true);
    expect(attrs(svg, 'circle', 'cx')).toHaveLength(1);
    expect(svg).not.toContain('<script');
  });
});

describe('line chart with band', () => {
  it('draws one band and one line per series through the means', () => {
    const svg = lineBandChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        { name: 'a', points: [{ x: 2, mean: 2, lo: 1, hi: 3 }, { x: 1, mean: 1, lo: 0, hi: 2 }] },
        { name: EVIL, points: [{ x: 1, mean: 5, lo: 5, hi: 5 }] },
      ],
    });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/<polygon /g)).toHaveLength(2);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    // Points are sorted by x: the first line's first vertex is left of its second, and higher mean is higher up (smaller y).
    const first = /<polyline points="([^"]+)"/.exec(svg)?.[1]?.split(' ').map((p) => p.split(',').map(Number)) ?? [];
    expect((first[0]?.[0] ?? 0) < (first[1]?.[0] ?? 0)).toBe(true);
    expect((first[0]?.[1] ?? 0) > (first[1]?.[1] ?? 0)).toBe(true);
    expect(svg).not.toContain('<script');
  });
});

describe('tornado chart', () => {
  it('draws each bar from the base towards its value', () => {
    const svg = tornadoChart({ title: 't', xLabel: 'm', base: 10, rows: [{ label: 'p', low: 4, high: 16 }], width: 600 });
    expect(wellFormed(svg)).toBe(true);
    const rects = [...svg.matchAll(/<rect x="([-\d.]+)" y="[-\d.]+" width="([-\d.]+)"[^>]*fill="([^"]+)"><title>/g)].map((m) => ({ x: Number(m[1]), w: Number(m[2]) }));
    expect(rects).toHaveLength(2);
    const [low, high] = rects as [{ x: number; w: number }, { x: number; w: number }];
    // Symmetric swing: equal widths, low ending where high starts (the base line).
    expect(low.w).toBeCloseTo(high.w, 0);
    expect(low.x + low.w).toBeCloseTo(high.x, 0);
  });

  it('escapes parameter labels', () => {
    const svg = tornadoChart({ title: EVIL, xLabel: EVIL, base: 0, rows: [{ label: EVIL, low: -1, high: 1 }] });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toContain('<script');
  });
});

describe('scatter chart', () => {
  it('places points by value and escapes labels', () => {
    const svg = scatterChart({ title: 't', xLabel: 'mu*', yLabel: 'sigma', points: [{ label: EVIL, x: 0, y: 0 }, { label: 'b', x: 10, y: 5 }] });
    expect(wellFormed(svg)).toBe(true);
    const cx = attrs(svg, 'circle', 'cx');
    const cy = attrs(svg, 'circle', 'cy');
    expect((cx[1] ?? 0) > (cx[0] ?? 0)).toBe(true);
    expect((cy[1] ?? 0) < (cy[0] ?? 0)).toBe(true);
    expect(svg).not.toContain('<script');
  });
});
