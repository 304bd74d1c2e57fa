/**
 * A sweep plan (`tradesim sweep plan`): one sweep split into shards for a batch system, with the files that
 * submit it. Its `plan.json` holds everything the files were made from, so that `merge --plan` can name the
 * commands that rerun missing shards, and `sweep plan --from DIR --only LIST` can write files for them.
 * Every task command runs in the plan's directory: `scenario.yaml` (the scenario with its `extends` chain
 * merged in, the same content hash), `plan.json`, and `results/` for the shards and the merged file.
 */
import { InputError } from '../../core/errors.js';
import type { DesignName } from '../design.js';
import type { RowFormat } from '../rows.js';

export const ENGINES = ['slurm', 'k8s', 'awsbatch', 'parallel'] as const;
export type Engine = (typeof ENGINES)[number];

/** One array job: the shards its tasks run, in order (task i runs the i-th). */
export interface ArraySpec {
  /** The file that holds or submits it, in the plan's directory. */
  readonly file: string;
  /** First and last shard: arrays are contiguous runs of shards. */
  readonly first: number;
  readonly last: number;
}

export interface PlanOptions {
  /** Threads per task (--workers of each task's sweep). */
  readonly workers: number;
  /** Most tasks running at once (null: as many as the scheduler allows). */
  readonly throttle: number | null;
  /** Retries of a failed task (per array index), beyond its first attempt. */
  readonly retries: number;
  readonly maxArraySize: number;
  /** The container image (k8s, awsbatch). */
  readonly image: string;
  /** The command that runs tradesim in a task (slurm, parallel), as words. */
  readonly tradesim: readonly string[];
  readonly memoryMb: number;
  /** A task's time limit (Slurm --time, AWS Batch attempt timeout), from the estimate. */
  readonly timeMinutes: number;
  /** Extra #SBATCH options, e.g. --partition=short. */
  readonly sbatch: readonly string[];
  /** AWS Batch: EFS file system id and job queue (null: from EFS_ID and JOB_QUEUE when submitting). */
  readonly efs: string | null;
  readonly queue: string | null;
  /** Kubernetes: an existing ReadWriteMany claim for results (null: the manifest makes one). */
  readonly pvc: string | null;
}

export interface PlanSweep {
  readonly vary: readonly string[];
  readonly sets: readonly string[];
  readonly design: DesignName;
  readonly samples: number | null;
  readonly seeds: number;
  readonly seedStart: number | null;
  readonly format: RowFormat;
}

export interface Plan {
  readonly kind: 'tradesim-sweep-plan';
  readonly schemaVersion: 1;
  readonly tool: string;
  readonly engine: Engine;
  /** Where the plan was written (absolute), named in the commands printed for resubmission. */
  readonly dir: string;
  /** Job name (a DNS label: Kubernetes, AWS Batch and Slurm all take it). */
  readonly name: string;
  readonly scenario: { readonly given: string; readonly file: string; readonly id: string; readonly hash: string };
  readonly sweep: PlanSweep;
  readonly points: number;
  readonly totalRuns: number;
  readonly shards: number;
  /** Shards asked for (--shards), before the minimum duration was applied. */
  readonly requestedShards: number | null;
  readonly minMinutes: number;
  readonly runsPerShard: number;
  /** Runs a second per task (all its workers), measured or given (--runs-per-second). */
  readonly rate: { readonly runsPerSecond: number; readonly measured: boolean; readonly on: string | null };
  readonly minutesPerShard: number;
  /** Bytes of a CSV row, measured (500 when the rate was given): sizes the results volume. */
  readonly bytesPerRow: number;
  readonly options: PlanOptions;
  /** Shard outputs ({shard} is the shard number) and the merged file, relative to the plan's directory. */
  readonly out: string;
  readonly merged: string;
  readonly arrays: readonly ArraySpec[];
}

export const PLAN_FILE = 'plan.json';
export const SCENARIO_FILE = 'scenario.yaml';

/** A plan.json, checked enough to use (merge --plan, sweep plan --from). */
export function parsePlan(text: string, file: string): Plan {
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch {
    p = undefined;
  }
  const ok = (x: unknown): x is Plan => typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'tradesim-sweep-plan' && (x as { schemaVersion?: unknown }).schemaVersion === 1;
  if (!ok(p) || !ENGINES.includes(p.engine)) {
    throw new InputError({ file, path: '--plan', message: 'not a tradesim sweep plan', expected: 'the plan.json that tradesim sweep plan wrote' });
  }
  return p;
}
