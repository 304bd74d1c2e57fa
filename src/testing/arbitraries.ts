/**
 * fast-check arbitraries for valid tradesim input: scenario documents (chips and bargaining), countries,
 * adversaries, regimes, strategies, offers and utility functions. Every value they produce is a plain
 * document (what a YAML file holds) that passes the schema, compiles and runs; size options bound the work.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import type { AdversarySchema, BargainingScenarioSchema, ChipsScenarioSchema, CountrySchema, IssueSchema, RegimeSchema, RuleSchema } from '../core/scenario/schema.js';
import { builtinRegimeNames } from '../sim/regimes/index.js';

export type ChipsDocument = z.input<typeof ChipsScenarioSchema>;
export type BargainingDocument = z.input<typeof BargainingScenarioSchema>;
export type CountryDocument = z.input<typeof CountrySchema>;
export type AdversaryDocument = z.input<typeof AdversarySchema>;
export type RegimeDocument = z.input<typeof RegimeSchema>;
export type IssueDocument = z.input<typeof IssueSchema>;
type RuleDocument = z.input<typeof RuleSchema>;

/** Strategies that work with private information; zeuthen also needs complete information. */
export const PRIVATE_STRATEGIES = ['boulware', 'linear', 'conceder', 'tit-for-tat', 'hardliner', 'random'] as const;
export const STRATEGIES = [...PRIVATE_STRATEGIES, 'zeuthen'] as const;

export interface ChipsSize {
  /** Countries per scenario (default 1 to 6). */
  readonly minCountries?: number;
  readonly maxCountries?: number;
  /** Rounds (default 1 to 12). */
  readonly maxRounds?: number;
  /** Adversaries (default 0 to 2). */
  readonly maxAdversaries?: number;
  /** Offers per negotiation (default up to 20). */
  readonly maxDeadline?: number;
  /** Built-in regime names to use; custom regimes are generated too unless `customRegimes` is false. */
  readonly regimes?: readonly string[];
  readonly customRegimes?: boolean;
}

export interface BargainingSize {
  /** Issues (default 1 to 3). */
  readonly maxIssues?: number;
  /** Offers before disagreement (default up to 60). */
  readonly maxDeadline?: number;
}

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A strategy reference, e.g. { name: 'boulware', params: {} }; `complete` allows zeuthen. */
export function strategy(opts: { complete?: boolean } = {}): fc.Arbitrary<{ name: string; params: Record<string, number> }> {
  const names = opts.complete === false ? PRIVATE_STRATEGIES : STRATEGIES;
  return fc.constantFrom(...names).map((name) => ({ name, params: {} }));
}

/** One importing country. */
export function country(id: string, opts: { complete?: boolean } = {}): fc.Arbitrary<CountryDocument> {
  return fc
    .record({
      tier: fc.constantFrom(1 as const, 2 as const, 3 as const),
      gdp: fc.integer({ min: 1, max: 30_000 }),
      demandPerRound: fc.integer({ min: 0, max: 200_000 }),
      valuePerH100e: fc.integer({ min: 5_000, max: 120_000 }),
      relations: unit,
      diversionRisk: fc.double({ min: 0, max: 0.5, noNaN: true }),
      enforcement: unit,
      patience: fc.double({ min: 0.5, max: 1, noNaN: true }),
      strategy: strategy(opts),
      maxTariff: fc.integer({ min: 0, max: 30 }),
      maxInvestment: fc.integer({ min: 0, max: 100 }),
      maxPurchases: fc.integer({ min: 0, max: 50 }),
      tariffValuePerPp: fc.double({ min: 0, max: 2, noNaN: true }),
      securityCost: fc.double({ min: 0, max: 5, noNaN: true }),
      rivalAccess: unit,
      consignees: fc.integer({ min: 0, max: 5 }),
      veuEligible: fc.boolean(),
      g2g: fc.boolean(),
    })
    .map((c) => ({
      id,
      name: `Country ${id}`,
      tier: c.tier,
      gdp: c.gdp,
      demandPerRound: c.demandPerRound,
      valuePerH100e: c.valuePerH100e,
      relations: c.relations,
      diversionRisk: c.diversionRisk,
      enforcement: c.enforcement,
      patience: c.patience,
      strategy: c.strategy,
      concessions: { maxTariff: c.maxTariff, maxInvestment: c.maxInvestment, maxPurchases: c.maxPurchases, tariffValuePerPp: c.tariffValuePerPp, securityCost: c.securityCost },
      rivalAccess: c.rivalAccess,
      consignees: c.consignees,
      veuEligible: c.veuEligible,
      g2g: c.g2g,
    }));
}

/** One adversary. */
export function adversary(id: string): fc.Arbitrary<AdversaryDocument> {
  return fc
    .record({
      domesticPerRound: fc.integer({ min: 0, max: 100_000 }),
      domesticGrowthPerRound: fc.double({ min: -0.2, max: 0.3, noNaN: true }),
      importDemandPerRound: fc.integer({ min: 0, max: 100_000 }),
      diversionShare: unit,
      valuePerH100e: fc.integer({ min: 0, max: 80_000 }),
      patience: fc.double({ min: 0.5, max: 1, noNaN: true }),
    })
    .map((a) => ({ id, name: `Adversary ${id}`, ...a }));
}

const RULE_EXPRESSIONS = ['enforcement >= 0.5', 'relations > 0.3 and tier < 3', 'gdp > 500 or g2g == 1', 'diversionRisk < 0.2'] as const;

function rule(): fc.Arbitrary<RuleDocument> {
  const cap = fc.record({ capTpp: fc.integer({ min: 0, max: 2_000_000_000 }), periodRounds: fc.integer({ min: 1, max: 12 }), g2gMultiplier: fc.constantFrom(1, 2) });
  return fc
    .record({
      market: fc.oneof(fc.constant('unlimited' as const), fc.constant('none' as const), cap),
      negotiate: fc.constantFrom('none' as const, 'demand' as const),
      eligible: fc.option(fc.constantFrom(...RULE_EXPRESSIONS), { nil: undefined }),
    })
    .map((r) => ({ market: r.market, negotiate: r.negotiate, ...(r.eligible !== undefined ? { eligible: r.eligible } : {}) }));
}

/** A regime: a built-in name, or (unless customRegimes is false) an inline regime with generated tier rules. */
export function regime(opts: { regimes?: readonly string[]; customRegimes?: boolean } = {}): fc.Arbitrary<string | RegimeDocument> {
  const names = opts.regimes ?? builtinRegimeNames();
  const named = fc.constantFrom(...names);
  if (opts.customRegimes === false) return named;
  const custom = fc.record({ tier1: rule(), tier2: rule(), tier3: rule() }).map((r): RegimeDocument => ({ id: 'custom', title: 'generated regime', ...r }));
  return fc.oneof({ arbitrary: named, weight: 3 }, { arbitrary: custom, weight: 1 });
}

/** Diversion shares of all adversaries must add up to at most 1: scale them to whole percentages summing to <= 99. */
function shareOut(list: readonly AdversaryDocument[]): AdversaryDocument[] {
  const pct = list.map((a) => Math.round(a.diversionShare * 99));
  const total = pct.reduce((x, y) => x + y, 0);
  return list.map((a, i) => ({ ...a, diversionShare: Math.floor(((pct[i] as number) * 99) / Math.max(99, total)) / 100 }));
}

/** A chips scenario document: exporter, 1-6 countries (ids unique), adversaries, maybe a rival, a regime. */
export function chipsScenario(size: ChipsSize = {}): fc.Arbitrary<ChipsDocument> {
  const minC = size.minCountries ?? 1;
  const maxC = Math.max(minC, size.maxCountries ?? 6);
  return fc
    .record({
      // Country ids are unique and never the exporter's (USA).
      ids: fc.uniqueArray(fc.stringMatching(/^[A-Z]{3}$/).filter((id) => id !== 'USA'), { minLength: minC, maxLength: maxC }),
      advCount: fc.integer({ min: 0, max: size.maxAdversaries ?? 2 }),
      rounds: fc.integer({ min: 1, max: size.maxRounds ?? 12 }),
      information: fc.constantFrom('complete' as const, 'private' as const),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    })
    .chain((shape) => {
      const complete = shape.information === 'complete';
      return fc.record({
        shape: fc.constant(shape),
        countries: fc.tuple(...shape.ids.map((id) => country(id, { complete }))),
        adversaries: fc.tuple(...Array.from({ length: shape.advCount }, (_, i) => adversary(`ADV${i}`))),
        exporter: fc.record({
          supplyPerRound: fc.integer({ min: 0, max: 400_000 }),
          supplyGrowthPerRound: fc.double({ min: -0.2, max: 0.3, noNaN: true }),
          price: fc.integer({ min: 1_000, max: 60_000 }),
          leakageCost: fc.integer({ min: 0, max: 300_000 }),
          patience: fc.double({ min: 0.5, max: 1, noNaN: true }),
          strategy: strategy({ complete }),
        }),
        rival: fc.option(fc.record({ capacityPerRound: fc.integer({ min: 0, max: 50_000 }), relationPenalty: fc.double({ min: 0, max: 0.3, noNaN: true }) }), { nil: undefined }),
        deadline: fc.integer({ min: 1, max: size.maxDeadline ?? 20 }),
        chipsGrid: fc.integer({ min: 2, max: 11 }),
        regime: regime(size),
      });
    })
    .map((w): ChipsDocument => ({
      kind: 'chips',
      id: 'generated',
      seed: w.shape.seed,
      rounds: w.shape.rounds,
      exporter: w.exporter,
      countries: [...w.countries],
      adversaries: shareOut(w.adversaries),
      ...(w.rival !== undefined ? { rival: w.rival } : {}),
      negotiation: { deadline: w.deadline, information: w.shape.information, grid: { chips: w.chipsGrid, tariff: 3, investment: 3, purchases: 3, security: 2 } },
      regime: w.regime,
    }));
}

/** Issues with distinct names (x0, x1, ...), discrete or continuous, min < max. */
export function issues(size: BargainingSize = {}): fc.Arbitrary<IssueDocument[]> {
  return fc.integer({ min: 1, max: size.maxIssues ?? 3 }).chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc
          .record({ min: fc.integer({ min: -100, max: 100 }), width: fc.integer({ min: 1, max: 100 }), steps: fc.option(fc.integer({ min: 2, max: 11 }), { nil: undefined }) })
          .map((x): IssueDocument => ({ name: `x${i}`, min: x.min, max: x.min + x.width, ...(x.steps !== undefined ? { steps: x.steps } : {}) })),
      ),
    ),
  );
}

/** An offer: one value per issue within its bounds (on its grid when discrete). */
export function offer(list: readonly IssueDocument[]): fc.Arbitrary<number[]> {
  return fc.tuple(
    ...list.map((i) =>
      i.steps !== undefined
        ? fc.integer({ min: 0, max: i.steps - 1 }).map((k) => i.min + ((i.max - i.min) * k) / ((i.steps as number) - 1))
        : fc.double({ min: i.min, max: i.max, noNaN: true }),
    ),
  );
}

const SHAPES = [(t: string) => t, (t: string) => `1 - ${t}`, (t: string) => `sqrt(${t})`, (t: string) => `${t}^2`, (t: string) => `1 - ${t}^2`] as const;

/**
 * A utility function over the issues as an expression: a weighted sum of shaped, normalised issue values,
 * finite everywhere in the issues' bounds (normalised values are clamped to 0-1 before sqrt and powers).
 */
export function utility(list: readonly IssueDocument[]): fc.Arbitrary<string> {
  return fc
    .tuple(...list.map(() => fc.record({ w: fc.integer({ min: 1, max: 9 }), shape: fc.integer({ min: 0, max: SHAPES.length - 1 }) })))
    .map((terms) =>
      terms
        .map((t, i) => {
          const is = list[i] as IssueDocument;
          const norm = `min(1, max(0, (${is.name} - (${is.min})) / ${is.max - is.min}))`;
          return `${t.w / 10} * ${(SHAPES[t.shape] as (x: string) => string)(norm)}`;
        })
        .join(' + '),
    );
}

/** A two-party bargaining scenario document. */
export function bargainingScenario(size: BargainingSize = {}): fc.Arbitrary<BargainingDocument> {
  return fc
    .record({ issues: issues(size), information: fc.constantFrom('complete' as const, 'private' as const) })
    .chain(({ issues: list, information }) => {
      const party = (name: string) =>
        fc.record({
          name: fc.constant(name),
          utility: utility(list),
          reservation: fc.double({ min: 0, max: 0.5, noNaN: true }).map(round2),
          discount: fc.double({ min: 0.5, max: 1, noNaN: true }).map((d) => Math.max(0.5, round2(d))),
          strategy: strategy({ complete: information === 'complete' }),
        });
      return fc.record({
        issues: fc.constant(list),
        parties: fc.tuple(party('A'), party('B')),
        protocol: fc.record({ deadline: fc.integer({ min: 1, max: size.maxDeadline ?? 60 }), firstProposer: fc.constantFrom(0, 1), information: fc.constant(information) }),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
      });
    })
    .map((b): BargainingDocument => {
      // The frontier grid has resolution^(continuous issues) points, at most 1,000,000: coarser with three.
      const continuous = b.issues.filter((i) => i.steps === undefined).length;
      return { kind: 'bargaining', id: 'generated', seed: b.seed, issues: b.issues, parties: b.parties, protocol: b.protocol, resolution: continuous >= 3 ? 41 : 101 };
    });
}

/** Either kind of scenario document. */
export function scenario(size: ChipsSize & BargainingSize = {}): fc.Arbitrary<ChipsDocument | BargainingDocument> {
  return fc.oneof(chipsScenario(size), bargainingScenario(size));
}
