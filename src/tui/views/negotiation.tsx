/**
 * Negotiation view: for the selected country, the negotiation in force at the cursor (for a bargaining run,
 * the offers up to the cursor), as the list of offers with both sides' utilities, and the ASCII utility plane
 * with the Pareto frontier, the Nash and Kalai-Smorodinsky points, the offers and the agreement.
 */
import type { NegotiationRecord } from '../../core/events.js';
import { runModel } from '../data.js';
import { compact, fit, PLANE_GLYPH, utilityPlane, windowStart, type PlaneMark } from '../layout.js';
import type { ViewProps } from './common.js';
import { beside, Lines, seg, type Line, type Tone } from './lines.js';

const MARK_TONE: Readonly<Record<PlaneMark, Tone>> = {
  frontier: 'muted',
  offer0: 'info',
  offer1: 'warn',
  nash: 'accent',
  ks: 'accent',
  agreement: 'good',
  disagreement: 'bad',
};

const num = (x: number): string => (Math.abs(x) >= 1000 ? compact(x) : String(Number(x.toFixed(2))));

/** The negotiation to show and how many of its offers have happened at the cursor. */
function pick({ data, state }: Pick<ViewProps, 'data' | 'state'>): { title: string; rec: NegotiationRecord; shown: number; final: boolean } | string {
  if (data.kind === 'bargaining') {
    const rec = data.model.result.negotiation;
    const shown = Math.min(state.cursor, rec.offers.length);
    return { title: `${data.model.result.scenario.title || data.model.result.scenario.id}: offer ${shown} of ${rec.offers.length}`, rec, shown, final: shown >= rec.offers.length };
  }
  const model = runModel(data, state.regime);
  const en = model?.entities[state.selected];
  const rd = model?.rounds[state.cursor];
  if (!model || !en || !rd) return 'No country selected.';
  const n = model.negotiationAt(en.id, rd.round);
  if (!n) return `${en.id} (${en.name}) has not negotiated by round ${rd.round}: it buys on the market, is denied, or waits.`;
  return { title: `${en.id} (${en.name}), negotiation of round ${n.round}${n.round < rd.round ? ` (in force at round ${rd.round})` : ''}`, rec: n.record, shown: n.record.offers.length, final: true };
}

export function negotiationLines({ data, state, width, height }: Omit<ViewProps, 'colour'>): Line[] {
  const p = pick({ data, state });
  if (typeof p === 'string') return [[seg(p, 'muted')]];
  const { rec, shown, final } = p;
  const [a, b] = rec.parties;
  const outcome = (o: readonly number[]): string => rec.issues.map((iss, i) => `${iss.name} ${num(o[i] ?? 0)}`).join(', ');
  const end = !final
    ? [seg('in progress', 'warn')]
    : rec.agreement
      ? [seg(`agreement at offer ${rec.steps + 1}: `, 'good', { bold: true }), seg(outcome(rec.agreement.outcome))]
      : [seg(`no agreement (${rec.reason}) after ${rec.steps} offers`, 'bad', { bold: true })];
  const head: Line[] = [
    [seg(p.title, 'plain', { bold: true })],
    [seg(`${a} (${rec.strategies[0]}) vs ${b} (${rec.strategies[1]}), deadline ${rec.deadline}; `, 'muted'), ...end],
  ];
  const body = height - head.length - 1;
  const planeW = Math.max(20, Math.min(Math.floor(width * 0.45), 2 * body + 20));
  const listW = width - planeW - 2;
  const offers = rec.offers.slice(0, shown);
  const u = (x: number): string => x.toFixed(3).padStart(6);
  const chipsAt = Math.max(0, rec.issues.findIndex((i) => i.name === 'chips'));
  // Columns of the offer list: step, who, the chips (or first) issue, then as many other issues as fit.
  const others = rec.issues.map((_, i) => i).filter((i) => i !== chipsAt);
  const fixed = 4 + 1 + 4 + 1 + 7 + 2 * 7;
  const extra = others.slice(0, Math.max(0, Math.floor((listW - fixed) / 8)));
  const title: Line = [seg(`${'#'.padStart(4)} ${'by'.padEnd(4)} ${fit(rec.issues[chipsAt]?.name ?? '', 7, 'right')}${extra.map((i) => ` ${fit(rec.issues[i]?.name ?? '', 7, 'right')}`).join('')} ${fit(`u ${a}`, 6, 'right')} ${fit(`u ${b}`, 6, 'right')}`, 'muted', { bold: true })];
  const offerLine = (o: NegotiationRecord['offers'][number]): Line => {
    const who = o.by === 0 ? a : b;
    const text = `${String(o.step + 1).padStart(4)} ${fit(who, 4)} ${fit(num(o.outcome[chipsAt] ?? 0), 7, 'right')}${extra.map((i) => ` ${fit(num(o.outcome[i] ?? 0), 7, 'right')}`).join('')} ${u(o.utilities[0])} ${u(o.utilities[1])}`;
    const agreed = final && rec.agreement !== null && o.step === rec.steps;
    return [seg(text, agreed ? 'good' : o.by === 0 ? 'info' : 'warn', agreed ? { bold: true } : {})];
  };
  const room = body - 1;
  const start = offers.length > room ? windowStart(offers.length, room, offers.length - 1) : 0;
  const list: Line[] = [title, ...offers.slice(start, start + room).map(offerLine)];
  const plane = utilityPlane(
    {
      frontier: rec.frontier,
      offers: offers.map((o) => ({ by: o.by, utilities: o.utilities })),
      nash: rec.nash?.utilities ?? null,
      ks: rec.ks?.utilities ?? null,
      agreement: final ? (rec.agreement?.utilities ?? null) : null,
      disagreement: rec.reservations,
    },
    planeW,
    body,
  );
  const planeLines: Line[] = plane.lines.map((l, y) => {
    const row = plane.marks[y];
    if (!row) return [seg(l, 'muted')];
    // Colour by meaning: one segment per run of the same mark.
    const segs: { text: string; tone: Tone }[] = [{ text: l[0] ?? '', tone: 'muted' }];
    row.forEach((m, x) => {
      const tone: Tone = m ? MARK_TONE[m] : 'plain';
      const last = segs[segs.length - 1];
      if (last && last.tone === tone) last.text += l[x + 1] ?? ' ';
      else segs.push({ text: l[x + 1] ?? ' ', tone });
    });
    return segs.map((s) => seg(s.text, s.tone, s.tone === 'good' ? { bold: true } : {}));
  });
  const names: Readonly<Record<PlaneMark, string>> = { offer0: `${a} offer`, offer1: `${b} offer`, agreement: 'agreement', nash: 'Nash', ks: 'K-S', frontier: 'Pareto frontier', disagreement: 'no deal' };
  const items = (['offer0', 'offer1', 'agreement', 'nash', 'ks', 'frontier', 'disagreement'] as const).map((m) => seg(`${PLANE_GLYPH[m]} ${names[m]}  `, MARK_TONE[m]));
  const axes = seg(`x: u ${a}, y: u ${b}   `, 'muted');
  // The axes note goes first when the whole legend fits the width.
  const legend: Line = axes.text.length + items.reduce((n, i) => n + i.text.length, 0) <= width ? [axes, ...items] : items;
  return [...head, ...beside(list, listW, planeLines), legend];
}

export function NegotiationView(p: ViewProps) {
  return <Lines lines={negotiationLines(p)} width={p.width} height={p.height} colour={p.colour} />;
}
