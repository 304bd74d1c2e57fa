/** --shard auto: the shard from each batch system's array index, and the errors a user meets. */
import { describe, expect, it } from 'vitest';
import { formatShardList, INDEX_VARIABLES, outForShard, parseShard, parseShardList, shardFromEnv, type Env } from '../../src/research/shard-env.js';

const shard = (env: Env, opts: Parameters<typeof shardFromEnv>[1] = {}) => shardFromEnv(env, opts).shard;
const problem = (f: () => unknown): { path?: string; message: string; expected?: string } => {
  try {
    f();
  } catch (e) {
    return (e as { problems: { path?: string; message: string; expected?: string }[] }).problems[0] as { path?: string; message: string };
  }
  throw new Error('no error');
};

describe('--shard auto', () => {
  it('reads Slurm array ids as shard numbers, with the count from --shards, COUNT or MIN/MAX', () => {
    expect(shard({ SLURM_ARRAY_TASK_ID: '3' }, { shards: 8 })).toEqual({ index: 3, count: 8 });
    expect(shard({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })).toEqual({ index: 3, count: 8 });
    expect(shard({ SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })).toEqual({ index: 8, count: 8 });
    // An array from 0 is read as 0-based.
    expect(shard({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '7' })).toEqual({ index: 1, count: 8 });
    // A resubmission (sbatch --array=3,7) keeps the shard numbers; the sweep's count comes from --shards.
    expect(shard({ SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '7' }, { shards: 8 })).toEqual({ index: 7, count: 8 });
    expect(problem(() => shard({ SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '2' })).message).toMatch(/gives shard 7, but the sweep has 2/);
  });

  it('reads the 0-based indexes of Kubernetes and AWS Batch, and GNU parallel\'s 1-based sequence', () => {
    expect(shard({ JOB_COMPLETION_INDEX: '0' }, { shards: 4 })).toEqual({ index: 1, count: 4 });
    expect(shard({ JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' })).toEqual({ index: 4, count: 4 });
    expect(shard({ AWS_BATCH_JOB_ARRAY_INDEX: '2' }, { shards: 4 })).toEqual({ index: 3, count: 4 });
    expect(shard({ PARALLEL_SEQ: '2' }, { shards: 4 })).toEqual({ index: 2, count: 4 });
    // GNU parallel inside a Slurm task: the innermost launcher counts.
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '5', PARALLEL_SEQ: '1' }, { shards: 8 })).toEqual({ shard: { index: 1, count: 8 }, from: 'PARALLEL_SEQ=1' });
  });

  it('maps task positions through --shard-list (resubmissions, arrays past the size limit)', () => {
    expect(shard({ JOB_COMPLETION_INDEX: '1' }, { shards: 8, list: [3, 7] })).toEqual({ index: 7, count: 8 });
    expect(shard({ SLURM_ARRAY_TASK_ID: '3' }, { shards: 3000, list: parseShardList('1001-2000') })).toEqual({ index: 1003, count: 3000 });
    expect(problem(() => shard({ JOB_COMPLETION_INDEX: '2' }, { shards: 8, list: [3, 7] })).path).toBe('--shard-list');
    // The array's own size is not the sweep's: a list needs --shards.
    expect(problem(() => shard({ JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '2' }, { list: [3, 7] })).path).toBe('--shards');
  });

  it('names every variable when none is set, and the flag when the count is unknown', () => {
    const none = problem(() => shard({}));
    expect(none.path).toBe('--shard');
    for (const v of INDEX_VARIABLES) expect(none.expected).toContain(v);
    expect(problem(() => shard({ AWS_BATCH_JOB_ARRAY_INDEX: '0' })).path).toBe('--shards');
    expect(problem(() => shard({ JOB_COMPLETION_INDEX: 'x' }, { shards: 2 })).message).toMatch(/JOB_COMPLETION_INDEX is not an array index/);
    expect(problem(() => shard({ JOB_COMPLETION_INDEX: '4' }, { shards: 4 })).message).toMatch(/gives shard 5, but the sweep has 4/);
  });

  it('reads and writes shard lists in array syntax, and puts the shard in --out', () => {
    expect(parseShardList('3,7,10-12')).toEqual([3, 7, 10, 11, 12]);
    expect(formatShardList([1, 2, 3, 5, 7, 8])).toBe('1-3,5,7,8');
    expect(formatShardList([4])).toBe('4');
    expect(parseShardList(formatShardList([2, 3, 4, 9]))).toEqual([2, 3, 4, 9]);
    for (const bad of ['', '0', '3-1', '2,2', 'a']) expect(() => parseShardList(bad)).toThrow(/--shard-list/);
    expect(outForShard('results/part-{shard}.csv', { index: 3, count: 8 })).toBe('results/part-3.csv');
    expect(outForShard('plain.csv', null)).toBe('plain.csv');
    expect(() => outForShard('part-{shard}.csv', null)).toThrow(/--out/);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('4/3')).toThrow(/--shard/);
  });
});
