/** The frame around a view: the header (what is replayed, where the cursor is), the footer keys, the help. */
import type { ReplayData } from '../data.js';
import { runModel } from '../data.js';
import { FOOTER_KEYS, fit, footerLines } from '../layout.js';
import { SPEEDS, type ReplayState, type View } from '../state.js';
import { seg, type Line } from './lines.js';

const VIEW_NAMES: Readonly<Record<View, string>> = { round: 'Round', negotiation: 'Negotiation', report: 'Report', compare: 'Compare', gains: 'Who gains' };

export function headerLines(data: ReplayData, s: ReplayState, width: number): Line[] {
  const a = data.kind === 'chips' ? data.model.result : data.kind === 'bargaining' ? data.model.result : data.result;
  const title = a.scenario.title || a.scenario.id;
  const model = runModel(data, s.regime);
  const rd = model?.rounds[s.cursor];
  const where =
    data.kind === 'bargaining' ? `offer ${s.cursor}/${s.frames - 1}` : `round ${s.cursor + 1}/${s.frames}${rd ? ` ${rd.label}` : ''}`;
  const run =
    data.kind === 'chips'
      ? `regime ${data.model.result.regime}, seed ${data.model.result.seed}`
      : data.kind === 'comparison'
        ? `run: ${data.result.regimes[s.regime] ?? ''} (r: next of ${data.result.regimes.length})`
        : `seed ${data.model.result.seed}`;
  const play = s.playing ? seg(' PLAY ', 'good', { inverse: true, bold: true }) : seg(' PAUSE ', 'muted', { inverse: true });
  const sel = s.entities[s.selected];
  // Narrow terminals show only the current view's tab (numbered); tab cycles through the others.
  const narrow = width < 100;
  const tabs = narrow
    ? [seg(` ${VIEW_NAMES[s.view]} ${s.views.indexOf(s.view) + 1}/${s.views.length} `, 'accent', { inverse: true, bold: true }), seg(' ')]
    : s.views.flatMap((v) => [seg(` ${VIEW_NAMES[v]} `, v === s.view ? 'accent' : 'muted', v === s.view ? { inverse: true, bold: true } : {}), seg(' ')]);
  const info = `${where}  ${SPEEDS[s.speed] ?? 1}/s${sel && data.kind !== 'bargaining' ? `  country ${sel.id}` : ''}`;
  return [
    [seg(fit(title, Math.max(10, width - run.length - 2)), 'plain', { bold: true }), seg(`  ${run}`, 'muted')],
    [...tabs, play, seg(`  ${info}`)],
  ];
}

/** What one step of the replay moves by: a round of a chips run, or an offer of a single negotiation. */
export type StepUnit = 'round' | 'offer';

/** Keys that only mean something with rounds and several countries: not offered when replaying one negotiation. */
const ROUND_ONLY = new Set([':', '↑/↓', '/']);

export function footer(s: ReplayState, width: number, unit: StepUnit = 'round'): Line[] {
  if (s.input) {
    const prompt = s.input.kind === 'goto' ? `Go to round (1-${s.frames}): ` : 'Search country: ';
    return [[seg(prompt, 'accent', { bold: true }), seg(`${s.input.text}_`), seg('   enter ok, esc cancel', 'muted')]];
  }
  const keys = FOOTER_KEYS.filter((k) => (s.regimes > 1 || k.keys !== 'r') && (unit === 'round' || !ROUND_ONLY.has(k.keys)));
  const lines: Line[] = footerLines(keys, width).map((l) => [seg(l, 'muted')]);
  if (s.note) lines.unshift([seg(s.note, 'warn')]);
  return lines;
}

export function helpLines(s: ReplayState, unit: StepUnit = 'round'): Line[] {
  const rounds = unit === 'round';
  const rows: [string, string][] = [
    ['space', 'play / pause (plays from the start when at the end)'],
    ['right, l', `step forward one ${unit}`],
    ['left, h', `step back one ${unit}`],
    ['g, Home', `go to the first ${unit}`],
    ['G, End', `go to the last ${unit}`],
    ['+ / -', `faster / slower (${SPEEDS.join(', ')} ${unit}s a second)`],
    ...(rounds
      ? ([
          [':', 'go to round N (type the number, then enter)'],
          ['up/down, k/j', 'select the previous / next country'],
          ['/', 'search a country by code or name (enter to keep, esc to cancel)'],
        ] as [string, string][])
      : []),
    ['tab, shift-tab', 'next / previous view'],
    ...(s.regimes > 1 ? ([['r', 'next arm (regime or scenario): its example run, and in Who gains the arm compared with the first']] as [string, string][]) : []),
    ['?', 'this help (? or esc closes it)'],
    ['q', 'quit (exit code 0); Ctrl-C quits with 130'],
  ];
  return [
    [seg('Keys', 'accent', { bold: true })],
    ...rows.map(([k, v]): Line => [seg(`  ${k.padEnd(16)}`, 'accent'), seg(v)]),
    [],
    [seg('Colours: green deal / delivered, red no deal / denied / leakage, yellow licences and rival sales.', 'muted')],
    [seg('Status words carry the same meaning without colour (NO_COLOR).', 'muted')],
  ];
}
