/**
 * Byte-identity pins of the negotiation engine: seeded results that no optimisation may change (issue 21).
 *
 * - The `kind: bargaining` teaching scenarios run through `runScenario`, as shipped and with a few `--set`
 *   variants (other strategies, complete information): the negotiation record and the theory block.
 * - Generated negotiations (own deterministic generator, so pins do not move with a fast-check release):
 *   every strategy, private and complete information, discrete and continuous issues, upper bounds, ties and
 *   -0 utilities, fresh utility closures per case; the whole result, plus the offer index's answers to
 *   queries strategies may not make, plus the discrete frontier and the Nash and Kalai-Smorodinsky points.
 *
 * Each value is serialised exactly (JSON keeps every double's shortest round-trip form; -0 is marked) and
 * hashed. The pins live in test/fixtures/pins/engine.json. When a change is MEANT to change results, rerun
 * with TRADESIM_UPDATE_PINS=1 to rewrite the file and say why in the commit; the chip scenarios are not
 * pinned here (the world model is being rewritten).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/core/rng.js';
import { loadScenarioFile } from '../../src/core/scenario/load.js';
import { spaceFrontier } from '../../src/negotiation/frontier.js';
import { negotiate } from '../../src/negotiation/mechanism.js';
import { offerIndex, type IndexedOffer } from '../../src/negotiation/offer-index.js';
import { bargainingSolutions } from '../../src/negotiation/solutions.js';
import type { Issue, NegotiationSetup, OutcomeSpace, Preferences, UtilityFn } from '../../src/negotiation/types.js';
import { getStrategy } from '../../src/sim/strategies/index.js';
import { runScenario } from '../../src/sim/run.js';

const PINS_FILE = fileURLToPath(new URL('../fixtures/pins/engine.json', import.meta.url));
const TEACHING = fileURLToPath(new URL('../../scenarios/teaching/', import.meta.url));
const UPDATE = process.env.TRADESIM_UPDATE_PINS === '1';

interface Pins {
  readonly scenarios: Record<string, string>;
  readonly generated: string[];
}

/** JSON with -0 kept apart from 0 (JSON.stringify writes both as 0). */
function exactJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (Object.is(v, -0) ? '-0' : v));
}

const hash = (value: unknown): string => createHash('sha256').update(exactJson(value)).digest('hex').slice(0, 16);

// ---------------------------------------------------------------------------------------------------------
// Teaching scenarios
// ---------------------------------------------------------------------------------------------------------

/** `--set` variants per scenario file, beside the file as shipped. */
const VARIANTS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  'anac-style.yaml': [
    ['parties[1].strategy=tit-for-tat'],
    ['parties[0].strategy=random', 'parties[1].strategy=linear'],
    ['parties[0].strategy=hardliner', 'parties[1].strategy=random'],
    ['protocol.information=complete'],
    ['protocol.information=complete', 'parties[0].strategy=zeuthen', 'parties[1].strategy=zeuthen'],
    ['protocol.information=complete', 'parties[0].strategy=equilibrium', 'parties[1].strategy=tit-for-tat'],
  ],
  'nash-demo.yaml': [['parties[0].utility=share^0.25'], ['parties[1].strategy=boulware'], ['protocol.information=private', 'parties[0].strategy=random', 'parties[1].strategy=conceder']],
  'split-the-pie.yaml': [['parties[0].discount=0.95'], ['protocol.deadline=5', 'parties[0].strategy=boulware', 'parties[1].strategy=linear'], ['protocol.information=private', 'parties[0].strategy=random', 'parties[1].strategy=tit-for-tat']],
};
const SEEDS = [1, 7, 2026];

async function scenarioPins(): Promise<Record<string, string>> {
  const files = readdirSync(TEACHING).filter((f) => /\.ya?ml$/.test(f)).sort();
  const out: Record<string, string> = {};
  for (const f of files) {
    for (const sets of [[], ...(VARIANTS[f] ?? [])]) {
      const { scenario } = await loadScenarioFile(`${TEACHING}${f}`, { sets });
      if (scenario.kind !== 'bargaining') continue;
      // Seeds matter only to the random strategy.
      for (const seed of sets.some((x) => x.endsWith('=random')) ? SEEDS : SEEDS.slice(0, 1)) {
        const r = runScenario(scenario, { seed });
        if (r.kind !== 'bargaining') throw new Error('expected a bargaining result');
        out[`${f} ${sets.join(' ')} seed ${seed}`.replace(/ {2}/g, ' ')] = hash({ negotiation: r.negotiation, theory: r.theory });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Generated negotiations
// ---------------------------------------------------------------------------------------------------------

/** mulberry32: a small seeded generator owned by this test. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generated cases: RANDOM_CASES from `generate`'s own draws, then standard-domain ones. */
const RANDOM_CASES = 120;
const GENERATED = RANDOM_CASES + 12;

const PRIVATE = ['boulware', 'linear', 'conceder', 'tit-for-tat', 'hardliner', 'random'] as const;
const COMPLETE = [...PRIVATE, 'zeuthen', 'equilibrium'] as const;

/** A negotiation to run: the setup's data, strategies by name. */
type Generated = Pick<NegotiationSetup, 'space' | 'parties' | 'deadline' | 'firstProposer'> & {
  readonly strategies: readonly [string, string];
  readonly complete: boolean;
};

function issues(rand: () => number, k: number): Issue[] {
  const continuousAllowed = rand() < 0.3;
  const dims = continuousAllowed ? 1 + Math.floor(rand() * 2) : 1 + Math.floor(rand() * 5);
  return Array.from({ length: dims }, (_, d) => {
    const min = rand() < 0.5 ? 0 : Math.round((rand() * 20 - 5) * 100) / 100;
    const max = min + (rand() < 0.2 ? 1 : Math.round(rand() * 50 * 100) / 100 + 0.5);
    const name = `i${k}_${d}`;
    if (continuousAllowed && (d === 0 || rand() < 0.5)) return { name, unit: '', min, max };
    return { name, unit: '', min, max, steps: 2 + Math.floor(rand() * (dims > 3 ? 5 : 9)) };
  });
}

/** A fresh utility closure of one of several shapes; some tie a lot, some are not monotone, one gives -0. */
function utility(rand: () => number, space: readonly Issue[]): UtilityFn {
  const dims = space.length;
  const w = Array.from({ length: dims }, () => rand());
  const sign = Array.from({ length: dims }, () => (rand() < 0.5 ? -1 : 1));
  const curve = Array.from({ length: dims }, () => rand() * 2 - 1);
  const offset = rand() < 0.3 ? rand() - 0.5 : 0;
  const scaled = (o: readonly number[], d: number): number => {
    const issue = space[d] as Issue;
    const v = ((o[d] ?? issue.min) - issue.min) / (issue.max - issue.min);
    return sign[d] === 1 ? v : 1 - v;
  };
  const shape = Math.floor(rand() * 5);
  switch (shape) {
    case 0: // linear-additive
      return (o) => {
        let u = offset;
        for (let d = 0; d < dims; d++) u += (w[d] as number) * scaled(o, d);
        return u;
      };
    case 1: // additive with a curved (not monotone) value function per issue
      return (o) => {
        let u = offset;
        for (let d = 0; d < dims; d++) {
          const v = scaled(o, d);
          u += (w[d] as number) * (v + 3 * (curve[d] as number) * v * (1 - v));
        }
        return u;
      };
    case 2: // quantised: many exact ties, which only the enumeration order breaks
      return (o) => {
        let u = 0;
        for (let d = 0; d < dims; d++) u += (w[d] as number) * scaled(o, d);
        return Math.round(u * 4) / 4;
      };
    case 3: // products and -0: negative zero where the first issue sits at its worst
      return (o) => {
        const first = scaled(o, 0);
        let u = -first;
        for (let d = 1; d < dims; d++) u -= (w[d] as number) * first * scaled(o, d);
        return first === 0 ? -0 : -u;
      };
    default: // nearly constant: one outlier at the top, the rest within a hair
      return (o) => {
        let u = 0;
        for (let d = 0; d < dims; d++) u += scaled(o, d);
        return u === dims ? 1 : u * 1e-9;
      };
  }
}

/**
 * The standard benchmark's domain (3 issues x 10 values, random value tables as in raw-sao.mjs), long
 * negotiations that walk far down each side's order, with and without bounds.
 */
function standardCase(k: number): Generated {
  const rand = generator(5_000 + k);
  const iss: Issue[] = Array.from({ length: 3 }, (_, d) => ({ name: `s${d}`, unit: '', min: 0, max: 9, steps: 10 }));
  const table = (): UtilityFn => {
    const w = Array.from({ length: 3 }, () => rand());
    const total = w.reduce((a, b) => a + b, 0);
    const values = Array.from({ length: 3 }, () => Array.from({ length: 10 }, () => rand()));
    return (o) => {
      let u = 0;
      for (let d = 0; d < 3; d++) u += ((w[d] as number) / total) * ((values[d] as number[])[o[d] ?? 0] as number);
      return u;
    };
  };
  const pairs = [['boulware', 'boulware'], ['linear', 'tit-for-tat'], ['conceder', 'random'], ['boulware', 'hardliner']] as const;
  const pair = pairs[k % pairs.length] as readonly [string, string];
  const space: OutcomeSpace = k % 3 === 2 ? { issues: iss, upperBounds: [7, 9, 4.5] } : { issues: iss };
  return {
    space,
    parties: [
      { utility: table(), reservation: 0, discount: 1 },
      { utility: table(), reservation: 0, discount: 1 },
    ],
    strategies: pair,
    complete: k % 2 === 1,
    deadline: 100,
    firstProposer: 0,
  };
}

function generate(k: number): Generated {
  if (k >= RANDOM_CASES) return standardCase(k - RANDOM_CASES);
  const rand = generator(1_000 + k);
  const iss = issues(rand, k);
  let upperBounds: number[] | undefined;
  if (rand() < 0.4) {
    upperBounds = iss.map((i) => (rand() < 0.4 ? i.max : i.min + (i.max - i.min) * (0.2 + 0.8 * rand())));
    if (rand() < 0.1) upperBounds[0] = iss[0] === undefined ? 0 : iss[0].min - 1; // nothing feasible
  }
  const space: OutcomeSpace = upperBounds === undefined ? { issues: iss } : { issues: iss, upperBounds };
  const opposed = rand() < 0.5;
  const u0 = utility(rand, iss);
  const u1base = utility(rand, iss);
  const u1: UtilityFn = opposed ? (o) => 1 - u0(o) : u1base;
  const party = (u: UtilityFn): Preferences => ({
    utility: u,
    reservation: rand() < 0.5 ? 0 : Math.round(rand() * 60) / 100,
    discount: rand() < 0.5 ? 1 : 0.9 + rand() * 0.09,
  });
  const complete = rand() < 0.5;
  const names = complete ? COMPLETE : PRIVATE;
  const pick = (): string => names[Math.floor(rand() * names.length)] as string;
  return {
    space,
    parties: [party(u0), party(u1)],
    strategies: [pick(), pick()],
    complete,
    deadline: 1 + Math.floor(rand() * 60),
    firstProposer: rand() < 0.5 ? 0 : 1,
  };
}

const offer = (o: IndexedOffer | undefined): unknown => (o === undefined ? null : [o.outcome, o.utility]);

/** Everything the engine answers about one generated case. */
function generatedRecord(k: number): unknown {
  const g = generate(k);
  const seed = `pin${k}`;
  const result = negotiate({
    space: g.space,
    parties: g.parties,
    negotiators: [getStrategy(g.strategies[0]).create({}), getStrategy(g.strategies[1]).create({})],
    deadline: g.deadline,
    firstProposer: g.firstProposer,
    completeInformation: g.complete,
    random: [stream(seed, 'p0'), stream(seed, 'p1')],
  });
  const queries = g.parties.map((p, party) => {
    const index = offerIndex(g.space, p.utility);
    const lo = index.worst?.utility ?? 0;
    const hi = index.best?.utility ?? 1;
    const draw = stream(seed, `sample${party}`);
    const answers: unknown[] = [];
    for (let j = 0; j <= 16; j++) {
      const t = lo - 0.1 + ((hi - lo + 0.2) * j) / 16;
      answers.push([offer(index.atLeast(t)), offer(index.closest(t)), offer(index.sampleAtLeast(t, draw))]);
    }
    for (const t of [lo, hi, Number.NaN, -Infinity, Infinity]) answers.push([offer(index.atLeast(t)), offer(index.closest(t))]);
    return { size: index.size, best: offer(index.best), worst: offer(index.worst), answers };
  });
  const frontier = spaceFrontier(g.space, [g.parties[0].utility, g.parties[1].utility]).points;
  const solutions = bargainingSolutions(g.space, g.parties);
  return { strategies: g.strategies, result, queries, frontier, nash: solutions.nash, ks: solutions.ks, utilitarian: solutions.utilitarian };
}

function generatedPins(): string[] {
  return Array.from({ length: GENERATED }, (_, k) => hash(generatedRecord(k)));
}

// ---------------------------------------------------------------------------------------------------------

describe('byte-identity pins of the engine (issue 21)', () => {
  const pinned = JSON.parse(readFileSync(PINS_FILE, 'utf8')) as Pins;

  it('the bargaining teaching scenarios give the pinned records', async () => {
    const now = await scenarioPins();
    if (UPDATE) writeFileSync(PINS_FILE, `${JSON.stringify({ ...pinned, scenarios: now }, null, 2)}\n`);
    else expect(now).toEqual(pinned.scenarios);
  });

  it('generated negotiations give the pinned results, index answers and frontiers', () => {
    const now = generatedPins();
    if (UPDATE) {
      const current = JSON.parse(readFileSync(PINS_FILE, 'utf8')) as Pins;
      writeFileSync(PINS_FILE, `${JSON.stringify({ ...current, generated: now }, null, 2)}\n`);
    } else expect(now).toEqual(pinned.generated);
  });

  it('the generated cases cover what they claim to', () => {
    const cases = Array.from({ length: GENERATED }, (_, k) => generate(k));
    const continuous = cases.filter((c) => c.space.issues.some((i) => i.steps === undefined));
    expect(continuous.filter((c) => c.space.issues.length === 1).length).toBeGreaterThan(3);
    expect(cases.filter((c) => c.space.upperBounds !== undefined).length).toBeGreaterThan(20);
    expect(cases.filter((c) => c.complete).length).toBeGreaterThan(30);
    expect(cases.filter((c) => !c.complete).length).toBeGreaterThan(30);
    const used = new Set(cases.flatMap((c) => c.strategies));
    for (const s of COMPLETE) expect(used.has(s)).toBe(true);
  });
});
