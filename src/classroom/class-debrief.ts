/**
 * The class debrief: several students' finished session files (`tradesim debrief results/*.json`) ->
 * the distribution of outcomes per exercise and seat, and who conceded what and when. Reads files only.
 */
import { InputError } from '../core/errors.js';
import type { Debrief, SeatDebrief } from './debrief.js';
import { usd } from './format.js';
import { escapeHtml, escapeMd, page, termsText } from './render.js';
import { SESSION_KIND } from './session.js';

export interface Entry {
  readonly file: string;
  readonly player: string;
  readonly level: string;
  readonly hash: string;
  readonly seat: SeatDebrief;
}

export interface ClassGroup {
  readonly exercise: string;
  readonly title: string;
  readonly seat: string;
  readonly name: string;
  readonly entries: readonly Entry[];
  readonly stats: { readonly n: number; readonly min: number; readonly median: number; readonly max: number; readonly mean: number };
  /** The computer agent's total and the Nash total for reference (from the first entry of each level). */
  readonly computer: readonly { readonly level: string; readonly totalUsd: number; readonly strategy: string }[];
  /** True when the students did not all play the same situation (level or seed differ). */
  readonly mixed: boolean;
  readonly questions: readonly string[];
}

/** Check that a parsed JSON value is a finished session with a debrief, else say what is wrong. */
export function readSessionDebrief(file: string, value: unknown): Debrief {
  const v = value as { kind?: unknown; finished?: unknown; debrief?: unknown } | null;
  if (v === null || typeof v !== 'object' || v.kind !== SESSION_KIND) {
    throw new InputError({ file, path: 'kind', message: 'not a classroom session file', expected: `"kind": "${SESSION_KIND}" (written by tradesim play)`, found: v === null || typeof v !== 'object' ? typeof value : JSON.stringify(v.kind ?? null) });
  }
  if (v.finished !== true) throw new InputError({ file, path: 'finished', message: 'this session is not finished: resume it with tradesim play --resume', expected: 'a finished session', found: String(v.finished) });
  const d = v.debrief as Partial<Debrief> | undefined;
  if (!d || typeof d !== 'object' || !Array.isArray(d.seats) || !d.exercise || typeof d.exercise.id !== 'string') {
    throw new InputError({ file, path: 'debrief', message: 'the finished session has no readable debrief', expected: 'a session file written by tradesim play' });
  }
  for (const [i, s] of d.seats.entries()) {
    const ok = s && typeof s.seat === 'string' && typeof s.student?.totalUsd === 'number' && Array.isArray(s.student.negotiations) && typeof s.computer?.totalUsd === 'number';
    if (!ok) throw new InputError({ file, path: `debrief.seats[${i}]`, message: 'malformed seat debrief', expected: 'a session file written by tradesim play' });
  }
  return d as Debrief;
}

/**
 * The student's undiscounted outcomes minus the Nash points': like with like (Nash utilities are undiscounted).
 * Session files written before utilityUsd existed give n/a rather than a discounted-vs-undiscounted gap.
 */
function vsNash(s: SeatDebrief): string {
  const u = (s.student as Partial<SeatDebrief['student']>).utilityUsd;
  return s.nashUsd === null || typeof u !== 'number' ? 'n/a' : usd(u - s.nashUsd);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function groupClass(files: readonly { file: string; debrief: Debrief }[]): ClassGroup[] {
  const groups = new Map<string, { title: string; name: string; exercise: string; seat: string; entries: Entry[]; questions: readonly string[] }>();
  for (const { file, debrief } of files) {
    for (const s of debrief.seats) {
      const key = `${debrief.exercise.id}\u0000${s.seat}`;
      let g = groups.get(key);
      if (!g) {
        g = { title: debrief.exercise.title, name: s.name, exercise: debrief.exercise.id, seat: s.seat, entries: [], questions: debrief.questions };
        groups.set(key, g);
      }
      g.entries.push({ file, player: s.player, level: debrief.exercise.level, hash: debrief.exercise.hash, seat: s });
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.exercise + a.seat < b.exercise + b.seat ? -1 : 1))
    .map((g) => {
      const totals = g.entries.map((e) => e.seat.student.totalUsd);
      const computer = [...new Map(g.entries.map((e) => [e.level, { level: e.level, totalUsd: e.seat.computer.totalUsd, strategy: e.seat.computer.strategy }])).values()];
      return {
        ...g,
        entries: [...g.entries].sort((a, b) => b.seat.student.totalUsd - a.seat.student.totalUsd),
        stats: { n: totals.length, min: Math.min(...totals), median: median(totals), max: Math.max(...totals), mean: totals.reduce((a, b) => a + b, 0) / totals.length },
        computer,
        mixed: new Set(g.entries.map((e) => e.hash)).size > 1,
      };
    });
}

/** Per student: first ask, final value, total conceded, the biggest concession and when; the agreed terms. */
export function concessionRows(g: ClassGroup): string[][] {
  return g.entries.flatMap((e) =>
    e.seat.student.negotiations.map((n) => {
      const s = n.scale[0];
      const first = n.firstAsk === null ? null : n.firstAsk * s;
      const final = n.utility[0] * s;
      return [
        e.player,
        n.label,
        first === null ? 'n/a' : usd(first),
        usd(final),
        first === null ? 'n/a' : usd(first - final),
        n.biggestConcession ? `${usd(n.biggestConcession.drop * s)} at offer ${n.biggestConcession.step + 1}` : 'none',
        n.reason === 'agreement' ? `offer ${n.steps + 1}/${n.deadline}` : n.reason,
        termsText(n, n.terms),
      ];
    }),
  );
}

const CONCESSION_HEAD = ['student', 'round', 'first ask', 'final', 'conceded', 'biggest step down in own offers', 'ended', 'terms'];

/** A text histogram line per student: a bar proportional to their value between the class min and max. */
function bar(x: number, lo: number, hi: number, width = 30): string {
  const k = hi > lo ? Math.round(((x - lo) / (hi - lo)) * width) : width;
  return '#'.repeat(Math.max(1, k));
}

/** Files left out of the debrief, and why (unfinished, the same session twice, not a session, refused). */
export interface LeftOut {
  readonly file: string;
  readonly why: string;
  readonly text: string;
}

export function classMarkdown(groups: readonly ClassGroup[], leftOut: readonly LeftOut[] = []): string {
  const out: string[] = ['# Class debrief', ''];
  if (groups.length === 0) out.push('No seats found in the files.', '');
  if (leftOut.length > 0) {
    out.push(`> ${leftOut.length} file${leftOut.length === 1 ? '' : 's'} left out of this debrief:`, '>');
    for (const x of leftOut) out.push(`> - \`${escapeMd(x.file)}\` (${escapeMd(x.why)}): ${escapeMd(x.text)}`);
    out.push('');
  }
  for (const g of groups) {
    const { stats } = g;
    out.push(`## ${escapeMd(g.title)}: ${escapeMd(g.name)} (${escapeMd(g.seat)})`, '');
    if (g.mixed) out.push('> Note: these students did not all play the same situation (different level or seed); compare with care.', '');
    out.push(
      `${stats.n} student${stats.n === 1 ? '' : 's'}. Value of their negotiations to the seat (discounted, USD bn): min ${usd(stats.min)}, median ${usd(stats.median)}, mean ${usd(stats.mean)}, max ${usd(stats.max)}.`,
      `Computer agent in the same seat: ${g.computer.map((c) => `${usd(c.totalUsd)} (${escapeMd(c.strategy)}, level ${escapeMd(c.level)})`).join('; ')}.`,
      '',
      '| student | level | value | vs computer | vs Nash (undiscounted) | chips / outcome | bar |',
      '| --- | --- | ---: | ---: | ---: | --- | --- |',
      ...g.entries.map((e) => {
        const s = e.seat;
        const headline = s.student.outcome.delivered !== undefined ? `${Math.round(s.student.outcome.delivered).toLocaleString('en-US')} H100e` : s.student.outcome.revenueUsd !== undefined ? `revenue ${usd(s.student.outcome.revenueUsd)}` : '';
        return `| ${escapeMd(e.player)} | ${escapeMd(e.level)} | ${usd(s.student.totalUsd)} | ${usd(s.student.totalUsd - s.computer.totalUsd)} | ${vsNash(s)} | ${headline} | \`${bar(s.student.totalUsd, stats.min, stats.max)}\` |`;
      }),
      '',
      '### Who conceded what, and when',
      '',
      `| ${CONCESSION_HEAD.join(' | ')} |`,
      `| ${CONCESSION_HEAD.map(() => '---').join(' | ')} |`,
      ...concessionRows(g).map((r) => `| ${r.map(escapeMd).join(' | ')} |`),
      '',
      '### Discussion questions',
      '',
      ...g.questions.map((q, i) => `${i + 1}. ${escapeMd(q)}`),
      '',
    );
  }
  return out.join('\n');
}

/**
 * A labelled dot plot (Cleveland): one row per student, named, best first, at the value of their negotiations
 * to the seat; the computer agent's value as a labelled dashed line; an axis in USD bn with ticks.
 */
function dotPlot(g: ClassGroup): string {
  const w = 640;
  const left = 130;
  const right = 24;
  const top = 34;
  const rowH = 18;
  const h = top + g.entries.length * rowH + 44;
  const values = [...g.entries.map((e) => e.seat.student.totalUsd), ...g.computer.map((c) => c.totalUsd)];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const x = (v: number): number => left + ((v - lo) / (hi - lo)) * (w - left - right);
  const bottom = top + g.entries.length * rowH;
  const ticks = [0, 1, 2, 3, 4].map((k) => lo + ((hi - lo) * k) / 4);
  const axis =
    `<line x1="${left}" x2="${w - right}" y1="${bottom}" y2="${bottom}" stroke="#999"/>` +
    ticks.map((t) => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top - 4}" y2="${bottom}" stroke="#eee"/><text x="${x(t).toFixed(1)}" y="${bottom + 14}" font-size="11" text-anchor="middle">${usd(t)}</text>`).join('') +
    `<text x="${(left + w - right) / 2}" y="${bottom + 32}" font-size="12" text-anchor="middle">Value of the student's negotiations to the seat (USD bn, discounted)</text>`;
  const rows = g.entries
    .map((e, i) => {
      const y = top + i * rowH + rowH / 2;
      const label = e.player.length > 18 ? `${e.player.slice(0, 17)}…` : e.player;
      return (
        `<text x="${left - 8}" y="${(y + 4).toFixed(1)}" font-size="12" text-anchor="end">${escapeHtml(label)}</text>` +
        `<line x1="${left}" x2="${x(e.seat.student.totalUsd).toFixed(1)}" y1="${y}" y2="${y}" stroke="#ddd"/>` +
        `<circle cx="${x(e.seat.student.totalUsd).toFixed(1)}" cy="${y}" r="5" fill="#0072B2"><title>${escapeHtml(e.player)}: ${usd(e.seat.student.totalUsd)}</title></circle>`
      );
    })
    .join('');
  const refs = g.computer
    .map(
      (c, i) =>
        `<line x1="${x(c.totalUsd).toFixed(1)}" x2="${x(c.totalUsd).toFixed(1)}" y1="${top - 6}" y2="${bottom}" stroke="#D55E00" stroke-dasharray="4 2"><title>computer (${escapeHtml(c.level)}): ${usd(c.totalUsd)}</title></line>` +
        `<text x="${x(c.totalUsd).toFixed(1)}" y="${top - 10 - i * 12}" font-size="11" text-anchor="middle" fill="#D55E00">computer (${escapeHtml(c.level)}) ${usd(c.totalUsd)}</text>`,
    )
    .join('');
  const title = `${g.name} (${g.seat}): each student's value against the computer agent's (USD bn)`;
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + (g.computer.length - 1) * 12}" viewBox="0 ${-(g.computer.length - 1) * 12} ${w} ${h + (g.computer.length - 1) * 12}" role="img" aria-label="distribution of outcomes"><title>${escapeHtml(title)}</title>${axis}${rows}${refs}</svg></figure>`;
}

export function classHtml(groups: readonly ClassGroup[], leftOut: readonly LeftOut[] = []): string {
  const body = groups
    .map((g) => {
      const { stats } = g;
      const rows = g.entries
        .map((e) => `<tr><td>${escapeHtml(e.player)}</td><td>${escapeHtml(e.level)}</td><td class="n">${usd(e.seat.student.totalUsd)}</td><td class="n">${usd(e.seat.student.totalUsd - e.seat.computer.totalUsd)}</td><td class="n">${vsNash(e.seat)}</td></tr>`)
        .join('');
      const conc = concessionRows(g).map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
      return (
        `<h2>${escapeHtml(g.title)}: ${escapeHtml(g.name)} (${escapeHtml(g.seat)})</h2>` +
        (g.mixed ? '<p><b>Note:</b> these students did not all play the same situation (different level or seed).</p>' : '') +
        `<p>${stats.n} students; value to the seat (discounted): min ${usd(stats.min)}, median ${usd(stats.median)}, max ${usd(stats.max)}. Dashed line: the computer agent in the same seat.</p>${dotPlot(g)}` +
        `<table><tr><th>student</th><th>level</th><th>value</th><th>vs computer</th><th>vs Nash (undiscounted)</th></tr>${rows}</table>` +
        `<h3>Who conceded what, and when</h3><table><tr>${CONCESSION_HEAD.map((c) => `<th>${c}</th>`).join('')}</tr>${conc}</table>` +
        `<h3>Discussion questions</h3><ol>${g.questions.map((q) => `<li>${escapeHtml(q)}</li>`).join('')}</ol>`
      );
    })
    .join('');
  const left =
    leftOut.length > 0
      ? `<section class="left-out"><p><b>${leftOut.length} file${leftOut.length === 1 ? '' : 's'} left out of this debrief:</b></p><ul>${leftOut.map((x) => `<li><code>${escapeHtml(x.file)}</code> (${escapeHtml(x.why)}): ${escapeHtml(x.text)}</li>`).join('')}</ul></section>`
      : '';
  return page('Class debrief', `<h1>Class debrief</h1>${left}${body || '<p>No seats found.</p>'}`);
}
