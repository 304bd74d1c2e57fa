/**
 * A report as data (stamp, sections of text, tables and charts), rendered to a self-contained HTML page
 * (inline CSS and SVG, no scripts, no external resources) or to Markdown (the same tables; charts are named and
 * left to the HTML page). Renderers escape every text; chart SVG comes from src/report/svg, which escapes its own.
 */
import { safeText } from '../core/safe-text.js';
import { esc } from './svg/common.js';

export type Block =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'table'; readonly caption: string; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly kind: 'chart'; readonly caption: string; readonly svg: string };

export interface Section {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface ReportDoc {
  readonly title: string;
  readonly subtitle: string;
  /** Label/value pairs: scenario id and hash, seeds, version... */
  readonly stamp: readonly (readonly [string, string])[];
  /** Shell commands that reproduce the input and this report. */
  readonly reproduce: readonly string[];
  readonly sections: readonly Section[];
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sub { color: #555; margin: 0 0 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 3px 10px 3px 0; text-align: right; vertical-align: top; overflow-wrap: anywhere; }
th { hyphens: auto; }
th:first-child, td:first-child { text-align: left; }
th { font-weight: 600; border-bottom: 1px solid #999; }
table.stamp td, table.stamp th { text-align: left; }
table.stamp td { white-space: normal; word-break: break-all; }
figure { margin: 12px 0 20px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
.charts figure { margin: 8px 0; }
/* Wide tables wrap inside the page (1280 px screens, print) rather than hiding columns behind a scroll bar. */
.scroll { max-width: 100%; }
.scroll table { max-width: 100%; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg { max-width: 100%; height: auto; }
pre { background: #f5f5f5; padding: 8px 12px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
footer { margin-top: 40px; color: #666; font-size: 12px; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, tr, pre { break-inside: avoid; }
  table { font-size: 9pt; }
  pre { white-space: pre-wrap; }
  .charts { display: block; }
}
@page { margin: 14mm; }
`;

export function renderHtml(doc: ReportDoc): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // No network: the policy forbids every fetch; styles and images are inline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(doc.title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${esc(doc.title)}</h1><p class="sub">${esc(doc.subtitle)}</p>`,
    `<table class="stamp"><tbody>${doc.stamp.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`,
  ];
  if (doc.reproduce.length > 0) out.push(`<h2>Reproduce</h2><pre>${doc.reproduce.map(esc).join('\n')}</pre>`);
  for (const s of doc.sections) {
    out.push(`<section><h2>${esc(s.title)}</h2>`);
    // Consecutive charts share a wrapping row, so small charts sit side by side.
    let charts: string[] = [];
    const flush = (): void => {
      if (charts.length > 0) out.push(`<div class="charts">${charts.join('')}</div>`);
      charts = [];
    };
    for (const b of s.blocks) {
      if (b.kind === 'chart') charts.push(htmlBlock(b));
      else {
        flush();
        out.push(htmlBlock(b));
      }
    }
    flush();
    out.push('</section>');
  }
  out.push(`<footer>Written by tradesim ${esc(doc.stamp.find(([k]) => k === 'tradesim version')?.[1] ?? '')}. Self-contained: no scripts, no external resources.</footer>`);
  out.push('</main></body></html>\n');
  return out.join('\n');
}

function htmlBlock(b: Block): string {
  switch (b.kind) {
    case 'text':
      return `<p>${esc(b.text)}</p>`;
    case 'chart':
      return `<figure><figcaption>${esc(b.caption)}</figcaption>${b.svg}</figure>`;
    case 'table':
      return (
        `<div class="scroll"><table><caption>${esc(b.caption)}</caption><thead><tr>${b.header.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>` +
        `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
      );
  }
}

/** Markdown-escape a cell or line: no raw HTML, no table breaks, no accidental emphasis or links. */
export function mdEsc(s: string): string {
  return safeText(s.replace(/\r?\n/g, ' '))
    .replace(/[\\`*_[\]|<>#]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .replace(/\r?\n/g, ' ');
}

export function renderMarkdown(doc: ReportDoc): string {
  const out: string[] = [`# ${mdEsc(doc.title)}`, '', mdEsc(doc.subtitle), '', mdTable(['', ''], doc.stamp, true), ''];
  if (doc.reproduce.length > 0) out.push('## Reproduce', '', '```sh', ...doc.reproduce.map((l) => safeText(l).replace(/```/g, '` ` `')), '```', '');
  for (const s of doc.sections) {
    out.push(`## ${mdEsc(s.title)}`, '');
    for (const b of s.blocks) {
      if (b.kind === 'text') out.push(mdEsc(b.text), '');
      else if (b.kind === 'chart') out.push(`*Chart: ${mdEsc(b.caption)} (in the HTML report).*`, '');
      else out.push(`**${mdEsc(b.caption)}**`, '', mdTable(b.header, b.rows), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** A pipe table: first column left, the others right-aligned (numbers), or all left. */
function mdTable(header: readonly string[], rows: readonly (readonly string[])[], allLeft = false): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(mdEsc).join(' | ')} |`;
  const rule = `|${header.map((_, i) => (i === 0 || allLeft ? ' --- ' : ' ---: ')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
