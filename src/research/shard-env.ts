/**
 * `--shard auto`: which shard this task runs, from the index a batch system gives each task of an array, so
 * that every task runs the same command (no index arithmetic in job scripts):
 *
 * - GNU parallel: PARALLEL_SEQ, 1-based;
 * - a Kubernetes Indexed Job: JOB_COMPLETION_INDEX, 0-based (the count from --shards, or JOB_COMPLETIONS,
 *   which Kubernetes does not set itself: a manifest sets it to the Job's completions);
 * - an AWS Batch array job: AWS_BATCH_JOB_ARRAY_INDEX, 0-based;
 * - a Slurm array: SLURM_ARRAY_TASK_ID, read as the shard number (--array=1-N, so that `sbatch --array=3,7`
 *   reruns shards 3 and 7); an array that starts at 0 (SLURM_ARRAY_TASK_MIN=0) is read as 0-based. The count
 *   from --shards, else SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MAX - SLURM_ARRAY_TASK_MIN + 1.
 *
 * The task's 0-based position p in its array gives shard p + 1, or with --shard-list L the (p+1)-th shard of
 * L: an array of a few shards (a resubmission, `--shard-list 3,7`) or one of several arrays when a scheduler
 * caps the array size (`--shard-list 1001-2000`). When several variables are set (GNU parallel inside a Slurm
 * job), the innermost launcher wins, in the order above.
 */
import { InputError } from '../core/errors.js';
import type { Shard } from './design.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The index variables `--shard auto` reads, innermost launcher first. */
export const INDEX_VARIABLES = ['PARALLEL_SEQ', 'JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX', 'SLURM_ARRAY_TASK_ID'] as const;

const LAUNCHERS: Readonly<Record<(typeof INDEX_VARIABLES)[number], string>> = {
  PARALLEL_SEQ: 'GNU parallel',
  JOB_COMPLETION_INDEX: 'a Kubernetes Indexed Job',
  AWS_BATCH_JOB_ARRAY_INDEX: 'an AWS Batch array job',
  SLURM_ARRAY_TASK_ID: 'a Slurm array',
};

/** Most shards a sweep may have (as --shard k/N). */
export const MAX_SHARDS = 1_000_000;

export interface AutoShard {
  readonly shard: Shard;
  /** The variable read and its value, e.g. "SLURM_ARRAY_TASK_ID=3", for messages. */
  readonly from: string;
}

function wholeNumber(env: Env, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v.trim())) {
    throw new InputError({ path: '--shard', message: `auto: ${name} is not an array index`, expected: 'a whole number', found: JSON.stringify(v) });
  }
  return Number(v.trim());
}

/** "3,7,10-12" -> [3, 7, 10, 11, 12]: shard numbers from 1, each once, in the order given. */
export function parseShardList(text: string, flag = '--shard-list'): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const bad = (why: string) => new InputError({ path: flag, message: why, expected: 'shard numbers from 1 and ranges, e.g. 3,7 or 1001-2000', found: JSON.stringify(text) });
  for (const item of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
    if (!m) throw bad('not a list of shards');
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi < lo) throw bad(`${item.trim()} is not a shard or a range of shards`);
    if (out.length + hi - lo + 1 > MAX_SHARDS) throw bad(`more than ${MAX_SHARDS} shards`);
    for (let k = lo; k <= hi; k++) {
      if (seen.has(k)) throw bad(`shard ${k} is listed twice`);
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}

/** [3, 7, 10, 11, 12] -> "3,7,10-12" (Slurm's --array syntax, also read by parseShardList). */
export function formatShardList(shards: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < shards.length; ) {
    let j = i;
    while (j + 1 < shards.length && (shards[j + 1] as number) === (shards[j] as number) + 1) j++;
    parts.push(j > i + 1 ? `${shards[i] as number}-${shards[j] as number}` : shards.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

/** The task's position in its array (0-based) and the array's size where the launcher says it. */
function position(env: Env): { name: (typeof INDEX_VARIABLES)[number]; p: number; count: number | undefined } | undefined {
  for (const name of INDEX_VARIABLES) {
    const v = wholeNumber(env, name);
    if (v === undefined) continue;
    if (name === 'PARALLEL_SEQ') {
      if (v < 1) throw new InputError({ path: '--shard', message: 'auto: PARALLEL_SEQ starts at 1', found: '0' });
      return { name, p: v - 1, count: undefined };
    }
    if (name === 'JOB_COMPLETION_INDEX') return { name, p: v, count: wholeNumber(env, 'JOB_COMPLETIONS') };
    if (name === 'AWS_BATCH_JOB_ARRAY_INDEX') return { name, p: v, count: undefined };
    const min = wholeNumber(env, 'SLURM_ARRAY_TASK_MIN');
    const max = wholeNumber(env, 'SLURM_ARRAY_TASK_MAX');
    const count = wholeNumber(env, 'SLURM_ARRAY_TASK_COUNT') ?? (min !== undefined && max !== undefined ? max - min + 1 : undefined);
    if (min === 0) return { name, p: v, count };
    if (v < 1) throw new InputError({ path: '--shard', message: 'auto: SLURM_ARRAY_TASK_ID is read as the shard number, from 1', expected: '--array=1-N (or an array that starts at 0)', found: '0' });
    return { name, p: v - 1, count };
  }
  return undefined;
}

/**
 * The shard of this task. `shards`: --shards N (the sweep's shard count); `list`: --shard-list. Throws an
 * InputError naming the variables when none is set, or when the index does not fit.
 */
export function shardFromEnv(env: Env, opts: { readonly shards?: number; readonly list?: readonly number[] } = {}): AutoShard {
  const at = position(env);
  if (at === undefined) {
    throw new InputError({
      path: '--shard',
      message: 'auto: no array index in the environment',
      expected: `one of ${INDEX_VARIABLES.map((n) => `${n} (${LAUNCHERS[n]})`).join(', ')}; or --shard k/N`,
    });
  }
  const from = `${at.name}=${env[at.name]?.trim() ?? ''}`;
  const count = opts.shards ?? (opts.list === undefined ? at.count : undefined);
  if (count === undefined) {
    throw new InputError({ path: '--shards', message: `auto: ${LAUNCHERS[at.name]} (${from}) does not say how many shards the sweep has`, expected: '--shards N, the number of shards' });
  }
  let index: number;
  if (opts.list !== undefined) {
    const k = opts.list[at.p];
    if (k === undefined) throw new InputError({ path: '--shard-list', message: `auto: ${from} is task ${at.p + 1} of an array, but the list has ${opts.list.length} shard(s)`, expected: 'one shard in --shard-list per task of the array' });
    index = k;
  } else index = at.p + 1;
  if (count < 1 || count > MAX_SHARDS || index > count) {
    throw new InputError({ path: opts.shards !== undefined ? '--shards' : '--shard', message: `auto: ${from} gives shard ${index}, but the sweep has ${count} shard(s)`, expected: `shards 1 to ${count}; give --shards N for an array that runs only some shards` });
  }
  return { shard: { index, count }, from };
}

/** "k/N" -> { index: k, count: N }. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || !(n >= 1) || !(k >= 1 && k <= n) || n > MAX_SHARDS) {
    throw new InputError({ path: '--shard', message: 'not a shard', expected: 'k/N with 1 <= k <= N, e.g. --shard 3/8 (the 3rd of 8 shards), or auto', found: JSON.stringify(text) });
  }
  return { index: k, count: n };
}

/** The placeholder in --out replaced with the shard number: one command for every task of an array. */
export const SHARD_PLACEHOLDER = '{shard}';

export function outForShard(out: string, shard: Shard | null): string {
  if (!out.includes(SHARD_PLACEHOLDER)) return out;
  if (shard === null) throw new InputError({ path: '--out', message: `${SHARD_PLACEHOLDER} in --out needs a shard`, expected: '--shard k/N or --shard auto', found: JSON.stringify(out) });
  return out.split(SHARD_PLACEHOLDER).join(String(shard.index));
}
