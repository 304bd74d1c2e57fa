/**
 * The scenario format: one zod schema is the single source of truth for validation, defaults, units, the
 * published JSON Schema (schema/scenario.schema.json) and the reference (docs/scenarios.md).
 *
 * Every field carries `meta({ unit, description })`. Objects are strict: unknown keys are errors.
 */
import { z } from 'zod';

const MAX_EXPR = 500;

/** A mathjs expression, compiled once at load in the locked-down sandbox (src/core/expr.ts). */
export const Expression = z
  .string()
  .min(1)
  .max(MAX_EXPR)
  .meta({ unit: 'expression', description: `A mathjs expression (at most ${MAX_EXPR} characters), evaluated in a locked-down sandbox.` });

const num = (description: string, unit: string) => z.number().meta({ description, unit });
const frac = (description: string) => z.number().min(0).max(1).meta({ description, unit: 'fraction 0-1' });
/**
 * Largest value a non-negative input may take, by unit: far above any real figure (a chip at $1bn, 10^12 chips
 * a round, $10^7bn, 10^18 TPP), so that sums over countries and rounds stay finite in double precision and a
 * typo like 1e308 is refused at load, not an overflow in round 5.
 */
function ceiling(unit: string): number {
  if (unit.startsWith('USD per')) return 1e9;
  if (unit.startsWith('USD bn')) return 1e7;
  if (unit === 'TPP') return 1e18;
  if (unit.startsWith('chips') || unit.startsWith('H100e')) return 1e12;
  return 1e9;
}
const nonneg = (description: string, unit: string) => z.number().min(0).max(ceiling(unit)).meta({ description, unit });
const Id = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'a short identifier: a letter, then letters, digits, _ or -')
  .meta({ unit: 'identifier', description: 'Short identifier (e.g. an ISO 3166 alpha-3 code).' });

export const StrategyRef = z
  .strictObject({
    name: z.string().min(1).max(40).meta({ unit: 'strategy name', description: 'A strategy from `tradesim list`.' }),
    params: z
      .record(z.string().max(40), z.number())
      .default({})
      .meta({ unit: 'per parameter', description: 'Strategy parameters; see `tradesim list` for names, units and ranges.' }),
  })
  .meta({ description: 'A bargaining strategy and its parameters.' });

/** A strategy may be written as a bare name: `strategy: boulware`. */
export const StrategySpec = z.union([
  z.string().min(1).max(40).transform((name) => ({ name, params: {} as Record<string, number> })),
  StrategyRef,
]);

// ---------------------------------------------------------------------------------------------------------
// Plain two-party bargaining (teaching, theory checks, ANAC-style domains)
// ---------------------------------------------------------------------------------------------------------

export const IssueSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, 'a variable name usable in expressions').meta({ unit: 'name', description: 'Issue name; expressions refer to it.' }),
    unit: z.string().max(40).default('').meta({ unit: 'text', description: 'Unit of the issue value.' }),
    min: num('Lowest value.', 'issue unit'),
    max: num('Highest value.', 'issue unit'),
    steps: z.number().int().min(2).max(1000).optional().meta({ unit: 'count', description: 'Number of evenly spaced values from min to max; omit for a continuous issue.' }),
  })
  .refine((i) => i.max > i.min, { message: 'max must be greater than min', path: ['max'] });

export const PartySchema = z.strictObject({
  name: Id,
  utility: Expression.meta({ unit: 'utility', description: 'Utility of an outcome, as an expression over the issue names.' }),
  reservation: num('Utility of no agreement (outside option).', 'utility').default(0),
  discount: z.number().gt(0).max(1).default(1).meta({ unit: 'per offer', description: 'Discount factor per offer: an agreement at offer t is worth discount^t times its utility.' }),
  strategy: StrategySpec.default({ name: 'boulware', params: {} }),
});

export const ProtocolSchema = z.strictObject({
  deadline: z.number().int().min(1).max(100_000).default(100).meta({ unit: 'offers', description: 'Maximum number of offers before disagreement.' }),
  firstProposer: z.number().int().min(0).max(1).default(0).meta({ unit: 'party index', description: 'Which party (0 or 1) makes the first offer.' }),
  information: z.enum(['complete', 'private']).default('complete').meta({ unit: 'enum', description: 'complete: each side sees the other\'s preferences (needed by zeuthen and equilibrium).' }),
});

const Provenance = z
  .record(z.string().max(200), z.string().max(400))
  .default({})
  .meta({
    unit: 'path -> source',
    description:
      'Where each number comes from: keys are paths (with * wildcards, e.g. "countries.*.gdp"), values start with a source key from docs/sources (e.g. "S55") or the word "assumption". An `uncertain:` entry\'s distribution is sourced under "uncertain.<its path>" (e.g. "uncertain.countries[*].patience").',
  });

// ---------------------------------------------------------------------------------------------------------
// Property checks: `uncertain:` (what may vary) and `invariants:` (what must hold); read by `tradesim check`
// ---------------------------------------------------------------------------------------------------------

const ValuePath = z.string().min(1).max(200).meta({ unit: 'path', description: 'A value path as for --set (e.g. countries[IND].patience, parties[0].discount); [*] stands for every element of a list, each varied on its own.' });
const Scalar = z.union([z.number(), z.string().max(200), z.boolean()]);
const bound = (description: string) => z.number().optional().meta({ unit: 'value unit', description });
const step = z.number().gt(0).optional().meta({ unit: 'value unit', description: 'tradesim check only: draws lie on a grid of this spacing around the scenario\'s own value (default: 1 for whole-number fields, otherwise the width of the range / 10,000 rounded to a power of ten). Uncertainty analyses draw from the continuous distribution.' });
const scale = z
  .boolean()
  .optional()
  .meta({
    unit: 'boolean',
    description:
      'true: the drawn number is a factor on the scenario\'s own value instead of the value itself, and with [*] one draw scales every element together (one unknown common to all, e.g. the intensity behind every country\'s demand estimate). Default false: the draw is the value, and [*] draws each element on its own.',
  });

export const UncertainRange = z
  .strictObject({ range: z.tuple([z.number(), z.number()]).meta({ unit: 'value unit', description: 'Lowest and highest value, inclusive: a uniform distribution on [low, high].' }), step, scale })
  .refine((r) => r.range[1] >= r.range[0], { message: 'the range must be [low, high] with low <= high', path: ['range'] })
  .meta({ description: 'Any value in a range (uniform). Shrinking moves towards the scenario\'s own value (or the low end when that lies outside).' });
export const UncertainSet = z
  .strictObject({
    oneOf: z.array(Scalar).min(1).max(100).meta({ unit: 'values', description: 'The values to choose from (numbers, text such as regime or strategy names, true/false). Shrinking moves towards the scenario\'s own value, else the first.' }),
    weights: z.array(z.number().min(0).max(1e9)).min(1).max(100).optional().meta({ unit: 'relative weights', description: 'A discrete distribution: the probability of each value, in the order of oneOf, up to a common factor (default: equally likely). tradesim check tries every value whatever its weight.' }),
  })
  .refine((d) => d.weights === undefined || d.weights.length === d.oneOf.length, { message: 'give one weight per value of oneOf', path: ['weights'] })
  .refine((d) => d.weights === undefined || d.weights.some((w) => w > 0), { message: 'at least one weight must be above 0', path: ['weights'] })
  .meta({ description: 'One of a set of values (a discrete distribution, equally likely unless weighted).' });
const bounds = {
  min: bound('Lower truncation bound: uncertainty analyses draw from the distribution conditioned on [min, max]; tradesim check clips its draws to it.'),
  max: bound('Upper truncation bound (see min).'),
};
export const UncertainNormal = z
  .strictObject({
    normal: z.strictObject({ mean: num('Mean.', 'value unit'), sd: z.number().gt(0).meta({ unit: 'value unit', description: 'Standard deviation.' }) }),
    ...bounds,
    step,
    scale,
  })
  .refine((d) => d.min === undefined || d.max === undefined || d.max > d.min, { message: 'the truncation range is empty: max must be greater than min', path: ['max'] })
  .meta({ description: 'A normal distribution, truncated to [min, max] when they are given.' });
export const UncertainLognormal = z
  .strictObject({
    lognormal: z.strictObject({ median: z.number().gt(0).meta({ unit: 'value unit', description: 'Median.' }), sigma: z.number().gt(0).meta({ unit: 'log units', description: 'Standard deviation of the logarithm.' }) }),
    ...bounds,
    step,
    scale,
  })
  .refine((d) => d.min === undefined || d.max === undefined || d.max > d.min, { message: 'the truncation range is empty: max must be greater than min', path: ['max'] })
  .meta({ description: 'A lognormal distribution (the logarithm is normal), truncated to [min, max] when they are given.' });
export const UncertainTriangular = z
  .strictObject({
    triangular: z.strictObject({ min: num('Lowest value.', 'value unit'), mode: num('Most likely value.', 'value unit'), max: num('Highest value.', 'value unit') }),
    step,
    scale,
  })
  .refine((d) => d.triangular.min <= d.triangular.mode && d.triangular.mode <= d.triangular.max && d.triangular.min < d.triangular.max, {
    message: 'need min <= mode <= max and min < max',
    path: ['triangular'],
  })
  .meta({ description: 'A triangular distribution on [min, max] with its peak at mode (the usual form of an expert\'s "lowest, most likely, highest").' });
export const UncertainSchema = z
  .union([z.literal('fixed'), UncertainRange, UncertainSet, UncertainNormal, UncertainLognormal, UncertainTriangular])
  .meta({
    description:
      'How one value may vary: a range (uniform), a set (discrete, optionally weighted), a normal, lognormal or triangular distribution, or `fixed` to switch off an entry inherited through extends. `tradesim check` explores it (quantiles drawn by fast-check, so shrinking moves towards the median); `compare --uncertainty`, `sweep --uncertainty` and `sensitivity --method sobol` sample it. Give each entry a source in `provenance` under `uncertain.<path>`. `seed` is drawn by check by default; `seed: fixed` keeps the scenario\'s seed.',
  });

export const ChangeTimes = z.strictObject({ times: num('Multiply the first run\'s value by this.', 'factor') });
export const ChangePlus = z.strictObject({ plus: num('Add this to the first run\'s value.', 'value unit') });
const Change = z.union([Scalar, ChangeTimes, ChangePlus]);
export const InvariantObject = z
  .strictObject({
    expect: Expression.optional().meta({ unit: 'boolean', description: 'A condition over the run\'s outputs (see docs/testing.md); with `with`, over two runs `a` (as drawn) and `b` (changed), e.g. "b.final.delivered >= a.final.delivered".' }),
    identical: z.literal(true).optional().meta({ unit: 'boolean', description: 'Instead of expect: the two runs (a, and b with `with` applied, same seed) must give identical outcomes (countries, adversaries, metrics, event log).' }),
    with: z.record(ValuePath, Change).optional().meta({ unit: 'path -> value', description: 'Makes the invariant comparative: the second run `b` uses the same draw and seed with these values changed (a value, {times: k} or {plus: d}).' }),
    description: z.string().max(400).default('').meta({ unit: 'text', description: 'What the invariant says, in words (printed with a counterexample).' }),
  })
  .refine((i) => (i.expect === undefined) !== (i.identical === undefined), { message: 'give exactly one of expect or identical', path: ['expect'] });
export const InvariantSchema = z
  .union([z.literal('off'), Expression, InvariantObject])
  .meta({ description: 'A condition (expression) that must hold for every run, an object for a comparative invariant, or `off` to switch off an invariant inherited through extends.' });

const InvariantName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a name: a letter, then letters, digits, _ or -').meta({ unit: 'name', description: 'Invariant name.' });

const Checks = {
  uncertain: z.record(ValuePath, UncertainSchema).optional().meta({ unit: 'path -> variation', description: 'The scenario\'s declared uncertainty: which values are not known and how they may vary. `tradesim check` hunts for counterexamples over it (docs/testing.md); uncertainty analyses sample it (docs/research.md).' }),
  invariants: z.record(InvariantName, InvariantSchema).optional().meta({ unit: 'name -> condition', description: 'Named conditions every run must satisfy, checked by `tradesim check` (docs/testing.md).' }),
};

const Common = {
  id: Id,
  title: z.string().max(200).default('').meta({ unit: 'text', description: 'Human-readable title.' }),
  description: z.string().max(4000).default('').meta({ unit: 'text', description: 'What the scenario represents.' }),
  extends: z.string().max(400).optional().meta({ unit: 'path', description: 'A base scenario file (relative to this one) whose values this file overrides.' }),
  seed: z.number().int().min(0).max(2 ** 53 - 1).default(1).meta({ unit: 'integer', description: 'Master seed (overridden by --seed).' }),
  provenance: Provenance,
  ...Checks,
};

/** Most outcomes a bargaining scenario's grid may have: the engine's limit (MAX_OUTCOMES in negotiation/outcome-space). */
export const MAX_GRID_OUTCOMES = 1_000_000;

export const BargainingScenarioSchema = z.strictObject({
  kind: z.literal('bargaining'),
  ...Common,
  issues: z.array(IssueSchema).min(1).max(8).meta({ description: 'The negotiable issues.' }),
  parties: z.tuple([PartySchema, PartySchema]).meta({ description: 'Exactly two parties.' }),
  protocol: ProtocolSchema.default({ deadline: 100, firstProposer: 0, information: 'complete' }),
  resolution: z.number().int().min(11).max(100_001).optional().meta({ unit: 'points', description: 'Grid points per continuous issue when computing the Pareto frontier, Nash and Kalai-Smorodinsky points. Default: 10,001, or fewer so that the grid stays near 100,000 outcomes when there are several issues.' }),
}).superRefine((s, ctx) => {
  // The engine enumerates the grid (steps per discrete issue, resolution per continuous one); refuse at load
  // what it would refuse at run time, naming the place. Without a resolution the engine picks one that keeps
  // near 100,000 outcomes (at least 2, at most 101 values per continuous issue: autoResolution in
  // negotiation/outcome-space), which discrete issues alone can still push past the limit.
  const discrete = s.issues.reduce((n, i) => n * (i.steps ?? 1), 1);
  const continuous = s.issues.filter((i) => i.steps === undefined).length;
  const resolution = s.resolution ?? Math.max(2, Math.min(101, Math.floor(Math.pow(100_000 / discrete, 1 / Math.max(1, continuous)) + 1e-9)));
  const count = discrete * resolution ** continuous;
  if (count > MAX_GRID_OUTCOMES) {
    const explicit = s.resolution !== undefined;
    ctx.addIssue({ code: 'custom', path: [explicit ? 'resolution' : 'issues'], message: `the issues' grid has ${count} outcomes (at most ${MAX_GRID_OUTCOMES}); ${explicit ? 'lower resolution or ' : ''}give issues fewer steps` });
  }
});

// ---------------------------------------------------------------------------------------------------------
// The chip-trade world
// ---------------------------------------------------------------------------------------------------------

export const ObjectiveWeights = z.strictObject({
  revenue: nonneg('Weight on the exporter\'s firms\' revenue.', 'per USD bn').default(1),
  concessions: nonneg('Weight on the value to the exporter of concessions obtained.', 'per USD bn').default(1),
  security: nonneg('Weight on the expected cost of compute reaching adversaries (see exporter.leakageCost).', 'per USD bn').default(1),
  relations: nonneg('Weight on relations with the importer: a failed negotiation costs the exporter this much per relation point the country loses by it.', 'USD bn per relation point').default(0),
  marketShare: nonneg('Weight on sales a country would make to the rival supplier if a negotiation fails, valued at the exporter\'s list price.', 'per USD bn').default(1),
  fees: nonneg('Weight on revenue shares paid to the government out of licensed sales (the firms lose them at the revenue weight).', 'per USD bn').default(1),
});

export const DomesticMarketSchema = z
  .strictObject({
    demandPerRound: nonneg('Chips the exporter\'s domestic buyers (hyperscalers) want at list price each round.', 'chips per round'),
    valuePerChip: nonneg('Value of the first chip to domestic buyers (their marginal value falls linearly to the list price at demandPerRound).', 'USD per chip'),
  })
  .meta({ description: 'The exporter\'s home market: it absorbs the chips exports leave at list price plus the scarcity premium, so exports have an opportunity cost.' });

export const ExporterSchema = z.strictObject({
  id: Id.default('USA'),
  name: z.string().max(80).default('United States'),
  supplyPerRound: nonneg('Advanced chips the exporter\'s firms supply each round, for home and abroad.', 'chips per round'),
  supplyGrowthPerRound: z.number().min(-0.5).max(2).default(0).meta({ unit: 'fraction per round', description: 'Compound growth of supply per round.' }),
  h100ePerChip: z.number().gt(0).max(100).default(1).meta({ unit: 'H100e per chip', description: 'Compute of one chip of the main product line.' }),
  price: nonneg('List price of one chip of the main product line.', 'USD per chip'),
  leakageCost: nonneg('Security cost to the exporter of one H100e of compute reaching an adversary (diverted or licensed).', 'USD per H100e'),
  domestic: DomesticMarketSchema.optional(),
  objective: ObjectiveWeights.default({ revenue: 1, concessions: 1, security: 1, relations: 0, marketShare: 1, fees: 1 }),
  strategy: StrategySpec.default({ name: 'boulware', params: {} }),
  patience: z.number().gt(0).max(1).default(0.98).meta({ unit: 'per offer', description: 'Discount factor per offer in negotiations.' }),
  utility: Expression.optional().meta({ unit: 'USD bn', description: 'Replaces the built-in exporter payoff (USD bn) of a deal; variables: the issue names, chipCost and the country\'s parameters.' }),
});

export const ConcessionsSchema = z.strictObject({
  maxTariff: nonneg('Largest tariff concession the country can offer.', 'percentage points').default(0),
  maxInvestment: nonneg('Largest investment pledge the country can offer per deal (face value).', 'USD bn').default(0),
  maxPurchases: nonneg('Largest purchase commitment the country can offer per deal (face value).', 'USD bn').default(0),
  tariffValuePerPp: nonneg('Value of one percentage point of tariff concession over a deal term (cost to the country and value to the exporter: a transfer).', 'USD bn per pp').default(0),
  investmentCost: frac('Cost to the country of pledging one dollar of investment, as a fraction of face value.').default(0.25),
  investmentValue: frac('Value to the exporter of one pledged dollar of investment, as a fraction of face value (the credible, additional part), before trust.').default(0.2),
  purchaseCost: frac('Cost to the country of committing one dollar of purchases, as a fraction of face value.').default(0.15),
  purchaseValue: frac('Value to the exporter of one committed dollar of purchases, as a fraction of face value, before trust.').default(0.1),
  securityCost: nonneg('Cost to the country of the full security commitment (enforcement 1, adversary vendors excluded) over a deal term.', 'USD bn').default(0),
});

export const CountrySchema = z.strictObject({
  id: Id,
  name: z.string().max(80),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).meta({ unit: 'tier', description: 'Tier under the January 2025 rule.' }),
  gdp: nonneg('GDP, 2024.', 'USD bn'),
  usGoodsBalance: z.number().nullable().default(null).meta({ unit: 'USD bn', description: 'US goods balance with the country, 2024 (negative: US deficit); null when not found.' }),
  demandPerRound: nonneg('Chips the country wants each round at list price (its marginal value falls linearly from valuePerH100e at the first chip to the list price here).', 'chips per round'),
  valuePerH100e: nonneg('Value to the country of its first H100e of compute (the top of its demand curve).', 'USD per H100e'),
  relations: frac('Relation score with the exporter at the start; it is also the trust the exporter puts in the country\'s pledges and security commitments.'),
  diversionRisk: frac('Share of delivered chips that would leak to adversaries per round with no enforcement and full smuggling pressure.'),
  enforcement: frac('Export-control enforcement capacity (0 none, 1 perfect).'),
  patience: z.number().gt(0).max(1).meta({ unit: 'per offer', description: 'Discount factor per offer in negotiations.' }),
  strategy: StrategySpec.default({ name: 'boulware', params: {} }),
  concessions: ConcessionsSchema.default({ maxTariff: 0, maxInvestment: 0, maxPurchases: 0, tariffValuePerPp: 0, investmentCost: 0.25, investmentValue: 0.2, purchaseCost: 0.15, purchaseValue: 0.1, securityCost: 0 }),
  rivalAccess: frac('Share of the country\'s market open to the rival supplier (politics, ecosystem, sanctions risk).').default(0),
  stackShare: frac('Share of the country\'s AI compute on the rival stack at the start.').default(0),
  consignees: z.number().int().min(0).max(100_000).default(0).meta({ unit: 'count', description: 'Distinct consignees using the small-order exemption each year.' }),
  veuEligible: z.boolean().default(false).meta({ unit: 'boolean', description: 'Hosts a data-centre operator that can become a national validated end user.' }),
  g2g: z.boolean().default(false).meta({ unit: 'boolean', description: 'Has a government-to-government security agreement with the exporter (multiplies tier caps).' }),
  utility: Expression.optional().meta({ unit: 'USD bn', description: 'Replaces the built-in country payoff (USD bn) of a deal; variables: the issue names, chipCost and the country\'s parameters.' }),
});

export const LicensedRule = z.strictObject({
  product: z.string().min(1).max(40).default('H20').meta({ unit: 'name', description: 'The downgraded product sold under this rule.' }),
  h100ePerChip: z.number().gt(0).max(10).default(0.15).meta({ unit: 'H100e per chip', description: 'Compute of one chip of the product.' }),
  price: nonneg('Price of one chip of the product.', 'USD per chip').default(17000),
  supplyPerRound: nonneg('Chips of the product from its own line each round; null: drawn from the main supply.', 'chips per round').nullable().default(null),
  revenueShare: frac('Share of the price the exporter\'s firms pay their government on each licensed sale.').default(0),
  capFraction: nonneg('Licensed volume cap as a fraction of the exporter\'s domestic (US-customer) volume of the round before; null: no cap.', 'fraction').nullable().default(null),
  requiresLicence: z.boolean().default(true).meta({ unit: 'boolean', description: 'true: volume is bargained in a licence talk; false: the adversary buys the product freely at its price.' }),
});

export const AdversarySchema = z.strictObject({
  id: Id,
  name: z.string().max(80),
  domesticPerRound: nonneg('Compute from domestic production in the first round.', 'H100e per round'),
  domesticGrowthPerRound: z.number().min(-0.5).max(2).default(0).meta({ unit: 'fraction per round', description: 'Compound growth of domestic production per round, before the response to scarcity.' }),
  domesticScarcityResponse: nonneg('Extra growth of domestic production per round, per unit of the share of import demand left unmet in the round before (investment in substitutes under controls).', 'fraction per round').default(0),
  importDemandPerRound: nonneg('Compute the adversary would import each round at list price on top of its first-round domestic production (the rest of its demand curve lies on the same line).', 'H100e per round').default(0),
  diversionShare: frac('Share of all chips leaked from importers that reach this adversary.'),
  valuePerH100e: nonneg('Value to the adversary of its first H100e of compute beyond domestic production.', 'USD per H100e').default(0),
  licensed: LicensedRule.nullable().default(null).meta({ description: 'The exporter\'s policy on sales of a downgraded product to this adversary (a regime\'s rule for the adversary replaces it); null: none.' }),
  refusesLicensed: z.boolean().default(false).meta({ unit: 'boolean', description: 'The adversary\'s own government refuses licensed downgraded chips (e.g. customs blocking imports).' }),
  patience: z.number().gt(0).max(1).default(0.95).meta({ unit: 'per offer', description: 'Discount factor per offer in licence negotiations.' }),
  strategy: StrategySpec.default({ name: 'boulware', params: {} }),
});

export const RivalSchema = z.strictObject({
  name: z.string().max(80).default('rival'),
  capacityPerRound: nonneg('Chips the rival can sell abroad in the first round.', 'chips per round'),
  capacityGrowthPerRound: z.number().min(-0.5).max(2).default(0).meta({ unit: 'fraction per round', description: 'Compound growth of the rival\'s export capacity per round.' }),
  demandResponse: nonneg('Capacity the rival adds next round per chip of demand it could not serve this round.', 'chips per chip').default(0),
  price: nonneg('Price of one rival chip; null: the exporter\'s list price per H100e, times its compute per chip (parity).', 'USD per chip').nullable().default(null),
  h100ePerChip: z.number().gt(0).max(100).default(0.7).meta({ unit: 'H100e per chip', description: 'Compute of one rival chip.' }),
  stigma: nonneg('Extra cost to a country of one H100e from the rival stack at relation score 1 and no rival-stack share (sanctions risk, lost standing with the exporter); it scales with relations and falls with the country\'s rival-stack share.', 'USD per H100e').default(0),
  relationPenalty: nonneg('Fall in a country\'s relation score per unit of its demand bought from the rival.', 'relation points per share of demand').default(0.1),
});

/** Most concession packages one deal talk may price (the product of the concession grids). */
export const MAX_PACKAGES = 250_000;

export const NegotiationSettings = z.strictObject({
  deadline: z.number().int().min(1).max(1000).default(20).meta({ unit: 'offers', description: 'Maximum offers per negotiation.' }),
  term: z.number().int().min(1).max(100).default(4).meta({ unit: 'rounds', description: 'How long a deal delivers its chips before it is renegotiated.' }),
  grid: z
    .strictObject({
      chips: z.number().int().min(2).max(101).default(11),
      tariff: z.number().int().min(1).max(81).default(4),
      investment: z.number().int().min(1).max(81).default(4),
      purchases: z.number().int().min(1).max(81).default(4),
      security: z.number().int().min(1).max(41).default(3),
    })
    // Every combination is a package the talk prices: bound their number, not each issue alone.
    .superRefine((g, ctx) => {
      const n = g.tariff * g.investment * g.purchases * g.security;
      if (n > MAX_PACKAGES) {
        ctx.addIssue({ code: 'custom', message: `${n.toLocaleString('en-US')} packages (tariff x investment x purchases x security values), more than the ${MAX_PACKAGES.toLocaleString('en-US')} a talk may price` });
      }
    })
    .default({ chips: 11, tariff: 4, investment: 4, purchases: 4, security: 3 })
    .meta({ unit: 'values per issue', description: 'Number of values of each concession issue in the offer grid (1 removes the issue). Chips are not on a grid: a package buys the chips it pays for (docs/model.md); `chips` sets the grid of licensed volumes in licence talks.' }),
  information: z.enum(['complete', 'private']).default('complete').meta({ unit: 'enum', description: 'Whether each side sees the other\'s preferences.' }),
});

export const RelationsSettings = z.strictObject({
  dealBonus: num('Change in relation score when a deal is signed.', 'relation points').default(0.05),
  deniedPenalty: num('Change per round for a country denied all legal access.', 'relation points').default(-0.03),
  unmetPenalty: num('Change per round per share of demand left unmet (by the exporter and the rival together).', 'relation points').default(-0.04),
  concessionPenalty: num('Change per unit of concession burden (cost / surplus of the chips) in a signed deal.', 'relation points').default(0),
  noise: nonneg('Standard deviation of the per-round random shock.', 'relation points').default(0.005),
  fallThreshold: nonneg('A country counts as "fell" when its score ends this far below its start.', 'relation points').default(0.05),
});

export const LeakageSettings = z.strictObject({
  noise: frac('Half-width of the uniform multiplier on expected leakage (0: deterministic).').default(0.5),
  commitmentCredibility: frac('How much of a security commitment turns into enforcement at full trust.').default(0.8),
  scarcityElasticity: nonneg('Exponent of smuggling pressure: diversion scales with (adversary premium / its maximum)^elasticity; 0 makes diversion ignore scarcity.', 'exponent').default(1),
  veuEnforcement: frac('Enforcement of chips shipped through the validated-end-user route (held by vetted operators).').default(0.9),
});

export const StackSettings = z.strictObject({
  adoptRate: frac('Share of the gap closed each round when the rival share of a country\'s purchases exceeds its rival-stack share.').default(0.5),
  releaseRate: frac('Share of the gap closed each round when it is below (lock-in: smaller than adoptRate).').default(0.05),
  switchThreshold: frac('Rival-stack share at which a country counts as switched.').default(0.5),
});

const MarketRule = z.union([
  z.literal('unlimited'),
  z.literal('none'),
  z.strictObject({
    capTpp: nonneg('Cumulative cap over the cap period.', 'TPP'),
    periodRounds: z.number().int().min(1).max(1000).meta({ unit: 'rounds', description: 'Rounds the cumulative cap covers, from the round the regime comes into force.' }),
    g2gMultiplier: z.number().min(1).max(100).default(1).meta({ unit: 'multiple', description: 'Cap multiple for a country with a government-to-government agreement.' }),
  }),
]);

export const VeuRule = z
  .strictObject({
    nveuPerRound: nonneg('Ceiling on chips per national validated end user per round, outside the cap (a VEU-eligible country has one).', 'H100e per round').default(0),
    uveuShare: frac('Largest share of a universal VEU\'s compute one country may host, applied to the exporter\'s domestic volume of the round before.').default(0),
    approvalFrom: frac('Enforcement below which no VEU allowance is approved.').default(0.4),
    approvalTo: frac('Enforcement from which the whole allowance is approved (between the two, the approved share rises smoothly).').default(0.8),
  })
  .refine((v) => v.approvalTo >= v.approvalFrom, { message: 'approvalTo must be at least approvalFrom', path: ['approvalTo'] });

export const RuleSchema = z.strictObject({
  market: MarketRule.default('none').meta({ unit: 'rule', description: 'Purchases without a licence or deal: unlimited, none, or a cumulative cap in TPP.' }),
  capExpr: Expression.optional().meta({ unit: 'H100e', description: 'Custom cumulative cap (H100e over the cap period) as an expression of the country\'s parameters; replaces capTpp (market must then be a cap object, for its periodRounds).' }),
  exemption: z
    .strictObject({ tppPerConsigneePerYear: nonneg('Small-order exemption per consignee per calendar year, outside the cap.', 'TPP') })
    .optional(),
  veu: VeuRule.optional(),
  negotiate: z.enum(['none', 'demand', 'cap-upgrade']).default('none').meta({ unit: 'enum', description: 'none; demand: chips are bargained for in exchange for concessions; cap-upgrade: a government-to-government deal raises the cap to g2gMultiplier times.' }),
  licensed: LicensedRule.optional().meta({ description: 'For adversaries: sales of a downgraded product (licensed, or free when requiresLicence is false).' }),
  eligible: Expression.optional().meta({ unit: 'boolean', description: 'Custom eligibility: when it is false the country is denied.' }),
});

export const RegimeSchema = z.strictObject({
  id: Id,
  title: z.string().max(200).default(''),
  description: z.string().max(4000).default(''),
  tier1: RuleSchema.default({ market: 'none', negotiate: 'none' }),
  tier2: RuleSchema.default({ market: 'none', negotiate: 'none' }),
  tier3: RuleSchema.default({ market: 'none', negotiate: 'none' }),
  countries: z.record(Id, RuleSchema).default({}).meta({ unit: 'per country', description: 'Rules for named countries and adversaries, replacing their tier\'s rule.' }),
});

const Quarter = z.string().regex(/^\d{4}Q[1-4]$/);

export const TimelineEventSchema = z
  .strictObject({
    id: Id,
    date: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD').optional().meta({ unit: 'YYYY-MM-DD', description: 'When it happened; it takes effect from the start of the round whose quarter contains the date.' }),
    at: Quarter.optional().meta({ unit: 'YYYYQn', description: 'Instead of a date: the round (quarter) it takes effect from.' }),
    title: z.string().min(1).max(200).meta({ unit: 'text', description: 'What happened.' }),
    source: z.string().min(1).max(400).meta({ unit: 'source', description: 'A source key (docs/sources.md) or the word "assumption" with the reason.' }),
    regime: z.union([Id, z.null()]).optional().meta({ unit: 'regime', description: 'The regime in force from then on (a built-in name or one of `regimes`).' }),
    set: z.record(z.string().min(1).max(200), z.unknown()).default({}).meta({ unit: 'path -> value', description: 'Values that change from then on, as for --set (a path like countries[MYS].enforcement, a value).' }),
  })
  .refine((e) => (e.date === undefined) !== (e.at === undefined), { message: 'give exactly one of date or at', path: ['date'] });

export const ChipsScenarioSchema = z.strictObject({
  kind: z.literal('chips'),
  ...Common,
  rounds: z.number().int().min(1).max(400).default(12).meta({ unit: 'rounds', description: 'Number of rounds simulated.' }),
  roundsPerYear: z.number().int().min(1).max(52).default(4).meta({ unit: 'rounds per year', description: 'Rounds in a calendar year (4: quarters).' }),
  start: Quarter.default('2025Q1').meta({ unit: 'YYYYQn', description: 'Label of the first round.' }),
  tppPerH100e: z.number().gt(0).default(15832).meta({ unit: 'TPP per H100e', description: 'Total processing performance of one H100 (converts TPP caps to H100e).' }),
  demandGrowthPerRound: z.number().min(-0.5).max(2).default(0).meta({ unit: 'fraction per round', description: 'Compound growth per round of every buyer\'s demand at list price (importers, the domestic market, adversaries\' import demand).' }),
  exporter: ExporterSchema,
  countries: z.array(CountrySchema).min(1).max(2000),
  adversaries: z.array(AdversarySchema).max(20).default([]),
  rival: RivalSchema.optional(),
  negotiation: NegotiationSettings.default({ deadline: 20, term: 4, grid: { chips: 11, tariff: 4, investment: 4, purchases: 4, security: 3 }, information: 'complete' }),
  relations: RelationsSettings.default({ dealBonus: 0.05, deniedPenalty: -0.03, unmetPenalty: -0.04, concessionPenalty: 0, noise: 0.005, fallThreshold: 0.05 }),
  leakage: LeakageSettings.default({ noise: 0.5, commitmentCredibility: 0.8, scarcityElasticity: 1, veuEnforcement: 0.9 }),
  stack: StackSettings.default({ adoptRate: 0.5, releaseRate: 0.05, switchThreshold: 0.5 }),
  regime: z.union([Id, RegimeSchema]).meta({ unit: 'regime', description: 'A built-in regime name (`tradesim list`), a name from `regimes`, or an inline regime: the regime in force from the first round (timeline events may change it).' }),
  regimes: z.record(Id, RegimeSchema).default({}).meta({ unit: 'regimes', description: 'Custom regimes this scenario defines, selectable with --regime or by timeline events.' }),
  timeline: z.array(TimelineEventSchema).max(200).default([]).meta({ description: 'Dated events that change the regime or parameters mid-run, applied in date order (docs/model.md, "Timeline").' }),
});

export const ScenarioSchema = z.discriminatedUnion('kind', [ChipsScenarioSchema, BargainingScenarioSchema]);

export type ChipsScenario = z.output<typeof ChipsScenarioSchema>;
export type BargainingScenario = z.output<typeof BargainingScenarioSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type Country = z.output<typeof CountrySchema>;
export type Adversary = z.output<typeof AdversarySchema>;
export type Regime = z.output<typeof RegimeSchema>;
export type Rule = z.output<typeof RuleSchema>;
export type LicensedRuleT = z.output<typeof LicensedRule>;
export type TimelineEventInput = z.output<typeof TimelineEventSchema>;
export type DomesticMarket = z.output<typeof DomesticMarketSchema>;
export type Rival = z.output<typeof RivalSchema>;
export type StrategyChoice = z.output<typeof StrategyRef>;
export type Uncertain = z.output<typeof UncertainSchema>;
export type Invariant = z.output<typeof InvariantSchema>;
