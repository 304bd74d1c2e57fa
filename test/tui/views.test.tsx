/**
 * The replay as a user sees it, through ink-testing-library: a wrapper sets the terminal size and every
 * wait is on a condition of the frame (vi.waitFor), never a sleep. One test per view and per footer key.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ReplayableArtifact } from '../../src/core/events.js';
import { exitCode, Replay } from '../../src/tui/app.js';
import { initFor, replayData } from '../../src/tui/data.js';
import type { ReplayState } from '../../src/tui/state.js';
import { bargainingArtifact, calibratedArtifact, chipsArtifact, comparisonArtifact } from './fixtures.js';
import { pBeats } from '../../src/tui/views/compare.js';

const KEYS = { right: '\u001B[C', left: '\u001B[D', up: '\u001B[A', down: '\u001B[B', home: '\u001B[H', end: '\u001B[F', tab: '\t', enter: '\r', esc: '\u001B', ctrlC: '\u0003' };

function mount(artifact: ReplayableArtifact, size = { columns: 100, rows: 30 }, colour = false) {
  const data = replayData(artifact);
  let state: ReplayState | undefined;
  const props = { data, init: initFor(data), colour, onState: (s: ReplayState) => (state = s) };
  const app = render(<Replay {...props} size={size} />);
  const frame = (): string => app.lastFrame() ?? '';
  return {
    frame,
    state: () => state,
    /** Type keys one at a time, each after the previous one has been applied. */
    async press(...keys: string[]) {
      for (const k of keys) {
        const before = state;
        app.stdin.write(k);
        await vi.waitFor(() => expect(state).not.toBe(before), { timeout: 2000, interval: 5 });
      }
    },
    async until(pred: (f: string) => boolean) {
      await vi.waitFor(() => expect(pred(frame())).toBe(true), { timeout: 3000, interval: 5 });
    },
    resize(columns: number, rows: number) {
      app.rerender(<Replay {...props} size={{ columns, rows }} />);
    },
  };
}

const lines = (f: string): string[] => f.split('\n');

afterEach(() => cleanup());

describe('views', async () => {
  const chips = await chipsArtifact('tiered-2025');
  const bilateral = await chipsArtifact('bilateral');

  it('round view: a row per country with status words, and the event feed', async () => {
    const r = mount(chips);
    await r.until((f) => f.includes('deal status'));
    const f = r.frame();
    for (const id of ['NTH', 'MID', 'FAR']) expect(f).toContain(id);
    expect(f).toMatch(/FAR\s+T3\s+.*denied/);
    expect(f).toContain('Events, round 1');
    expect(f).toMatch(/Round 1 \(2025Q1\) opens with/);
    expect(lines(f)).toHaveLength(29);
  });

  it('negotiation view: offers with both utilities and the utility plane', async () => {
    const r = mount(bilateral);
    await r.until((f) => f.includes('Round'));
    await r.press(KEYS.tab);
    await r.until((f) => f.includes('negotiation of round'));
    const f = r.frame();
    expect(f).toMatch(/#\s+by\s+chips/);
    expect(f).toMatch(/agreement at offer \d+/);
    expect(f).toContain('* agreement');
    expect(f).toMatch(/\^/);
    expect(f).toMatch(/[N*]/);
  });

  it('report view: per-round sparklines and allocation bars', async () => {
    const r = mount(chips, { columns: 160, rows: 60 });
    await r.press(KEYS.tab, KEYS.tab, 'G');
    await r.until((f) => f.includes('Delivered by tier'));
    const f = r.frame();
    expect(f).toContain('Chips exported to importers');
    expect(f).toMatch(/[▁▂▃▄▅▆▇█]{4,}/);
    expect(f).toMatch(/Tier 1\s+█/);
    expect(f).toContain('Final outcome (all 8 rounds)');
  });

  it('report view on 80 columns: the country list gives way to the final outcome, or a line says how to see it', async () => {
    const artifact = await calibratedArtifact();
    const tall = mount(artifact, { columns: 80, rows: 90 });
    await tall.press(KEYS.tab, KEYS.tab, 'G');
    await tall.until((f) => f.includes('Delivered by tier'));
    expect(tall.frame()).toContain('Final outcome (all 12 rounds)');
    // Every final metric of the catalogue, the last one included.
    expect(tall.frame()).toContain('Country utility per negotiation (mean)');
    expect(tall.frame().split('\n').length).toBeLessThanOrEqual(90);
    cleanup();
    const small = mount(artifact, { columns: 80, rows: 24 });
    await small.press(KEYS.tab, KEYS.tab, 'G');
    await small.until((f) => f.includes('Delivered by tier'));
    expect(small.frame()).toContain('Final outcome: more in a taller terminal, at 140 columns, or with --no-tui.');
    expect(small.frame().split('\n').length).toBeLessThanOrEqual(24);
  });

  it('compare view: the selected regime minus the first, its interval and P(it beats the first)', async () => {
    const artifact = await comparisonArtifact();
    const r = mount(artifact, { columns: 220, rows: 40 });
    await r.until((f) => f.includes('Compare'));
    expect(r.frame()).toContain('P(b beats), bilateral - tiered-2025');
    const want = pBeats(artifact, 'tiered-2025', 'bilateral', 'leakage');
    expect(want).not.toBeNull();
    expect(r.frame()).toMatch(new RegExp(`Compute diverted to adversaries.* ${Math.round(100 * (want ?? 0))}% -?[\\d,.]+ \\[`));
    await r.press('r', 'r');
    await r.until((f) => f.includes('P(b beats), open - tiered-2025'));
  });

  it('compare view: the regimes side by side, and r switches the example run', async () => {
    const r = mount(await comparisonArtifact(), { columns: 120, rows: 36 });
    await r.until((f) => f.includes('Compare'));
    expect(r.frame()).toMatch(/tiered-2025\s+bilateral\s+open/);
    expect(r.frame()).toContain('Compute diverted to adversaries');
    await r.press('r', KEYS.tab, KEYS.tab);
    await r.until((f) => f.includes('run: bilateral'));
    expect(r.frame()).toContain('deal status');
  });

  it('who gains view: per country, the paired change in chips from the first arm to the one r selects, with a verdict in words', async () => {
    const r = mount(await comparisonArtifact(), { columns: 120, rows: 36 });
    await r.press(KEYS.tab);
    await r.until((f) => f.includes('Who gains'));
    expect(r.frame()).toContain('a = tiered-2025');
    expect(r.frame()).toContain('b = bilateral (r: next arm)');
    expect(r.frame()).toMatch(/country\s+tier\s+chips \(a\)\s+chips \(b\)\s+b - a \[95% interval\]/);
    // Every country of the toy world has a row, with one of the verdict words.
    for (const id of ['NTH', 'MID', 'FAR']) expect(r.frame()).toMatch(new RegExp(`${id}\\s.*\\b(gains|loses|no change|unclear)\\b`));
    // r selects the arm the per-run views show; here the arm set against the first (the first itself: the second).
    await r.press('r', 'r');
    await r.until((f) => f.includes('b = open'));
    // 80 columns: the bar and the least important columns go first; the verdict stays.
    r.resize(80, 30);
    await r.until((f) => !f.includes('loses | gains'));
    expect(Math.max(...lines(r.frame()).map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(r.frame()).toMatch(/verdict/);
  });

  it('bargaining: the negotiation view steps through the offers', async () => {
    const r = mount(await bargainingArtifact());
    await r.until((f) => f.includes('offer 0 of') && f.includes('in progress'));
    await r.press('l');
    await r.until((f) => f.includes('offer 1 of'));
    await r.press('G');
    await r.until((f) => /agreement at offer \d+/.test(f) && f.includes('*'));
    // One negotiation has offers, not rounds or countries: the footer and help say so.
    expect(r.frame()).not.toMatch(/go to round|country/);
    await r.press('?');
    await r.until((f) => f.includes('step forward one offer'));
    expect(r.frame()).not.toMatch(/go to round|select the previous/);
  });

  it('help overlay lists every key', async () => {
    const r = mount(chips);
    await r.press('?');
    await r.until((f) => f.includes('Keys'));
    for (const k of ['space', 'g, Home', 'G, End', '+ / -', 'tab, shift-tab', 'q']) expect(r.frame()).toContain(k);
    await r.press('?');
    await r.until((f) => f.includes('deal status'));
  });
});

describe('footer keys', async () => {
  const chips = await chipsArtifact('tiered-2025');
  const round = (f: string): number => Number(/round (\d+)\/\d+/.exec(f)?.[1]);

  it('space plays to the end and stops', async () => {
    const r = mount(chips);
    await r.press('+', '+', '+', ' ');
    await r.until((f) => f.includes('PLAY'));
    await r.until((f) => f.includes('PAUSE') && round(f) === 8);
  });

  it('right / l step forward, left / h step back, and forward then back gives the same screen', async () => {
    const r = mount(chips);
    await r.until((f) => round(f) === 1);
    const start = r.frame();
    await r.press('l');
    await r.until((f) => round(f) === 2);
    await r.press(KEYS.right);
    await r.until((f) => round(f) === 3);
    const third = r.frame();
    await r.press(KEYS.left, 'h');
    await r.until((f) => round(f) === 1);
    expect(r.frame()).toBe(start);
    await r.press('l', 'l');
    expect(r.frame()).toBe(third);
  });

  it('g / Home and G / End go to the first and last round', async () => {
    const r = mount(chips);
    await r.press('G');
    await r.until((f) => round(f) === 8);
    await r.press('g');
    await r.until((f) => round(f) === 1);
    await r.press(KEYS.end);
    await r.until((f) => round(f) === 8);
    await r.press(KEYS.home);
    await r.until((f) => round(f) === 1);
  });

  it('+ and - change the speed', async () => {
    const r = mount(chips);
    await r.until((f) => f.includes('8/s'));
    await r.press('+');
    await r.until((f) => f.includes('15/s'));
    await r.press('-', '-');
    await r.until((f) => f.includes('4/s'));
  });

  it(': goes to a typed round', async () => {
    const r = mount(chips);
    await r.press(':');
    await r.until((f) => f.includes('Go to round (1-8):'));
    await r.press('6', KEYS.enter);
    await r.until((f) => round(f) === 6);
  });

  it('up / down select a country', async () => {
    const r = mount(chips);
    await r.press(KEYS.home);
    await r.until((f) => f.includes('country MID'));
    await r.press(KEYS.down);
    await r.until((f) => f.includes('country NTH') && /> NTH/.test(f));
    await r.press(KEYS.up, KEYS.up);
    await r.until((f) => f.includes('country FAR') && /> FAR/.test(f));
  });

  it('/ searches a country by name', async () => {
    const r = mount(chips);
    await r.press('/');
    await r.until((f) => f.includes('Search country:'));
    await r.press('f', 'a', 'r', KEYS.enter);
    await r.until((f) => f.includes('country FAR') && !f.includes('Search country:'));
  });

  it('tab switches views', async () => {
    const r = mount(chips);
    await r.press(KEYS.tab);
    await r.until((f) => f.includes('has not negotiated') || f.includes('negotiation of round'));
    await r.press(KEYS.tab);
    await r.until((f) => f.includes('Per round'));
    await r.press(KEYS.tab);
    await r.until((f) => f.includes('deal status'));
  });

  it('q quits with exit code 0 and Ctrl-C with 130', async () => {
    const a = mount(chips);
    await a.press('q');
    expect(a.state()?.exit).toBe('quit');
    expect(exitCode(a.state()?.exit ?? null)).toBe(0);
    const b = mount(chips);
    await b.press(KEYS.ctrlC);
    expect(exitCode(b.state()?.exit ?? null)).toBe(130);
  });
});

describe('colour', async () => {
  const chips = await chipsArtifact('tiered-2025');

  it('marks deal green and denied red, and has no escape codes at all without colour (NO_COLOR)', async () => {
    const on = mount(chips, { columns: 100, rows: 30 }, true);
    await on.until((f) => f.includes('deal status'));
    expect(on.frame()).toContain('\u001b[31mdenied');
    const deals = mount(await chipsArtifact('bilateral'), { columns: 100, rows: 30 }, true);
    await deals.until((f) => f.includes('deal status'));
    expect(deals.frame()).toContain('\u001b[32mDEAL');
    const off = mount(chips);
    await off.until((f) => f.includes('deal status'));
    expect(off.frame()).not.toContain('\u001b[');
    expect(off.frame()).toMatch(/FAR\s+T3\s+denied/);
  });
});

describe('terminal sizes', async () => {
  const chips = await chipsArtifact('bilateral');

  it('every line fits the width and the frame the height, from 80x24 to 200x60 and after resizes', async () => {
    const r = mount(chips, { columns: 80, rows: 24 });
    for (const view of [0, 1, 2]) {
      for (const [w, h] of [
        [80, 24],
        [120, 40],
        [160, 48],
        [200, 60],
        [90, 26],
      ] as const) {
        r.resize(w, h);
        await r.until((f) => lines(f).length === h - 1);
        for (const l of lines(r.frame())) expect(l.length).toBeLessThanOrEqual(w);
      }
      if (view < 2) await r.press(KEYS.tab);
    }
  });
});
