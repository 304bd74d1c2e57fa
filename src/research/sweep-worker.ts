/**
 * Worker-thread entry of a sweep (run by tinypool): builds the evaluator once per plan, then evaluates
 * chunks of runs. Input errors come back as data, since an Error loses its problem list crossing threads.
 */
import { deserialize } from 'node:v8';
import { InputError, type InputProblem } from '../core/errors.js';
import type { ScenarioSource } from '../core/scenario/load.js';
import { makeEvaluator, type Evaluate, type SweepPlan } from './sweep-eval.js';
import type { RowValues } from './rows.js';

export interface ChunkTask {
  readonly planKey: string;
  /** The plan without its source, which comes as `source`. */
  readonly plan: SweepPlan;
  /** The plan's ScenarioSource, v8-serialized once and shared by every task rather than cloned into each. */
  readonly source?: SharedArrayBuffer;
  readonly from: number;
  readonly to: number;
}

export type ChunkResult = { readonly rows: RowValues[] } | { readonly problems: readonly InputProblem[] };

let current: { key: string; evaluate: Promise<Evaluate> } | undefined;

export default async function runChunk(task: ChunkTask): Promise<ChunkResult> {
  try {
    if (current?.key !== task.planKey) {
      const plan = task.source === undefined ? task.plan : { ...task.plan, source: deserialize(new Uint8Array(task.source)) as ScenarioSource };
      current = { key: task.planKey, evaluate: makeEvaluator(plan) };
    }
    const evaluate = await current.evaluate;
    return { rows: evaluate(task.from, task.to) };
  } catch (e) {
    if (e instanceof InputError) return { problems: e.problems };
    throw e;
  }
}
