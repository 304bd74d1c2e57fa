/**
 * Debriefs as Markdown and as one self-contained HTML page (inline CSS and SVG, no scripts, no network).
 * Every piece of text that came from a file (exercise texts, names, ids) is escaped for its format.
 */
import type { Debrief, NegotiationSummary, Point, SeatDebrief } from './debrief.js';
import { escapeHtml, safeText } from '../core/safe-text.js';
import { usd } from './format.js';

export { escapeHtml };

/** Markdown text from a file: no HTML, no table breaks, no link or emphasis syntax, no control characters. */
export function escapeMd(s: string): string {
  return safeText(s.replace(/\r?\n/g, ' ')).replace(/[\\`*_{}[\]#+!|<>~]/g, (c) => `\\${c}`);
}

const num = (x: number): string => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toFixed(3))));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const OUTCOME_LABELS: Readonly<Record<string, [string, (x: number) => string]>> = {
  delivered: ['Chips delivered (H100e)', num],
  dealChips: ['of which under the deal', num],
  fulfilment: ['Share of demand met', pct],
  concessionsUsd: ['Concessions given (face value)', (x) => usd(x)],
  securityCommitment: ['Security commitment (0-1)', num],
  relationsEnd: ['Relations at the end (0-1)', num],
  rival: ['Chips from the rival supplier', num],
  revenueUsd: ['Exporter revenue', (x) => usd(x)],
  concessionsObtainedUsd: ['Concessions obtained (face value)', (x) => usd(x)],
  leakage: ['Chips leaked to adversaries (H100e)', (x) => Math.round(x).toLocaleString('en-US')],
  marketShare: ['Exporter market share', pct],
  relationsMean: ['Mean relations (0-1)', num],
  agreementRate: ['Agreement rate', pct],
  licensed: ['Licensed compute (H100e)', num],
  diverted: ['Diverted compute (H100e)', num],
  total: ['Total compute (H100e)', num],
  revenueShareUsd: ['Revenue share paid', (x) => usd(x)],
};

export function outcomeRows(s: SeatDebrief): [string, string, string][] {
  return Object.keys(s.student.outcome).map((k) => {
    const [label, f] = OUTCOME_LABELS[k] ?? [k, num];
    return [label, f(s.student.outcome[k] ?? 0), f(s.computer.outcome[k] ?? 0)];
  });
}

export function termsText(n: NegotiationSummary, terms: Readonly<Record<string, number>> | null): string {
  if (terms === null) return 'no agreement';
  return n.issues.map((i) => `${i.name} ${num(terms[i.name] ?? 0)}`).join(', ');
}

const endText = (n: NegotiationSummary): string =>
  n.reason === 'agreement' ? `agreement at offer ${n.steps + 1} of ${n.deadline}` : n.reason === 'walkaway' ? `walk-away after ${n.steps} offer${n.steps === 1 ? '' : 's'}` : `no agreement by the deadline (${n.deadline} offers)`;

function negotiationLines(n: NegotiationSummary, who: 'you' | 'the computer'): string[] {
  const u = (p: Point | null): string => (p === null ? 'n/a' : usd(p[0] * n.scale[0]));
  return [
    `- ${escapeMd(n.label)} with ${escapeMd(n.counterpart)} (${escapeMd(n.strategies.counterpart)}): ${endText(n)}; terms: ${escapeMd(termsText(n, n.terms))}`,
    `  - value to ${who === 'you' ? 'you' : 'the seat'}: ${u(n.utility)} (discounted: ${u(n.payoff)}); walk-away ${u(n.reservation)}; Nash point ${u(n.nash)}; Kalai-Smorodinsky ${u(n.ks)}`,
    `  - ${who === 'you' ? 'your' : 'its'} first ask was worth ${n.firstAsk === null ? 'n/a' : usd(n.firstAsk * n.scale[0])} to the seat${n.biggestConcession ? `; ${who === 'you' ? 'your' : 'its'} biggest concession (${usd(n.biggestConcession.drop * n.scale[0])}) came at offer ${n.biggestConcession.step + 1}` : ''}`,
  ];
}

export function debriefMarkdown(d: Debrief): string {
  const out: string[] = [`# Debrief: ${escapeMd(d.exercise.title)}`, '', `Exercise \`${escapeMd(d.exercise.id)}\`, level ${escapeMd(d.exercise.level)}, seed ${d.seed}.`, ''];
  for (const s of d.seats) {
    out.push(`## ${escapeMd(s.name)} (${escapeMd(s.seat)}), played by ${escapeMd(s.player)}`, '');
    out.push(
      `Your negotiations were worth **${usd(s.student.totalUsd)}** to you (discounted payoffs, summed). The computer agent in your seat ` +
        `(${escapeMd(s.computer.strategy)}), with the same seed, got **${usd(s.computer.totalUsd)}**. Undiscounted, your outcomes were worth ${usd(s.student.utilityUsd)}; ` +
        `at the Nash points of your negotiations you would have had ${usd(s.nashUsd)}, at the Kalai-Smorodinsky points ${usd(s.ksUsd)} (also undiscounted).`,
      '',
      '| outcome | you | computer |',
      '| --- | ---: | ---: |',
      ...outcomeRows(s).map(([a, b, c]) => `| ${a} | ${b} | ${c} |`),
      '',
      '### Your negotiations',
      '',
      ...(s.student.negotiations.length ? s.student.negotiations.flatMap((n) => negotiationLines(n, 'you')) : ['- none: your seat had nothing to negotiate in this run']),
      '',
      "### The computer agent's negotiations",
      '',
      ...(s.computer.negotiations.length ? s.computer.negotiations.flatMap((n) => negotiationLines(n, 'the computer')) : ['- none']),
      '',
    );
  }
  out.push('## Learning objectives', '', ...d.objectives.map((o) => `- ${escapeMd(o)}`), '', '## Discussion questions', '', ...d.questions.map((q, i) => `${i + 1}. ${escapeMd(q)}`), '');
  return out.join('\n');
}

/** The seat's utility plane: frontier, offers (yours and theirs), agreement, Nash, KS, walk-away point. */
export function planeSvg(n: NegotiationSummary, size = 280): string {
  const pts: Point[] = [...n.frontier, n.reservation, ...n.offers.map((o) => o.utility), ...(n.nash ? [n.nash] : []), ...(n.ks ? [n.ks] : [])];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(0, ...xs), Math.max(...xs), Math.min(0, ...ys), Math.max(...ys)];
  const pad = 30;
  const sx = (x: number): number => pad + ((x - x0) / (x1 - x0 || 1)) * (size - 2 * pad);
  const sy = (y: number): number => size - pad - ((y - y0) / (y1 - y0 || 1)) * (size - 2 * pad);
  const c = (p: Point): string => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`;
  const frontier = [...n.frontier].sort((a, b) => a[0] - b[0]);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="utility plane">`,
    `<rect x="0" y="0" width="${size}" height="${size}" fill="#fff" stroke="#ccc"/>`,
    `<text x="${size / 2}" y="${size - 6}" font-size="10" text-anchor="middle">value to you</text>`,
    `<text x="10" y="${size / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 10 ${size / 2})">value to them</text>`,
    frontier.length > 1 ? `<polyline fill="none" stroke="#999" stroke-width="1.5" points="${frontier.map(c).join(' ')}"/>` : '',
    ...n.offers.map((o) => `<circle cx="${sx(o.utility[0]).toFixed(1)}" cy="${sy(o.utility[1]).toFixed(1)}" r="3" fill="${o.mine ? '#1f77b4' : '#ff7f0e'}" opacity="0.7"/>`),
    `<rect x="${sx(n.reservation[0]) - 4}" y="${sy(n.reservation[1]) - 4}" width="8" height="8" fill="none" stroke="#000"><title>walk-away point</title></rect>`,
    n.nash ? `<rect x="${sx(n.nash[0]) - 5}" y="${sy(n.nash[1]) - 5}" width="10" height="10" fill="#2ca02c"><title>Nash</title></rect>` : '',
    n.ks ? `<polygon points="${sx(n.ks[0])},${sy(n.ks[1]) - 6} ${sx(n.ks[0]) - 6},${sy(n.ks[1]) + 5} ${sx(n.ks[0]) + 6},${sy(n.ks[1]) + 5}" fill="#9467bd"><title>Kalai-Smorodinsky</title></polygon>` : '',
    n.terms !== null ? `<circle cx="${sx(n.utility[0]).toFixed(1)}" cy="${sy(n.utility[1]).toFixed(1)}" r="7" fill="none" stroke="#d62728" stroke-width="2.5"><title>agreement</title></circle>` : '',
    '</svg>',
  ];
  return parts.filter(Boolean).join('');
}

const LEGEND =
  '<p class="legend"><span style="color:#1f77b4">&#9679;</span> your offers <span style="color:#ff7f0e">&#9679;</span> their offers ' +
  '<span style="color:#d62728">&#9711;</span> agreement <span style="color:#2ca02c">&#9632;</span> Nash <span style="color:#9467bd">&#9650;</span> Kalai-Smorodinsky &#9633; walk-away; grey line: Pareto frontier</p>';

export const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:.5rem 0}' +
  'td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;overflow-wrap:anywhere}td.n{text-align:right;white-space:nowrap}.legend{font-size:.85rem}.neg{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin:1rem 0}' +
  'svg{max-width:100%;height:auto}figure{margin:.5rem 0}figcaption{font-weight:600}' +
  // Printed (or saved as PDF): the full page width, no box split across pages.
  '@media print{body{max-width:none;margin:0;padding:0;font-size:11pt}.neg,figure,tr{break-inside:avoid}}';

export function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>\n${body}\n</body></html>\n`;
}

function negotiationHtml(n: NegotiationSummary): string {
  const u = (p: Point | null): string => (p === null ? 'n/a' : usd(p[0] * n.scale[0]));
  return (
    `<div class="neg">${planeSvg(n)}<div><h4>${escapeHtml(n.label)} with ${escapeHtml(n.counterpart)} (${escapeHtml(n.strategies.counterpart)})</h4>` +
    `<p>${escapeHtml(endText(n))}. Terms: ${escapeHtml(termsText(n, n.terms))}.</p>` +
    `<table><tr><th>value to the seat</th><th>USD bn</th></tr>` +
    [['outcome (undiscounted)', u(n.utility)], ['outcome (discounted)', u(n.payoff)], ['walk-away', u(n.reservation)], ['Nash point', u(n.nash)], ['Kalai-Smorodinsky point', u(n.ks)], ['first ask', n.firstAsk === null ? 'n/a' : usd(n.firstAsk * n.scale[0])]]
      .map(([a, b]) => `<tr><td>${a}</td><td class="n">${b}</td></tr>`)
      .join('') +
    `</table>${n.biggestConcession ? `<p>Biggest single concession: ${usd(n.biggestConcession.drop * n.scale[0])} at offer ${n.biggestConcession.step + 1}.</p>` : ''}</div></div>`
  );
}

export function debriefHtml(d: Debrief): string {
  const seats = d.seats.map((s) => {
    const rows = outcomeRows(s).map(([a, b, c]) => `<tr><td>${a}</td><td class="n">${b}</td><td class="n">${c}</td></tr>`).join('');
    return (
      `<h2>${escapeHtml(s.name)} (${escapeHtml(s.seat)}), played by ${escapeHtml(s.player)}</h2>` +
      `<p>Your negotiations were worth <b>${usd(s.student.totalUsd)}</b> to you (discounted payoffs, summed). The computer agent in your seat (${escapeHtml(s.computer.strategy)}), same seed: <b>${usd(s.computer.totalUsd)}</b>. ` +
      `Nash points of your negotiations: ${usd(s.nashUsd)}; Kalai-Smorodinsky: ${usd(s.ksUsd)}.</p>` +
      `<table><tr><th>outcome</th><th>you</th><th>computer</th></tr>${rows}</table>` +
      `<h3>Your negotiations</h3>${LEGEND}${s.student.negotiations.map(negotiationHtml).join('') || '<p>None.</p>'}` +
      `<h3>The computer agent's negotiations</h3>${s.computer.negotiations.map(negotiationHtml).join('') || '<p>None.</p>'}`
    );
  });
  const body =
    `<h1>Debrief: ${escapeHtml(d.exercise.title)}</h1><p>Exercise <code>${escapeHtml(d.exercise.id)}</code>, level ${escapeHtml(d.exercise.level)}, seed ${d.seed}.</p>` +
    seats.join('') +
    `<h2>Learning objectives</h2><ul>${d.objectives.map((o) => `<li>${escapeHtml(o)}</li>`).join('')}</ul>` +
    `<h2>Discussion questions</h2><ol>${d.questions.map((q) => `<li>${escapeHtml(q)}</li>`).join('')}</ol>`;
  return page(`Debrief: ${d.exercise.title}`, body);
}
