/** Round view: the per-country table of the round at the cursor and the round's event feed in sentences. */
import { chooseColumns, compact, rowText, windowStart, wrapText, type Column } from '../layout.js';
import type { CountryRow, DealStatus, RoundModel } from '../model.js';
import { runModel } from '../data.js';
import type { ViewProps } from './common.js';
import { beside, Lines, seg, type Line, type Tone } from './lines.js';

type Key = 'sel' | 'id' | 'name' | 'tier' | 'route' | 'status' | 'asked' | 'offer' | 'conc' | 'del' | 'total' | 'rel';

const COLUMNS: readonly Column<Key>[] = [
  { key: 'sel', title: '', width: 1, align: 'left', priority: 0 },
  { key: 'id', title: 'ctry', width: 4, align: 'left', priority: 0 },
  { key: 'name', title: 'name', width: 16, align: 'left', priority: 7 },
  { key: 'tier', title: 'tier', width: 4, align: 'left', priority: 2 },
  { key: 'route', title: 'route', width: 9, align: 'left', priority: 6 },
  { key: 'status', title: 'deal status', width: 11, align: 'left', priority: 0 },
  { key: 'asked', title: 'demand', width: 7, align: 'right', priority: 4 },
  { key: 'offer', title: 'offer', width: 7, align: 'right', priority: 2 },
  { key: 'conc', title: 'conc $bn', width: 8, align: 'right', priority: 3 },
  { key: 'del', title: 'chips', width: 7, align: 'right', priority: 1 },
  { key: 'total', title: 'total', width: 7, align: 'right', priority: 1 },
  { key: 'rel', title: 'relations', width: 10, align: 'right', priority: 3 },
];

export const STATUS: Readonly<Record<DealStatus, { text: (r: CountryRow) => string; tone: Tone }>> = {
  deal: { text: () => 'DEAL', tone: 'good' },
  'in-deal': { text: (r) => `deal to R${r.untilRound ?? '?'}`, tone: 'accent' },
  'no-deal': { text: () => 'NO DEAL', tone: 'bad' },
  denied: { text: () => 'denied', tone: 'bad' },
  market: { text: () => 'market', tone: 'plain' },
  licensed: { text: () => 'licensed', tone: 'warn' },
  none: { text: () => '-', tone: 'muted' },
};

const TONE_OF_FEED = { good: 'good', bad: 'bad', warn: 'warn', info: 'plain' } as const;

/** Width the table wants at most; the feed goes beside it when the terminal is wide enough. */
const TABLE_MAX = 100;

export function roundLines({ data, state, width, height }: Omit<ViewProps, 'colour'>): Line[] {
  const model = runModel(data, state.regime);
  const rd: RoundModel | undefined = model?.rounds[state.cursor];
  if (!model || !rd) return [[seg('No rounds in this artifact.', 'muted')]];
  const wide = width >= 150;
  const tableWidth = wide ? TABLE_MAX : width;
  const cols = chooseColumns(COLUMNS, tableWidth);
  const names = new Map(model.entities.map((e) => [e.id, e.name]));
  const header: Line = [seg(rowText(cols, Object.fromEntries(COLUMNS.map((c) => [c.key, c.title])) as Record<Key, string>), 'muted', { bold: true })];
  const rowLine = (r: CountryRow, i: number): Line => {
    const sel = i === state.selected;
    const st = STATUS[r.status];
    const cells: Record<Key, string> = {
      sel: sel ? '>' : ' ',
      id: r.id,
      name: names.get(r.id) ?? r.id,
      tier: r.tier === null ? 'adv' : `T${r.tier}`,
      route: r.route ?? '-',
      status: st.text(r),
      asked: compact(r.requested),
      offer: r.offer === null ? '-' : compact(r.offer),
      conc: r.concessionsUsd ? r.concessionsUsd.toFixed(1) : '-',
      del: compact(r.delivered),
      total: compact(r.deliveredTotal),
      rel: r.relations === null ? '-' : `${r.relations.toFixed(2)} ${r.relationsDelta >= 0.005 ? '+' : r.relationsDelta <= -0.005 ? '-' : ' '}${Math.abs(r.relationsDelta).toFixed(2)}`,
    };
    // The status cell carries the colour (deal / no deal / denied); the rest of the row stays plain.
    return cols.flatMap((c, k) => {
      const text = rowText([c], cells) + (k < cols.length - 1 ? ' ' : '');
      const tone: Tone = c.key === 'status' ? st.tone : c.key === 'rel' && r.relationsDelta <= -0.005 ? 'bad' : 'plain';
      return [seg(text, tone, sel ? { inverse: true, bold: true } : {})];
    });
  };
  const feedWidth = wide ? width - tableWidth - 2 : width;
  const feed: Line[] = [[seg(`Events, round ${rd.round} (${rd.label})`, 'muted', { bold: true })]];
  const selId = model.entities[state.selected]?.id;
  for (const s of rd.feed) {
    wrapText(s.text, feedWidth, 4).forEach((t) => feed.push([seg(t, TONE_OF_FEED[s.tone], s.country !== null && s.country === selId ? { bold: true } : {})]));
  }
  const rowsFor = (n: number): Line[] => {
    const size = Math.max(0, n - 1);
    const start = windowStart(rd.rows.length, size, state.selected);
    const shown = rd.rows.slice(start, start + size).map((r, k) => rowLine(r, start + k));
    return [header, ...shown];
  };
  if (wide) return beside(rowsFor(height), tableWidth, feed.slice(0, height));
  // Stacked: the table takes what it needs up to all rows, leaving the feed at least 4 lines.
  const feedLines = Math.min(feed.length, Math.max(4, height - (rd.rows.length + 2)));
  const tableLines = Math.max(2, height - feedLines - 1);
  return [...rowsFor(tableLines), [seg('')], ...feed.slice(0, height - tableLines - 1)];
}

export function RoundView(p: ViewProps) {
  return <Lines lines={roundLines(p)} width={p.width} height={p.height} colour={p.colour} />;
}
