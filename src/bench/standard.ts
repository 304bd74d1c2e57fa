/**
 * The standard benchmark of issue 21 against the hand-written yardstick `raw-sao.mjs` (outside this
 * repository: ../shared/bench/raw-sao.mjs, or $TRADESIM_RAW_SAO). Domain: 3 issues x 10 values,
 * linear-additive utilities with random weights and value tables drawn from mulberry32(0) exactly as
 * raw-sao.mjs draws them, Boulware e = 0.2 on both sides, deadline 100.
 *
 * Modes, each measured like raw-sao.mjs measures itself (a fresh process, 2,000 untimed negotiations, then N
 * timed ones):
 * - `fixed`: the utilities are built once (raw-sao.mjs without --setup);
 * - `setup`: every negotiation draws its utilities afresh and builds a new issue list and space, so every
 *   per-utility cache misses (raw-sao.mjs --setup, and NegMAS's fresh session per negotiation), private
 *   information;
 * - `setup-complete`: the same under complete information (the Pareto-frontier path the world model uses).
 *
 * `benchStandard` runs the engine's modes and raw-sao.mjs's two modes as child processes, interleaved round by
 * round, and takes each ratio within a round, so a noisy neighbour slows both sides of a ratio alike.
 * Run alone: `npm run build && node dist/bench/standard.js [--rounds R]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { negotiate } from '../negotiation/mechanism.js';
import type { Issue, OutcomeSpace, UtilityFn } from '../negotiation/types.js';
import { boulware } from '../sim/strategies/boulware.js';
import { ratioText } from './sweep.js';

const ISSUES = 3;
const VALUES = 10;
const DEADLINE = 100;
const E = 0.2;
const WARMUP = 2000;

export type StandardMode = 'fixed' | 'setup' | 'setup-complete';
const MODES: readonly StandardMode[] = ['fixed', 'setup', 'setup-complete'];

/** raw-sao.mjs's generator, so both sides negotiate over the same utilities. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * raw-sao.mjs's makeUfun (the same draws, plain arrays like it) as a utility of the outcome's values (issue
 * values are 0..9); raw-sao sums w[i] / s * value in issue order, and so does this.
 */
function makeUtility(rng: () => number): UtilityFn {
  const w = Array.from({ length: ISSUES }, rng);
  const s = w.reduce((a, b) => a + b, 0);
  const vals = Array.from({ length: ISSUES }, () => Array.from({ length: VALUES }, rng));
  return (o) => {
    let acc = 0;
    for (let i = 0; i < ISSUES; i++) acc += ((w[i] as number) / s) * ((vals[i] as number[])[o[i] as number] as number);
    return acc;
  };
}

function makeSpace(): OutcomeSpace {
  const issues: Issue[] = Array.from({ length: ISSUES }, (_, k) => ({ name: `issue${k}`, unit: '', min: 0, max: VALUES - 1, steps: VALUES }));
  return { issues };
}

function noRandom(): number {
  throw new Error('the benchmark strategies are deterministic');
}
const RANDOMS = [noRandom, noRandom] as const;

/** One negotiation of `mode` at a time; returns the agreement step, or -1 without agreement. */
export function standardNegotiation(mode: StandardMode): () => number {
  const rng = mulberry32(0);
  const fixed = { space: makeSpace(), u0: makeUtility(rng), u1: makeUtility(rng) };
  const complete = mode === 'setup-complete';
  return () => {
    let { space, u0, u1 } = fixed;
    if (mode !== 'fixed') {
      const r = mulberry32(0);
      space = makeSpace();
      u0 = makeUtility(r);
      u1 = makeUtility(r);
    }
    const result = negotiate({
      space,
      parties: [
        { utility: u0, reservation: 0, discount: 1 },
        { utility: u1, reservation: 0, discount: 1 },
      ],
      negotiators: [boulware.create({ e: E }), boulware.create({ e: E })],
      deadline: DEADLINE,
      firstProposer: 0,
      completeInformation: complete,
      random: RANDOMS,
      record: false,
    });
    return result.agreement === null ? -1 : result.step;
  };
}

export interface Throughput {
  readonly negotiationsPerSec: number;
  readonly agreementRate: number;
  /** Offers made before agreement, as raw-sao.mjs counts them (the accepted offer's step + 1). */
  readonly meanSteps: number;
}

/** raw-sao.mjs's protocol: `warmup` (2,000) untimed negotiations, then `n` timed. */
export function measureStandard(mode: StandardMode, n: number, warmup = WARMUP): Throughput {
  const one = standardNegotiation(mode);
  for (let i = 0; i < warmup; i++) one();
  let agreed = 0;
  let steps = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const s = one();
    if (s >= 0) {
      agreed++;
      steps += s + 1;
    }
  }
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  return { negotiationsPerSec: n / sec, agreementRate: agreed / n, meanSteps: steps / Math.max(agreed, 1) };
}

// ---------------------------------------------------------------------------------------------------------

/** Where raw-sao.mjs is: $TRADESIM_RAW_SAO, else ../shared/bench/raw-sao.mjs beside this repository. */
export function rawSaoPath(): string {
  return process.env.TRADESIM_RAW_SAO ?? fileURLToPath(new URL('../../../shared/bench/raw-sao.mjs', import.meta.url));
}

function child(args: readonly string[]): Throughput {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const j = JSON.parse(line) as Partial<Throughput>;
  if (typeof j.negotiationsPerSec !== 'number') throw new Error(`unexpected output from ${args.join(' ')}: ${line}`);
  return { negotiationsPerSec: j.negotiationsPerSec, agreementRate: j.agreementRate ?? Number.NaN, meanSteps: j.meanSteps ?? Number.NaN };
}

const SELF = fileURLToPath(import.meta.url);

export interface StandardBenchOptions {
  readonly rounds?: number;
  /** Timed negotiations per process without and with set-up (raw-sao.mjs's own README: 200,000 and 5,000). */
  readonly nFixed?: number;
  readonly nSetup?: number;
}

export interface Ratio {
  readonly median: number;
  readonly range: readonly [number, number];
}

export interface StandardBenchResult {
  readonly rounds: number;
  /** Median negotiations/s per engine mode and per raw-sao.mjs mode. */
  readonly engine: Readonly<Record<StandardMode, Throughput>>;
  readonly raw: { readonly fixed: Throughput; readonly setup: Throughput };
  /** Engine over raw-sao.mjs, taken within each round: fixed over raw, set-up modes over raw --setup. */
  readonly ratios: Readonly<Record<StandardMode, Ratio>>;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function medianThroughput(xs: readonly Throughput[]): Throughput {
  return {
    negotiationsPerSec: median(xs.map((x) => x.negotiationsPerSec)),
    agreementRate: median(xs.map((x) => x.agreementRate)),
    meanSteps: median(xs.map((x) => x.meanSteps)),
  };
}

/**
 * Interleaved rounds of fresh processes: raw-sao.mjs, engine fixed, raw-sao.mjs --setup, engine set-up
 * (private, then complete information). Throws when raw-sao.mjs is missing.
 */
export function benchStandard(opts: StandardBenchOptions = {}): StandardBenchResult {
  const { rounds = 5, nFixed = 100_000, nSetup = 4_000 } = opts;
  const raw = rawSaoPath();
  if (!existsSync(raw)) throw new Error(`raw-sao.mjs not found at ${raw} (set TRADESIM_RAW_SAO)`);
  const runs = { rawFixed: [] as Throughput[], rawSetup: [] as Throughput[], fixed: [] as Throughput[], setup: [] as Throughput[], 'setup-complete': [] as Throughput[] };
  const ratios: Record<StandardMode, number[]> = { fixed: [], setup: [], 'setup-complete': [] };
  for (let r = 0; r < rounds; r++) {
    const rawFixed = child([raw, String(nFixed)]);
    const fixed = child([SELF, '--measure', 'fixed', String(nFixed)]);
    const rawSetup = child([raw, String(nSetup), '--setup']);
    const setup = child([SELF, '--measure', 'setup', String(nSetup)]);
    const setupComplete = child([SELF, '--measure', 'setup-complete', String(nSetup)]);
    runs.rawFixed.push(rawFixed);
    runs.rawSetup.push(rawSetup);
    runs.fixed.push(fixed);
    runs.setup.push(setup);
    runs['setup-complete'].push(setupComplete);
    ratios.fixed.push(fixed.negotiationsPerSec / rawFixed.negotiationsPerSec);
    ratios.setup.push(setup.negotiationsPerSec / rawSetup.negotiationsPerSec);
    ratios['setup-complete'].push(setupComplete.negotiationsPerSec / rawSetup.negotiationsPerSec);
  }
  const summary = (xs: readonly number[]): Ratio => ({ median: median(xs), range: [Math.min(...xs), Math.max(...xs)] });
  return {
    rounds,
    engine: { fixed: medianThroughput(runs.fixed), setup: medianThroughput(runs.setup), 'setup-complete': medianThroughput(runs['setup-complete']) },
    raw: { fixed: medianThroughput(runs.rawFixed), setup: medianThroughput(runs.rawSetup) },
    ratios: { fixed: summary(ratios.fixed), setup: summary(ratios.setup), 'setup-complete': summary(ratios['setup-complete']) },
  };
}

const perSec = (t: Throughput): string => `${t.negotiationsPerSec.toFixed(0)}/s`;
const ratio = (r: Ratio): string => ratioText(r.median, r.range);

/** The report's lines for `npm run bench`. */
export function standardLines(b: StandardBenchResult): string[] {
  return [
    `standard benchmark vs raw-sao.mjs (3 issues x 10 values, random linear-additive, Boulware e = 0.2 both sides, deadline 100; ${b.rounds} interleaved rounds of fresh processes, medians and ranges of the ratios within each round)`,
    `  without set-up:                         engine ${perSec(b.engine.fixed)}, raw-sao ${perSec(b.raw.fixed)}: ${ratio(b.ratios.fixed)}`,
    `  with set-up, private information:       engine ${perSec(b.engine.setup)}, raw-sao --setup ${perSec(b.raw.setup)}: ${ratio(b.ratios.setup)} (aim >= 3x)`,
    `  with set-up, complete information:      engine ${perSec(b.engine['setup-complete'])}, raw-sao --setup ${perSec(b.raw.setup)}: ${ratio(b.ratios['setup-complete'])}`,
    `  offers to agreement: engine ${b.engine.fixed.meanSteps.toFixed(1)} (complete information ${b.engine['setup-complete'].meanSteps.toFixed(1)}), raw-sao ${b.raw.fixed.meanSteps.toFixed(1)}`,
  ];
}

function main(argv: readonly string[]): void {
  const at = argv.indexOf('--measure');
  if (at >= 0) {
    const mode = argv[at + 1] as StandardMode;
    if (!MODES.includes(mode)) throw new Error(`--measure takes one of ${MODES.join(', ')}`);
    process.stdout.write(`${JSON.stringify(measureStandard(mode, Number(argv[at + 2] ?? 20_000)))}\n`);
    return;
  }
  const r = argv.indexOf('--rounds');
  const rounds = r >= 0 ? Number(argv[r + 1]) : 5;
  for (const line of standardLines(benchStandard({ rounds }))) process.stdout.write(`${line}\n`);
}

if (process.argv[1] === SELF) main(process.argv.slice(2));
