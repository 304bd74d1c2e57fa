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

/** The previous chunk of this thread, settled once its result has been handed back. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * One chunk at a time, each in a task of its own. The pool hands this thread a few chunks at once; evaluated
 * straight after one another (in microtasks), they held back every result until the last was done, so the
 * main thread saw nothing to hand out and this thread sat idle for up to half a second at a time. A
 * macrotask in between lets the pool post each result as soon as its chunk is done.
 */
export default function runChunk(task: ChunkTask): Promise<ChunkResult> {
  const result = previous.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => evaluateChunk(task));
  previous = result.catch(() => undefined);
  return result;
}

async function evaluateChunk(task: ChunkTask): Promise<ChunkResult> {
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
