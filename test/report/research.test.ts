/** Reports of the deep-uncertainty artifacts: parsed back from JSON, rendered to HTML and Markdown. */
import { describe, expect, it } from 'vitest';
import { jsonText } from '../../src/core/safe-text.js';
import { stream } from '../../src/core/rng.js';
import { buildReport } from '../../src/report/build.js';
import { renderHtml, renderMarkdown } from '../../src/report/doc.js';
import { parseArtifact } from '../../src/report/input.js';
import { discover, parseTable } from '../../src/research/discover.js';
import { robustness } from '../../src/research/robustness.js';
import { sobolFunction } from '../../src/research/sobol-run.js';
import { compareUncertain } from '../../src/research/uncertainty.js';

const render = (artifact: unknown) => {
  const input = parseArtifact(jsonText(artifact), 'a.json');
  const doc = buildReport(input, 'tradesim report a.json --html a.html');
  return { kind: input.kind, doc, html: renderHtml(doc), md: renderMarkdown(doc) };
};

function table(): string {
  const u = stream(9, 'test/report/research');
  const out = ['run,seed,world,regime,p.x,metrics.leakage,metrics.revenueUsd'];
  let run = 0;
  for (let w = 0; w < 60; w++) {
    const x = u();
    for (const regime of ['tiered-2025', 'bilateral']) out.push([run++, 1, w, regime, x, regime === 'bilateral' ? 100 * x : 50, 10 + u()].join(','));
  }
  return `${out.join('\n')}\n`;
}

describe('reports of deep-uncertainty artifacts', () => {
  it('Sobol: bars with intervals per group, the convergence chart and the indices table', () => {
    const r = render(sobolFunction({ expression: 'x1 + 2 * x2', params: ['x1=0:1', 'x2=0:1'], samples: 256, resamples: 100, command: 'tradesim sensitivity --method sobol ...' }));
    expect(r.kind).toBe('sobol');
    expect(r.html).toMatch(/<svg[^>]*>.*Sobol indices/s);
    expect(r.html).toMatch(/Convergence of the total indices/);
    expect(r.md).toMatch(/\| x2 \| 0\.[6-9]\d\d \\\[/);
    expect(r.html).not.toMatch(/<script|https?:\/\//);
  });

  it('discovery: the PRIM trade-off curve, the box limits with quasi-p-values and the CART tree', () => {
    const d = discover(parseTable(table(), 'w.csv'), { arms: 'regime=tiered-2025,bilateral', where: 'b.final.leakage > a.final.leakage', permutations: 20, command: 'tradesim discover w.csv ...' });
    const r = render(d);
    expect(r.kind).toBe('discovery');
    expect(r.html).toMatch(/PRIM trade-off: density against coverage/);
    expect(r.md).toMatch(/\| p\.x \| 0\.5\d* \.\. 0\.9\d*/);
    expect(r.md).toMatch(/## CART tree/);
    expect(r.md).toMatch(/p\.x &lt;= 0\.49/);
  });

  it('robustness: the ranking and the regret table', () => {
    const t = parseTable(table(), 'w.csv');
    const r = render(robustness(t, { metrics: ['leakage', 'revenueUsd'], satisfy: 'final.leakage < 60', command: 'tradesim robustness w.csv ...' }, { worlds: { levers: ['regime=tiered-2025,bilateral'] } }));
    expect(r.kind).toBe('robustness');
    expect(r.md).toMatch(/## Ranking/);
    expect(r.md).toMatch(/\| 1 \| regime=tiered-2025 \| 100% \|/);
    expect(r.md).toMatch(/regret max/);
    expect(r.html).toMatch(/<svg/);
  });

  it('a comparison over uncertain worlds: strips of the paired differences and P(b beats a)', async () => {
    const c = await compareUncertain({ scenario: 'scenarios/teaching/three-country.yaml', regimes: ['tiered-2025', 'bilateral'], worlds: 8, factors: ['exporter.supplyPerRound'], resamples: 100 });
    const r = render(c);
    expect(r.kind).toBe('comparison');
    expect(r.doc.subtitle).toMatch(/same 8 uncertain worlds/);
    expect(r.html).toMatch(/bilateral minus tiered-2025, paired over the worlds/);
    expect(r.md).toMatch(/P\(bilateral beats tiered-2025\)/);
    expect(r.doc.reproduce[0]).toMatch(/--uncertainty 8/);
  }, 60_000);

  it('refuses a damaged artifact with the path of the problem', () => {
    const bad = JSON.parse(jsonText(sobolFunction({ expression: 'x1', params: ['x1=0:1'], samples: 32, resamples: 100, command: '' }))) as Record<string, unknown>;
    delete bad['metrics'];
    expect(() => parseArtifact(JSON.stringify(bad), 'bad.json')).toThrow(/metrics/);
  });
});
