/**
 * Library entry point: `import { loadScenarioFile, runScenario } from 'tradesim'`.
 * The same functions the CLI uses; results are the versioned artifact described in src/core/events.ts.
 */
export { loadScenarioFile, loadScenarioText } from './core/scenario/load.js';
export { ScenarioSchema, type Scenario, type ChipsScenario, type BargainingScenario } from './core/scenario/schema.js';
export { runScenario, runChips, runBargaining, type RunOptions } from './sim/run.js';
export { InputError, type InputProblem } from './core/errors.js';
export { RESULT_SCHEMA_VERSION } from './core/events.js';
export type * from './core/events.js';
export { builtinRegimes } from './sim/regimes/index.js';
export { strategies } from './sim/strategies/index.js';
export { negotiate } from './negotiation/mechanism.js';
export type * from './negotiation/types.js';
export { textReport } from './report/text.js';
export { compare, compareArms, armLabels, type CompareOptions, type CompareArm, type CompareArmsOptions } from './research/compare.js';
export { sweep, prepareSweep, sweepChunks, startSweep, ChunkSchedule, type SweepOptions, type SweepMeta, type PreparedSweep } from './research/sweep.js';
export { sweepToFile, type SweepFileOptions, type SweepSummary } from './research/sweep-file.js';
export { mergeSweeps, MergeCheckError, type MergeSummary } from './research/merge.js';
export { columnsFor, type SweepRow, type RowValue, type RowValues, type RowFormat } from './research/rows.js';
export { FINAL_METRIC_KEYS } from './research/metrics.js';
export { chipsRunner } from './sim/run.js';
export { scenarioLoader, type LoadedScenario, type LoadOptions } from './core/scenario/load.js';
export { oneAtATime, morris, type RunMetric } from './research/sensitivity.js';
export { readReportInput } from './report/input.js';
export { buildReport } from './report/build.js';
export { renderHtml, renderMarkdown } from './report/doc.js';
// Classroom mode (tradesim play / debrief): exercises, sessions replayed from the student's moves, debriefs.
export { loadExercise, type LoadedExercise } from './classroom/exercise.js';
export { advance, resolveSeats, sessionFile, type Session, type SessionState, type SessionFile } from './classroom/session.js';
export { explainInvalid, type Move, type Turn } from './classroom/human.js';
export { buildDebrief, type Debrief } from './classroom/debrief.js';
// Decision support under deep uncertainty (docs/research.md, "Deep uncertainty"): comparisons over uncertain
// worlds, levers x worlds designs, Sobol indices, scenario discovery, robustness.
export { compareUncertain, type UncertainCompareOptions } from './research/uncertainty.js';
export { quantileOf, distText, type Dist, type DistValue } from './research/distributions.js';
export { sobolScenario, sobolFunction, parseParam, type SobolScenarioOptions, type SobolFunctionOptions } from './research/sobol-run.js';
export { sobolIndices, saltelliBlocks, convergenceSizes, type SobolOptions, type SobolEstimate } from './research/sobol.js';
export { prim, cart, logBinomialTail, type InputColumn, type PrimOptions } from './research/prim.js';
export { discover, pairArms, parseTable, readTable, type Table, type DiscoverOptions } from './research/discover.js';
export { robustness, splitClauses, type RobustnessOptions } from './research/robustness.js';
