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
export { oneAtATime, morris, type RunMetric } from './research/sensitivity.js';
export { readReportInput } from './report/input.js';
export { buildReport } from './report/build.js';
export { renderHtml, renderMarkdown } from './report/doc.js';
