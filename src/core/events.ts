/**
 * The one event log a run emits, and the versioned result artifact that carries it. The text report, the
 * `--json` output and the Ink replay all read this and nothing else, so a replay needs no simulation code.
 *
 * Bump RESULT_SCHEMA_VERSION on any breaking change to these types.
 */
export const RESULT_SCHEMA_VERSION = 2;

import type { CountryMetricKey, FinalMetricKey, FinalMetrics, RoundMetricValues } from './metrics.js';
export type { FinalMetrics } from './metrics.js';

/** How a country may obtain chips in a round, as decided by the regime. */
export type Route = 'market' | 'negotiate' | 'denied' | 'licensed';

export interface IssueInfo {
  readonly name: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
}

export interface OfferEvent {
  readonly step: number;
  /** Party index: in chip negotiations 0 is the exporter, 1 the country. */
  readonly by: 0 | 1;
  readonly outcome: readonly number[];
  readonly utilities: readonly [number, number];
}

/** A point in the two parties' utility plane. */
export interface UtilityPoint {
  readonly outcome: readonly number[];
  readonly utilities: readonly [number, number];
}

export interface NegotiationRecord {
  readonly parties: readonly [string, string];
  readonly strategies: readonly [string, string];
  readonly issues: readonly IssueInfo[];
  /** Feasible upper bounds of each issue in this negotiation (e.g. the chip budget). */
  readonly upperBounds: readonly number[];
  readonly deadline: number;
  readonly reservations: readonly [number, number];
  readonly offers: readonly OfferEvent[];
  readonly agreement: UtilityPoint | null;
  readonly reason: 'agreement' | 'deadline' | 'walkaway';
  /** Step of agreement, or offers made. */
  readonly steps: number;
  readonly payoffs: readonly [number, number];
  /** Pareto frontier in utility space (thinned for size), Nash and Kalai-Smorodinsky points. */
  readonly frontier: readonly (readonly [number, number])[];
  readonly nash: UtilityPoint | null;
  readonly ks: UtilityPoint | null;
  /** Euclidean distance in utility space from the agreement (or the disagreement point) to the Nash point. */
  readonly distanceToNash: number | null;
  /** Money (USD bn) per normalised utility unit of each party, when utilities are scaled payoffs (chip deals). */
  readonly scales?: readonly [number, number];
}

/** A dated change of the scenario (timeline) that takes effect from this round. */
export interface TimelineEvent {
  readonly id: string;
  /** The date the sources give (YYYY-MM-DD), or the round label when the event gives a quarter. */
  readonly date: string;
  readonly title: string;
  readonly source: string;
  /** The regime in force from this round, when the event changes it. */
  readonly regime?: string;
  /** The value paths the event sets (as for --set), with their new values. */
  readonly set: Readonly<Record<string, unknown>>;
}

export type SimEvent =
  | {
      readonly type: 'round-start';
      readonly round: number;
      readonly label: string;
      /** Supply of the exporter's main product line this round (chips). */
      readonly supply: number;
      /** Supply of licensed product lines this round (chips). */
      readonly licensedSupply: number;
      /** The regime in force this round. */
      readonly regime: string;
    }
  | ({ readonly type: 'timeline'; readonly round: number } & TimelineEvent)
  | {
      readonly type: 'market';
      readonly round: number;
      /** λ at which the exporter priced its deals this round (USD per chip above list). */
      readonly premiumForDeals: number;
      /** λ after the round's deals, at which the licence-free market cleared. */
      readonly premium: number;
      /** Chips absorbed by the exporter's domestic market. */
      readonly domestic: number;
      /** Chips of the main line and of licensed lines nobody bought. */
      readonly unsold: number;
      /** Chips committed by deals and licences signed earlier and still running. */
      readonly committed: number;
    }
  | {
      readonly type: 'access';
      readonly round: number;
      readonly country: string;
      readonly route: Route;
      /** Chips the country may buy this round without a deal (caps, exemption and VEU included). */
      readonly marketAllowance: number;
      /** Most chips per round a deal may give. */
      readonly negotiableMax: number;
      /** Cap left (H100e) under a cumulative cap, or null when uncapped. */
      readonly capRemaining: number | null;
    }
  | {
      readonly type: 'stack';
      readonly round: number;
      readonly country: string;
      /** Share of the country's AI compute on the rival stack, before and after this round. */
      readonly before: number;
      readonly after: number;
    }
  | {
      readonly type: 'adversary';
      readonly round: number;
      readonly adversary: string;
      /** H100e this round: domestic production, legal imports, diverted chips. */
      readonly domestic: number;
      readonly imports: number;
      readonly diverted: number;
      /** Share of its import demand (at list price) left unmet this round. */
      readonly unmetShare: number;
    }
  | ({ readonly type: 'negotiation'; readonly round: number; readonly country: string } & NegotiationRecord)
  | {
      readonly type: 'deal';
      readonly round: number;
      readonly country: string;
      readonly chipsPerRound: number;
      readonly untilRound: number;
      /** Issue name -> agreed value (chips, tariff, investment, purchases, security, revenueShare). */
      readonly terms: Readonly<Record<string, number>>;
      /** Value to the exporter of the concessions over the term (USD bn): tariff at value, pledges at credited value times trust. */
      readonly concessionsUsd: number;
      /** The same concessions at face value (USD bn). */
      readonly faceUsd: number;
      /** The exporter's opportunity cost of one chip when the deal was signed (USD; λ plus expected leakage cost). */
      readonly chipCost: number;
    }
  | {
      readonly type: 'no-deal';
      readonly round: number;
      readonly country: string;
      /** deadline or walkaway; empty: they agreed on zero chips, which is no deal. */
      readonly reason: 'deadline' | 'walkaway' | 'empty';
    }
  | {
      readonly type: 'delivery';
      readonly round: number;
      readonly country: string;
      readonly market: number;
      readonly capped: number;
      readonly exempt: number;
      readonly veu: number;
      readonly deal: number;
      readonly licensed: number;
      /** Chips delivered this round (all routes). */
      readonly total: number;
      /** The same in H100e (licensed chips count at their product's H100e per chip). */
      readonly h100e: number;
      /** Demand at list price this round (chips; for adversaries, H100e of import demand). */
      readonly requested: number;
      readonly revenueUsd: number;
    }
  | {
      readonly type: 'leakage';
      readonly round: number;
      readonly country: string;
      readonly chips: number;
      /** The uniform draw behind this leak (shown so that reproducibility can be checked per stream). */
      readonly draw: number;
    }
  | {
      readonly type: 'alternative';
      readonly round: number;
      readonly country: string;
      /** Rival chips bought, and their H100e. */
      readonly chips: number;
      readonly h100e: number;
    }
  | {
      readonly type: 'relations';
      readonly round: number;
      readonly country: string;
      readonly before: number;
      readonly after: number;
    }
  | { readonly type: 'round-end'; readonly round: number; readonly metrics: RoundMetrics };

/**
 * One round's metrics (the catalogue's per-round list, src/core/metrics.ts) plus the supply they account for:
 * supply = domestic + delivered + licensed + unsold, in chips, every round (all product lines).
 */
export type RoundMetrics = RoundMetricValues & { readonly supply: number };

export interface CountryOutcome {
  readonly id: string;
  readonly name: string;
  readonly tier: 1 | 2 | 3;
  readonly route: Route;
  readonly demand: number;
  readonly delivered: number;
  readonly byRoute: {
    readonly market: number;
    readonly capped: number;
    readonly exempt: number;
    readonly veu: number;
    readonly deal: number;
    readonly licensed: number;
  };
  /** TPP delivered under the cumulative cap (exact rule units). */
  readonly tppUnderCap: number;
  readonly fulfilment: number;
  /** Rival chips bought, and their H100e. */
  readonly rival: number;
  readonly rivalH100e: number;
  readonly alternativeShare: number;
  /** Share of its AI compute on the rival stack at the end. */
  readonly stackShare: number;
  /** stackShare at or above stack.switchThreshold. */
  readonly switched: boolean;
  readonly leaked: number;
  readonly concessionsUsd: number;
  readonly faceUsd: number;
  readonly securityCommitment: number;
  readonly deals: number;
  readonly negotiations: number;
  readonly firstDealRound: number | null;
  readonly relationsStart: number;
  readonly relationsEnd: number;
  readonly utility: number;
  readonly meanDistanceToNash: number | null;
}

export interface AdversaryOutcome {
  readonly id: string;
  readonly name: string;
  readonly domestic: number;
  /** Legal imports (licensed or open market), H100e. */
  readonly licensed: number;
  /** The same in physical chips. */
  readonly licensedChips: number;
  readonly diverted: number;
  readonly total: number;
  /** Revenue share the exporter's firms paid their government on this adversary's licensed purchases (USD bn). */
  readonly revenueShareUsd: number;
  /** Domestic production in the last round (H100e per round): how far its capacity grew. */
  readonly domesticCapacityEnd: number;
}


export interface ScenarioStamp {
  readonly id: string;
  readonly title: string;
  readonly kind: 'chips' | 'bargaining';
  readonly file: string;
  /**
   * sha256 of the canonical JSON of the scenario as loaded (defaults applied, --set included): what
   * `tradesim validate` prints, and the same in run, compare, sweep and sensitivity artifacts of that file.
   * (Artifacts written before parametersHash existed hashed `parameters` here.)
   */
  readonly hash: string;
  /** sha256 of the artifact's `parameters` (the scenario as the run used it: --regime and --rounds applied). */
  readonly parametersHash?: string;
}

/**
 * How an artifact was made: the exact command, the folder it ran in, and the choices that make a what-if
 * differ from its base scenario. `report` prints them and a reproduce block from them.
 */
export interface Provenance {
  /** The command line as run ("tradesim compare a.yaml --set 'x[A]=1' ..."), each argument quoted for a POSIX shell. */
  readonly command: string;
  /** The working folder it ran in (absolute): the command's relative paths are relative to it. */
  readonly cwd: string;
  /** --set overrides in the order given (empty: the scenario file as it is). */
  readonly overrides: readonly string[];
  /** --rounds when given (null: the scenario's own). */
  readonly rounds: number | null;
  /** --regime or --regimes when given (null: the scenario's own regime and timeline). */
  readonly regime: string | null;
}

export interface ChipsResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'chips';
  /** How the artifact was made (absent in artifacts from before tradesim recorded it). */
  readonly provenance?: Provenance;
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  readonly scenario: ScenarioStamp;
  readonly seed: number;
  readonly rng: string;
  readonly regime: string;
  /** The fully resolved scenario the run used (defaults applied, --set and --regime included). */
  readonly parameters: unknown;
  readonly rounds: readonly { readonly round: number; readonly label: string; readonly events: readonly SimEvent[] }[];
  /** The timeline events the run applied, in order, with the round each took effect (1-based). */
  readonly timeline: readonly (TimelineEvent & { readonly round: number })[];
  readonly countries: readonly CountryOutcome[];
  readonly adversaries: readonly AdversaryOutcome[];
  readonly metrics: {
    readonly final: FinalMetrics;
    readonly perRound: readonly RoundMetrics[];
  };
}

export interface BargainingResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'bargaining';
  /** How the artifact was made (absent in artifacts from before tradesim recorded it). */
  readonly provenance?: Provenance;
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  readonly scenario: ScenarioStamp;
  readonly seed: number;
  readonly rng: string;
  readonly parameters: unknown;
  readonly negotiation: NegotiationRecord;
  /** Closed-form predictions that apply to this scenario (null where their assumptions fail). */
  readonly theory: {
    /**
     * Rubinstein's subgame-perfect split of a unit pie, as party 0's share, when the scenario is a pie split
     * (one issue, linear opposed utilities from 0 to 1, reservations 0); null otherwise.
     */
    readonly rubinstein: { readonly infiniteHorizon: number; readonly finiteHorizon: number; readonly deadline: number } | null;
    readonly nash: UtilityPoint | null;
    readonly ks: UtilityPoint | null;
  };
}

export type Result = ChipsResult | BargainingResult;

/** A mean with a confidence interval, over `n` runs. */
export interface IntervalEstimate {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
}

/**
 * One arm of a comparison: a scenario file under a regime. An arm with no regime given runs the scenario's own
 * (starting) regime and its timeline; a given regime is fixed for the whole run.
 */
export interface ComparisonArm {
  /** The arm's name in the artifact (the keys of summaries, runs, examples, countries) and in every table. */
  readonly label: string;
  /** The scenario file as given on the command line ('' when the library was given no file). */
  readonly file: string;
  readonly scenarioId: string;
  readonly title: string;
  /** sha256 of the canonical JSON of the scenario as loaded (--set applied), as `tradesim validate` gives it. */
  readonly hash: string;
  /** The regime the arm ran under: the one given, or the scenario's own starting regime. */
  readonly regime: string;
  /** True when the regime was given (--regimes): fixed for the run, the scenario's timeline regime changes ignored. */
  readonly regimeGiven: boolean;
}

/** Per arm, per country: mean and interval over the seeds of the per-country outcomes (COUNTRY_METRICS). */
export type ComparisonCountry = {
  readonly id: string;
  readonly name?: string;
  readonly tier: 1 | 2 | 3;
  readonly delivered: IntervalEstimate;
  readonly fulfilment: IntervalEstimate;
} & { readonly [K in CountryMetricKey]?: IntervalEstimate };

/**
 * `tradesim compare`: arms (a scenario under a regime: one scenario under several regimes, or several
 * scenario variants, each under its own regime or a given one) run on the same seeds (common random numbers).
 * Written by the research workflow, read by the replay (side-by-side report) and by `tradesim report`.
 * `regimes` holds the arm labels in order (its name predates scenario variants; every keyed field uses them).
 */
export interface ComparisonResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'comparison';
  /** How the artifact was made (absent in artifacts from before tradesim recorded it). */
  readonly provenance?: Provenance;
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  readonly scenario: ScenarioStamp;
  readonly rng: string;
  /** The seeds every arm ran, in order. */
  readonly seeds: readonly number[];
  /** The arm labels, in order: regime names when one scenario runs under several regimes. */
  readonly regimes: readonly string[];
  /** How intervals were computed, e.g. { method: 'bootstrap-percentile', level: 0.95, resamples: 2000 }. */
  readonly interval: { readonly method: string; readonly level: number; readonly [k: string]: unknown };
  /** Per regime, per final metric: mean and interval over the seeds (null metrics are left out). */
  readonly summaries: Readonly<Record<string, Readonly<Partial<Record<FinalMetricKey, IntervalEstimate>>>>>;
  /** Paired differences `b - a` over the same seeds, per metric. */
  readonly differences: readonly {
    readonly a: string;
    readonly b: string;
    readonly metric: FinalMetricKey;
    readonly estimate: IntervalEstimate;
    /** The paired t interval on the same differences, for reference (research workflow). */
    readonly t?: IntervalEstimate;
  }[];
  /** Per arm, per country: mean and interval over the seeds of each per-country outcome. */
  readonly countries: Readonly<Record<string, readonly ComparisonCountry[]>>;
  /**
   * Who gains and loses: per pair of arms (b - a, as `differences`), per country in both, per country metric,
   * the paired difference over the same seeds with its bootstrap interval.
   */
  readonly countryDifferences?: readonly {
    readonly a: string;
    readonly b: string;
    readonly country: string;
    readonly metric: CountryMetricKey;
    readonly estimate: IntervalEstimate;
  }[];
  /** The arms in the order of `regimes`: each one's file, scenario, hash and regime. */
  readonly arms?: readonly ComparisonArm[];
  /** Per regime, the full result of the first seed, so a replay can show each run side by side. */
  readonly examples: Readonly<Record<string, ChipsResult>>;
  /** Per regime, the final metrics of every run in seed order: what `tradesim run --regime R --seed s` gives. */
  readonly runs?: Readonly<Record<string, readonly FinalMetrics[]>>;
  /**
   * Present when the comparison ran over uncertain worlds (`compare --uncertainty N`): then run k of `runs` is
   * world floor(k / seedsPerWorld) with seed seeds[k mod seedsPerWorld], `summaries` and `differences` are
   * over the worlds' means (each world averaged over its seeds), and `countries` is empty.
   */
  readonly uncertainty?: UncertaintySection;
}

/** The shape of a sample: mean, sample standard deviation, extremes and the 5, 25, 50, 75 and 95% quantiles. */
export interface DistributionSummary {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly q05: number;
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  readonly q95: number;
  readonly max: number;
}

/** One sampled factor of the scenario's `uncertain:` section (docs/research.md, "Uncertainty"). */
export interface UncertaintyFactor {
  /** Column name: a concrete path, or scale(<path>) for a factor on the scenario's own values. */
  readonly name: string;
  /** The `uncertain:` entry (Sobol group). */
  readonly group: string;
  /** The distribution in words, e.g. "triangular(0.5, 1, 2)". */
  readonly distribution: string;
  readonly scale: boolean;
  /** The concrete paths it writes. */
  readonly paths: readonly string[];
  /** Its provenance (a source key or "assumption: ..."), null when the scenario gives none. */
  readonly source: string | null;
}

/** A paired difference b - a over uncertain worlds. */
export interface UncertainDifference {
  readonly a: string;
  readonly b: string;
  readonly metric: FinalMetricKey;
  /** The difference's distribution over the worlds (each world's mean over its seeds). */
  readonly worlds: DistributionSummary;
  /** Its mean with the bootstrap percentile interval (worlds resampled). */
  readonly mean: IntervalEstimate;
  /** Shares of worlds where b is higher, lower, equal (within 1e-12 of the values). */
  readonly pHigher: number;
  readonly pLower: number;
  readonly pEqual: number;
  /** P(b beats a): pHigher for a higher-better metric, pLower for a lower-better one, null for a neutral one. */
  readonly pBeats: number | null;
  /** Its bootstrap percentile interval (the same resampled worlds). */
  readonly pBeatsInterval: readonly [number, number] | null;
  /** The difference is the same in every run: no variance, so nothing to test (never significant). */
  readonly deterministic: boolean;
  /** Not deterministic, and the interval of the mean excludes 0. */
  readonly significant: boolean;
  /** Share of the run-to-run variance of the difference that is seed noise within worlds (null with one seed). */
  readonly seedShare: number | null;
}

export interface UncertaintySection {
  readonly worlds: number;
  readonly seedsPerWorld: number;
  /** How the worlds were drawn, e.g. "latin hypercube". */
  readonly design: string;
  /** The named streams they came from, and their master seed. */
  readonly stream: string;
  readonly masterSeed: number;
  readonly factors: readonly UncertaintyFactor[];
  /** Per world, each factor's value, in the order of factors. */
  readonly values: readonly (readonly (number | string | boolean)[])[];
  /** Per regime, per metric: the distribution over the worlds of the world's mean. */
  readonly byRegime: Readonly<Record<string, Readonly<Partial<Record<FinalMetricKey, DistributionSummary>>>>>;
  readonly differences: readonly UncertainDifference[];
}

/** One parameter a sensitivity analysis varies, between `lo` and `hi`; `base` is its value in the scenario. */
export interface SensitivityParameter {
  readonly path: string;
  readonly lo: number;
  readonly hi: number;
  readonly base: number;
}

/**
 * `tradesim sensitivity`: which parameters move one final metric most. Every point is averaged over the same
 * seeds (common random numbers). Effects are in the metric's units for a move of the parameter from lo to hi.
 */
export interface SensitivityResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'sensitivity';
  /** How the artifact was made (absent in artifacts from before tradesim recorded it). */
  readonly provenance?: Provenance;
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  readonly scenario: ScenarioStamp;
  readonly rng: string;
  readonly regime: string;
  readonly metric: FinalMetricKey;
  readonly method: 'oat' | 'morris';
  readonly seeds: readonly number[];
  /** How intervals were computed, e.g. { method: 't', level: 0.95 }. */
  readonly interval: { readonly method: string; readonly level: number };
  /** The command line that reproduces this artifact. */
  readonly command: string;
  readonly parameters: readonly SensitivityParameter[];
  /** The metric with every parameter at its base value. */
  readonly base: IntervalEstimate;
  /** Simulation runs made (distinct parameter points times seeds). */
  readonly runs: number;
  /** One-at-a-time (tornado), largest |effect| first: `effect` is the paired difference high - low over seeds. */
  readonly oat: readonly { readonly path: string; readonly low: IntervalEstimate; readonly high: IntervalEstimate; readonly effect: IntervalEstimate }[] | null;
  /** Morris elementary effects, largest mu* first; `stream` names the seeded stream the trajectories came from. */
  readonly morris: {
    readonly levels: number;
    readonly trajectories: number;
    readonly delta: number;
    readonly masterSeed: number;
    readonly stream: string;
    readonly effects: readonly { readonly path: string; readonly mu: number; readonly muStar: number; readonly sigma: number; readonly r: number }[];
  } | null;
}

/** A Sobol' index with its bootstrap percentile interval. */
export interface SobolIndex {
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
}

/** First-order and total indices of one group of factors (one `uncertain:` entry, a --param, or the seed). */
export interface SobolGroupIndices {
  readonly group: string;
  readonly first: SobolIndex;
  readonly total: SobolIndex;
}

/** The indices of one output: at the full sample and, for the convergence plot, on its first n rows. */
export interface SobolMetric {
  /** A final metric key, or "y" for a function. */
  readonly metric: string;
  /** Rows used (where the output is defined in every matrix). */
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
  /** Per group, largest total index first; the seed group (if any) is last. */
  readonly groups: readonly SobolGroupIndices[];
  /** The seed's indices: the share of the variance seed noise makes (null when the seed is not a factor). */
  readonly seedNoise: SobolGroupIndices | null;
  /** Sum of the first-order indices of the factors (1 - this: the share left to interactions). */
  readonly sumFirst: number;
  readonly convergence: readonly { readonly n: number; readonly groups: readonly SobolGroupIndices[] }[];
}

/**
 * `tradesim sensitivity --method sobol`: variance-based global sensitivity from Saltelli's design, on a
 * scenario's uncertain factors (the seed one more factor) or on a function of --param inputs.
 */
export interface SobolResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'sobol';
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  /** The scenario, or null for a function. */
  readonly scenario: ScenarioStamp | null;
  /** The function's expression (null for a scenario). */
  readonly function: string | null;
  readonly rng: string;
  readonly regime: string | null;
  readonly command: string;
  /** N: rows of each of the matrices A and B. */
  readonly samples: number;
  /** Seeds each point is averaged over (scenarios). */
  readonly seedsPerPoint: number;
  /** Model evaluations: runs of the simulation, or function evaluations. */
  readonly runs: number;
  readonly groups: readonly { readonly name: string; readonly factors: readonly UncertaintyFactor[] }[];
  readonly design: { readonly scheme: string; readonly stream: string; readonly masterSeed: number; readonly seedFactor: boolean };
  readonly estimators: { readonly first: string; readonly total: string; readonly variance: string };
  readonly interval: { readonly method: string; readonly level: number; readonly resamples: number; readonly stream: string };
  readonly metrics: readonly SobolMetric[];
  /** The command that made it (tradesim records it; absent in artifacts from before). */
  readonly provenance?: Provenance;
}

// ---------------------------------------------------------------------------------------------------------
// Scenario discovery (`tradesim discover`, src/research/prim.ts)
// ---------------------------------------------------------------------------------------------------------

/** A box's limit on one input: [lo, hi] for a number, the allowed levels for a category. */
export type Limit =
  | { readonly name: string; readonly kind: 'number'; readonly lo: number; readonly hi: number }
  | { readonly name: string; readonly kind: 'category'; readonly levels: readonly string[] };

export interface BoxStats {
  readonly coverage: number;
  readonly density: number;
  readonly mass: number;
  /** Points inside and cases of interest inside. */
  readonly n: number;
  readonly hits: number;
}

export interface TrajectoryStep extends BoxStats {
  readonly step: number;
  /** Inputs the box restricts. */
  readonly restricted: number;
  /** The input peeled at this step (null for the first box). */
  readonly peeled: string | null;
}

export interface RestrictedLimit {
  readonly limit: Limit;
  /** The whole range (numbers) or all levels (categories) of the input. */
  readonly full: Limit;
  readonly quasiP: number;
}

export interface PrimResult {
  readonly n: number;
  readonly cases: number;
  readonly baseRate: number;
  readonly trajectory: readonly TrajectoryStep[];
  /** Trajectory index of the chosen box (before pasting), null when none qualifies. */
  readonly chosenStep: number | null;
  readonly rule: string;
  /** The chosen box after pasting and dropping restrictions that are not significant (`dropped`). */
  readonly box: (BoxStats & { readonly pasted: number; readonly dropped: readonly Limit[]; readonly restricted: readonly RestrictedLimit[]; readonly logTail: number }) | null;
  readonly permutation: { readonly permutations: number; readonly p: number; readonly stream: string } | null;
  readonly alpha: number;
  readonly significant: boolean;
}

export interface TreeNode {
  /** The split's condition from the parent ("x1 <= 0.5", "regime in {a, b}"); "all" at the root. */
  readonly condition: string;
  readonly n: number;
  readonly hits: number;
  readonly density: number;
  readonly children: readonly TreeNode[];
}


/** `tradesim discover`: PRIM and CART on sweep rows, cases of interest given by a condition. */
export interface DiscoveryResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'discovery';
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  readonly file: string;
  /** sha256 of the rows file read. */
  readonly sha256: string;
  /** The --where condition: a case of interest is a row where it holds. */
  readonly where: string;
  /** --arms COLUMN=A,B: the rows were pairs of arms A and B in the same world and seed (null: single rows). */
  readonly arms: string | null;
  readonly command: string;
  /** Rows read (pairs with --arms), and rows left out because the condition could not be evaluated (an undefined metric). */
  readonly rows: number;
  readonly skipped: number;
  readonly inputs: readonly { readonly name: string; readonly kind: 'number' | 'category' }[];
  readonly options: { readonly peelAlpha: number; readonly pasteAlpha: number; readonly massMin: number; readonly threshold: number | null; readonly step: number | null; readonly alpha: number; readonly permutations: number; readonly masterSeed: number; readonly depth: number };
  readonly prim: PrimResult;
  readonly tree: TreeNode;
  /** The command that made it (tradesim records it; absent in artifacts from before). */
  readonly provenance?: Provenance;
}

/**
 * `tradesim robustness`: lever combinations over the uncertain worlds of a levers x worlds sweep: each
 * metric's distribution, regret against the best combination in each world, satisficing, a ranking.
 */
export interface RobustnessResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly kind: 'robustness';
  readonly tool: { readonly name: 'tradesim'; readonly version: string };
  readonly file: string;
  readonly sha256: string;
  readonly command: string;
  readonly levers: readonly string[];
  /** Lever combinations in order of first appearance: "regime=bilateral, cap=2" and the values. */
  readonly combinations: readonly { readonly label: string; readonly values: readonly (string | number | boolean | null)[] }[];
  readonly worlds: number;
  readonly metrics: readonly {
    readonly metric: string;
    readonly direction: 'higher-better' | 'lower-better' | 'neutral';
    /** In the order of combinations: the distribution over worlds, and regret (null for a neutral metric). */
    readonly byCombination: readonly {
      readonly summary: DistributionSummary;
      readonly regret: { readonly mean: number; readonly q95: number; readonly max: number; readonly worlds: number } | null;
    }[];
  }[];
  /** --satisfy: the clauses and, per combination, the share of worlds meeting all of them. */
  readonly satisfy: { readonly clauses: readonly string[]; readonly byCombination: readonly { readonly share: number; readonly worlds: number }[] } | null;
  /** Combination labels, most robust first, by `criterion`. */
  readonly ranking: { readonly criterion: string; readonly order: readonly string[] };
  /** The command that made it (tradesim records it; absent in artifacts from before). */
  readonly provenance?: Provenance;
}

/** Anything tradesim writes as a JSON artifact. */
export type Artifact = Result | ComparisonResult | SensitivityResult | SobolResult | DiscoveryResult | RobustnessResult;

/** The artifacts the terminal replay opens (a sensitivity artifact has no runs to replay). */
export type ReplayableArtifact = Result | ComparisonResult;
