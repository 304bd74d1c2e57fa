/** Sweep plans: shard counts from a rate, arrays under the size limit, and the files of each engine. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadScenarioFile, loadScenarioText } from '../../src/core/scenario/load.js';
import { emitPlan } from '../../src/research/plan/emit.js';
import type { Engine } from '../../src/research/plan/model.js';
import { makePlan, type PlanRequest } from '../../src/research/plan/plan.js';
import { resubmitCommands } from '../../src/research/plan/resubmit.js';

const TOY = 'scenarios/teaching/three-country.yaml';
const CAL = 'scenarios/bilateral-2025.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-plan-'));
// 2 points x 30 seeds = 60 runs; `rounds` is in every scenario.
const request = (engine: Engine, extra: Partial<PlanRequest> = {}): PlanRequest => ({
  engine,
  sweep: { scenario: TOY, vary: ['rounds=3,5'], seeds: 30 },
  format: 'csv',
  dir: tmp(),
  ...extra,
});

describe('sweep plan: shard counts', () => {
  it('keeps each shard at least --min-minutes at the rate given, and as asked with --min-minutes 0', async () => {
    // 60 runs at 0.02 runs/s = 50 min in all: at most 5 shards of 10 min.
    expect((await makePlan(request('slurm', { runsPerSecond: 0.02, shards: 16 }))).plan).toMatchObject({ shards: 5, requestedShards: 16, runsPerShard: 12, minutesPerShard: 10 });
    expect((await makePlan(request('slurm', { runsPerSecond: 0.02 }))).plan.shards).toBe(5);
    expect((await makePlan(request('slurm', { runsPerSecond: 0.02, shards: 3 }))).plan.shards).toBe(3);
    expect((await makePlan(request('slurm', { runsPerSecond: 0.02, shards: 16, minMinutes: 0 }))).plan.shards).toBe(16);
    expect((await makePlan(request('slurm', { runsPerSecond: 0.02, shards: 16, minMinutes: 25 }))).plan.shards).toBe(2);
    // Never more shards than runs, never none.
    expect((await makePlan(request('slurm', { runsPerSecond: 1e-6, shards: 500, minMinutes: 0 }))).plan.shards).toBe(60);
    expect((await makePlan(request('slurm', { runsPerSecond: 1e6 }))).plan.shards).toBe(1);
  });

  it('measures the rate on the sweep\'s own runs when not given, and says so', async () => {
    const notes: string[] = [];
    const { plan } = await makePlan(request('parallel', { shards: 4, measureSeconds: 0.2, note: (m) => notes.push(m) }));
    expect(plan.rate.measured).toBe(true);
    expect(plan.rate.runsPerSecond).toBeGreaterThan(0);
    expect(plan.bytesPerRow).toBeGreaterThan(50);
    // A toy sweep takes seconds: one shard, and a note that says why the 4 asked for were not used.
    expect(plan.shards).toBe(1);
    expect(notes.join('\n')).toMatch(/measured .* runs\/s/);
    expect(notes.join('\n')).toMatch(/4 shards would run .* under 10 min: using 1 \(--min-minutes 0 keeps 4\)/);
  });

  it('freezes the scenario with its extends chain merged in, to the same content hash', async () => {
    const { plan, scenarioText } = await makePlan({ ...request('k8s', { runsPerSecond: 1 }), sweep: { scenario: CAL, seeds: 2 } });
    expect(scenarioText).not.toMatch(/^extends:/m);
    expect(loadScenarioText(scenarioText, 'scenario.yaml').hash).toBe((await loadScenarioFile(CAL)).hash);
    expect(plan.scenario).toMatchObject({ given: CAL, file: 'scenario.yaml' });
  });

  it('refuses --min-minutes 0 without a shard count', async () => {
    await expect(makePlan(request('slurm', { runsPerSecond: 1, minMinutes: 0 }))).rejects.toThrow(/--shards/);
  });
});

describe('sweep plan: emitted files', () => {
  it('Slurm: arrays split under MaxArraySize (ids below it), later arrays through --shard-list; throttle, retries, time', async () => {
    const { plan, scenarioText } = await makePlan(request('slurm', { runsPerSecond: 1, shards: 7, minMinutes: 0, maxArraySize: 4, throttle: 2, retries: 2, workers: 2, sbatch: ['partition=short'] }));
    expect(plan.arrays).toEqual([
      { file: 'sweep-1.sbatch', first: 1, last: 3 },
      { file: 'sweep-2.sbatch', first: 4, last: 6 },
      { file: 'sweep-3.sbatch', first: 7, last: 7 },
    ]);
    const { files } = emitPlan(plan, scenarioText);
    const one = files.get('sweep-1.sbatch')?.text ?? '';
    const two = files.get('sweep-2.sbatch')?.text ?? '';
    expect(one).toMatch(/^#SBATCH --array=1-3%2$/m);
    expect(one).toMatch(/^#SBATCH --cpus-per-task=2$/m);
    expect(one).toMatch(/^#SBATCH --partition=short$/m);
    expect(one).toMatch(/^#SBATCH --time=\d\d:\d\d:00$/m);
    expect(one).toMatch(/for attempt in 1 2 3; do/);
    expect(one).toMatch(/--shard auto --shards 7 --out 'results\/part-\{shard\}\.csv' --resume/);
    expect(one).not.toMatch(/--shard-list/);
    expect(two).toMatch(/--shard auto --shards 7 --shard-list 4-6 /);
    expect(files.get('submit.sh')?.text).toMatch(/afterany:\$dep/);
    expect(files.get('merge.sbatch')?.text).toMatch(/merge 'results\/part-\{shard\}\.csv' --out results\/all\.csv --plan plan\.json/);
    // Resubmission: task ids are positions within each array; one command, with the merge after them.
    const [cmd] = resubmitCommands(plan, [2, 5, 7]);
    expect(cmd).toMatch(/sbatch --parsable --array=2 sweep-1\.sbatch.*sbatch --parsable --array=2 sweep-2\.sbatch.*sbatch --parsable --array=1 sweep-3\.sbatch.*--dependency=afterany:\$\{j1%%;\*\}:\$\{j2%%;\*\}:\$\{j3%%;\*\} merge\.sbatch/);
  });

  it('Kubernetes: ConfigMap with the scenario and plan, a claim, an Indexed Job with per-index retries, the merge Job', async () => {
    const { plan, scenarioText } = await makePlan(request('k8s', { runsPerSecond: 1, shards: 5, minMinutes: 0, throttle: 2, image: 'registry.example.org/tradesim:1' }));
    const { files } = emitPlan(plan, scenarioText);
    const docs = parseAllDocuments(files.get('job.yaml')?.text ?? '').map((d) => d.toJS() as { kind: string; data?: Record<string, string>; spec?: Record<string, unknown> });
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Job']);
    expect(docs[0]?.data?.['scenario.yaml']).toBe(scenarioText);
    expect(JSON.parse(docs[0]?.data?.['plan.json'] ?? '')).toEqual(plan);
    expect(docs[2]?.spec).toMatchObject({ completionMode: 'Indexed', completions: 5, parallelism: 2, backoffLimitPerIndex: 3 });
    const pod = (docs[2]?.spec?.template as { spec: { containers: { image: string; command: string[]; args: string[] }[]; securityContext: { runAsNonRoot: boolean } } }).spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0]?.image).toBe('registry.example.org/tradesim:1');
    expect([...(pod.containers[0]?.command ?? []), ...(pod.containers[0]?.args ?? [])].join(' ')).toMatch(/^tradesim sweep scenario\.yaml --vary rounds=3,5 --seeds 30 --workers 1 --shard auto --shards 5 --out results\/part-\{shard\}\.csv --resume$/);
    expect(files.has('merge-job.yaml')).toBe(true);
    // A resubmission: a Job of 2 indexes running shards 2 and 5.
    const retry = emitPlan(plan, scenarioText, [2, 5]);
    const job = parseAllDocuments(retry.files.get('job-retry.yaml')?.text ?? '')[0]?.toJS() as { metadata: { name: string }; spec: { completions: number; template: { spec: { containers: { args: string[] }[] } } } };
    expect(job.metadata.name).toBe(`${plan.name}-retry`);
    expect(job.spec.completions).toBe(2);
    expect(job.spec.template.spec.containers[0]?.args.join(' ')).toMatch(/--shards 5 --shard-list 2,5 /);
    expect(retry.submit).toEqual([`kubectl delete job ${plan.name}-retry --ignore-not-found`, 'kubectl apply -f job-retry.yaml']);
  });

  it('AWS Batch: a job definition with retries per child, arrays of at most 10,000, a single shard as a plain job', async () => {
    const { plan, scenarioText } = await makePlan(request('awsbatch', { runsPerSecond: 1, shards: 5, minMinutes: 0, maxArraySize: 2, queue: 'q1' }));
    const { files } = emitPlan(plan, scenarioText);
    const def = JSON.parse(files.get('job-definition.json')?.text ?? '') as { retryStrategy: { attempts: number; evaluateOnExit: unknown[] }; containerProperties: { command: string[] } };
    expect(def.retryStrategy).toEqual({ attempts: 4, evaluateOnExit: [{ onExitCode: '2', action: 'EXIT' }] });
    const subs = ['submit-1.json', 'submit-2.json', 'submit-3.json'].map((f) => JSON.parse(files.get(f)?.text ?? '') as { jobQueue: string; arrayProperties?: { size: number }; containerOverrides: { command: string[] } });
    expect(subs.map((s) => s.arrayProperties?.size ?? 1)).toEqual([2, 2, 1]);
    expect(subs[0]?.jobQueue).toBe('q1');
    expect(subs[1]?.containerOverrides.command.join(' ')).toMatch(/--shard auto --shards 5 --shard-list 3,4 /);
    expect(subs[2]?.containerOverrides.command.join(' ')).toMatch(/--shard 5\/5 /);
    expect(files.get('submit.sh')?.text).toMatch(/EFS_ID="\$\{EFS_ID:\?/);
  });
});
