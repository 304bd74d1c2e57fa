/** Debrief maths (student vs computer vs Nash/KS), escaping, and the class debrief over several files. */
import { describe, expect, it } from 'vitest';
import { classHtml, classMarkdown, groupClass, readSessionDebrief } from '../../src/classroom/class-debrief.js';
import { buildDebrief, computerRun, type Debrief } from '../../src/classroom/debrief.js';
import { debriefHtml, debriefMarkdown, escapeHtml, escapeMd } from '../../src/classroom/render.js';
import { sessionFile, type Session } from '../../src/classroom/session.js';
import { InputError } from '../../src/core/errors.js';
import { playOut, session, student } from './helpers.js';

async function debriefFor(patience: number, level?: string, players: Record<string, string> = {}): Promise<{ s: Session; d: Debrief }> {
  const base = await session('gulf-compute-deal', 'ARE', level !== undefined ? { level } : {});
  const { session: done, states } = playOut({ ...base, players }, (t) => student(t, patience));
  const last = states[states.length - 1];
  if (last?.status !== 'finished') throw new Error('not finished');
  return { s: done, d: buildDebrief(done, last.result) };
}

describe('debrief', () => {
  it('adds up the student\'s discounted payoffs in USD bn and compares them with the computer\'s run', async () => {
    const { s, d } = await debriefFor(5);
    const seat = d.seats[0];
    if (!seat) throw new Error('no seat');
    expect(seat.seat).toBe('ARE');
    const sum = seat.student.negotiations.reduce((a, n) => a + n.payoff[0] * n.scale[0], 0);
    expect(seat.student.totalUsd).toBeCloseTo(sum, 12);
    // Undiscounted, for the comparison with the (undiscounted) Nash and KS totals: never below the discounted sum.
    const undiscounted = seat.student.negotiations.reduce((a, n) => a + n.utility[0] * n.scale[0], 0);
    expect(seat.student.utilityUsd).toBeCloseTo(undiscounted, 12);
    expect(seat.student.utilityUsd).toBeGreaterThanOrEqual(seat.student.totalUsd - 1e-9);
    expect(seat.student.strategy).toBe('human');
    // The computer agent: the same exercise and seed with nobody at the keyboard.
    const comp = computerRun(s.ex);
    const neg = comp.rounds.flatMap((r) => r.events).find((e) => e.type === 'negotiation' && e.country === 'ARE');
    if (neg?.type !== 'negotiation') throw new Error('no computer negotiation');
    expect(seat.computer.strategy).toBe('conceder');
    expect(seat.computer.negotiations[0]?.payoff[0]).toBe(neg.payoffs[1]);
    expect(seat.computer.outcome.delivered).toBe(comp.countries.find((c) => c.id === 'ARE')?.delivered);
  });

  it('the Nash point has the largest Nash product of any individually rational agreement; offers orient to the seat', async () => {
    for (const patience of [1, 4, 9]) {
      const { d } = await debriefFor(patience);
      for (const n of d.seats[0]?.student.negotiations ?? []) {
        const [r0, r1] = n.reservation;
        if (n.nash === null) throw new Error('no Nash point');
        const product = (p: readonly [number, number]): number => (p[0] - r0) * (p[1] - r1);
        if (n.terms !== null && n.utility[0] >= r0 && n.utility[1] >= r1) expect(product(n.nash)).toBeGreaterThanOrEqual(product(n.utility) - 1e-12);
        // The seat's own offers, as the debrief reports them, are the country's (party 1) offers.
        const mine = n.offers.filter((o) => o.mine).map((o) => o.utility[0]);
        expect(n.firstAsk).toBe(mine[0] ?? null);
        let biggest = 0;
        for (let k = 1; k < mine.length; k++) biggest = Math.max(biggest, (mine[k - 1] ?? 0) - (mine[k] ?? 0));
        expect(n.biggestConcession?.drop ?? 0).toBeCloseTo(biggest, 15);
      }
    }
  });

  it('escapes untrusted text in Markdown and HTML', async () => {
    const { d } = await debriefFor(3, undefined, { ARE: '<img src=x onerror=alert(1)>|**Bob**' });
    const evil: Debrief = { ...d, exercise: { ...d.exercise, title: '<script>alert("x")</script>' }, questions: ['[link](javascript:alert(1))'] };
    const html = debriefHtml(evil);
    expect(html).not.toMatch(/<script>|<img/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<[^>]+\s(src|href)=|url\(|@import|<script/i); // self-contained: nothing fetched, no scripts
    expect(html).toMatch(/<svg /);
    const md = debriefMarkdown(evil);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\[link\\]');
    expect(md).toContain('\\|\\*\\*Bob\\*\\*');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeMd('a\nb|c')).toBe('a b\\|c');
  });
});

describe('class debrief', () => {
  it('groups three students by exercise and seat, with the distribution and who conceded what, when', async () => {
    const files = await Promise.all(
      [
        ['Ann', 2],
        ['Bo', 5],
        ['Cy', 9],
      ].map(async ([name, patience]) => {
        const { s, d } = await debriefFor(patience as number, undefined, { ARE: name as string });
        return { file: `${name as string}.json`, debrief: readSessionDebrief(`${name as string}.json`, JSON.parse(JSON.stringify(sessionFile(s, true, d)))) };
      }),
    );
    const groups = groupClass(files);
    expect(groups).toHaveLength(1);
    const g = groups[0];
    if (!g) throw new Error('no group');
    const totals = files.map((f) => f.debrief.seats[0]?.student.totalUsd ?? NaN).sort((a, b) => a - b);
    expect(g.stats).toMatchObject({ n: 3, min: totals[0], median: totals[1], max: totals[2] });
    expect(g.mixed).toBe(false);
    expect(g.entries.map((e) => e.seat.student.totalUsd)).toEqual([...totals].reverse());
    const md = classMarkdown(groups);
    for (const name of ['Ann', 'Bo', 'Cy']) expect(md).toContain(`| ${name} |`);
    expect(md).toMatch(/Who conceded what, and when/);
    expect(classHtml(groups)).toMatch(/<svg [^>]*aria-label="distribution of outcomes"/);
    // A student on another level is flagged: not the same situation.
    const { s, d } = await debriefFor(5, 'easy', { ARE: 'Di' });
    const mixed = groupClass([...files, { file: 'Di.json', debrief: d }]);
    expect(mixed[0]?.mixed).toBe(true);
    expect(s.ex.level).toBe('easy');
  });

  it('refuses files that are not finished sessions, saying which', () => {
    expect(() => readSessionDebrief('r.json', { kind: 'chips' })).toThrow(InputError);
    expect(() => readSessionDebrief('r.json', { kind: 'tradesim-classroom-session', finished: false })).toThrow(/not finished/);
    expect(() => readSessionDebrief('r.json', { kind: 'tradesim-classroom-session', finished: true, debrief: { exercise: { id: 'x' }, seats: [{}] } })).toThrow(/debrief\.seats\[0\]/);
  });
});
