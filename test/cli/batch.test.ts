/**
 * `tradesim sweep plan` end to end, without a cluster: each engine's files are rendered, every task command
 * they contain runs here as the scheduler would run it (with its index variable set, in the plan's
 * directory), the merge step runs, and the merged file must equal the unsharded sweep byte for byte. Also a
 * task killed and retried, and shards resubmitted after the merge names them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cli, hasStackTrace, ROOT } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../bin/tradesim.js', import.meta.url));
const TOY = 'scenarios/teaching/three-country.yaml';
const CAL = 'scenarios/bilateral-2025.yaml';
// 2 points x 6 seeds; `rounds` is in every scenario, so the test does not depend on the world's parameters.
const SWEEP = ['--vary', 'rounds=3,5', '--seeds', '6'];
const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-batch-'));

// A `tradesim` on PATH, as in the image the Kubernetes and AWS Batch manifests run.
const shims = tmp();
writeFileSync(join(shims, 'tradesim'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
chmodSync(join(shims, 'tradesim'), 0o755);
// Index variables of the machine running the tests (a CI job on a cluster) must not leak into the tasks.
const CLEAN = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLURM_|JOB_COMPLETION|PARALLEL_|AWS_BATCH_)/.test(k)));

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function exec(words: readonly string[], cwd: string, env: Record<string, string> = {}): Ran {
  const [cmd, ...args] = words;
  const r = spawnSync(cmd as string, args, { cwd, env: { ...CLEAN, NO_COLOR: '1', PATH: `${shims}:${process.env.PATH ?? ''}`, ...env }, encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function plan(engine: string, dir: string, extra: readonly string[] = [], scenario = TOY, sweep = SWEEP): { files: string[]; submit: string[] } {
  const r = cli(['sweep', 'plan', scenario, ...sweep, '--shards', '3', '--min-minutes', '0', '--runs-per-second', '50', '--emit', engine, '--dir', dir, '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { files: string[]; submit: string[] };
}

const read = (f: string) => readFileSync(f, 'utf8');

/** A child process of `pid`, from /proc (Linux): the tradesim a job script runs. */
function childOf(pid: number): number | undefined {
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      // The fields after the command name (in parentheses, which may hold spaces): state, then the parent's pid.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) return Number(d);
    } catch {
      // The process ended meanwhile.
    }
  }
  return undefined;
}

let unsharded = '';
beforeAll(() => {
  const out = join(tmp(), 'all.csv');
  const r = cli(['sweep', TOY, ...SWEEP, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  unsharded = read(out);
});

/** The tasks of the Kubernetes Indexed Jobs and the merge Job of a plan, as argv lists with their index variable. */
function k8sTasks(dir: string, file: string): { argv: string[]; env: Record<string, string> }[] {
  const docs = parseAllDocuments(read(join(dir, file))).map((d) => d.toJS() as { kind: string; spec: { completions?: number; template: { spec: { containers: { command: string[]; args: string[] }[] } } } });
  return docs
    .filter((d) => d.kind === 'Job')
    .flatMap((d) => {
      const c = d.spec.template.spec.containers[0] as { command: string[]; args: string[] };
      return Array.from({ length: d.spec.completions ?? 1 }, (_, i) => ({ argv: [...c.command, ...c.args], env: d.spec.completions !== undefined ? { JOB_COMPLETION_INDEX: String(i) } : {} }));
    });
}

describe('tradesim sweep plan: each engine run here as its scheduler would', () => {
  it('Slurm: every array task (SLURM_ARRAY_TASK_ID), then merge.sbatch; a missing shard named and resubmitted', () => {
    const dir = tmp();
    const { files } = plan('slurm', dir);
    expect(files).toEqual(expect.arrayContaining(['sweep.sbatch', 'merge.sbatch', 'submit.sh', 'plan.json', 'scenario.yaml', 'README.md']));
    const script = read(join(dir, 'sweep.sbatch'));
    const array = /^#SBATCH --array=1-(\d+)$/m.exec(script);
    expect(array?.[1]).toBe('3');
    // As Slurm sets them for --array=1-3; shard 2 is "lost".
    const slurm = (id: number) => exec(['bash', join(dir, 'sweep.sbatch')], tmp(), { SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' });
    for (const id of [1, 3]) expect(slurm(id).code).toBe(0);
    const m1 = exec(['bash', join(dir, 'merge.sbatch')], tmp());
    expect(m1.code).toBe(1);
    expect(m1.stderr).toMatch(/run again shard 2 of 3 \(--array=2\)/);
    expect(m1.stderr).toMatch(/sbatch --parsable --array=2 sweep\.sbatch/);
    expect(existsSync(join(dir, 'results/all.csv'))).toBe(false);
    // The resubmitted task (sbatch --array=2): Slurm's variables describe the new one-task array.
    const again = exec(['bash', join(dir, 'sweep.sbatch')], tmp(), { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '2', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '1' });
    expect(again.code, again.stderr).toBe(0);
    const m2 = exec(['bash', join(dir, 'merge.sbatch')], tmp());
    expect(m2.code, m2.stderr).toBe(0);
    expect(read(join(dir, 'results/all.csv'))).toBe(unsharded);
  });

  it('Kubernetes: every index of the Indexed Job (JOB_COMPLETION_INDEX), the merge Job; a failed index rerun from merge\'s command', () => {
    const dir = tmp();
    plan('k8s', dir);
    // The ConfigMap carries the same scenario and plan the directory holds: the pod sees what the tasks here see.
    const input = parseAllDocuments(read(join(dir, 'job.yaml')))[0]?.toJS() as { data: Record<string, string> };
    expect(input.data['scenario.yaml']).toBe(read(join(dir, 'scenario.yaml')));
    expect(input.data['plan.json']).toBe(read(join(dir, 'plan.json')));
    const tasks = k8sTasks(dir, 'job.yaml');
    expect(tasks).toHaveLength(3);
    for (const t of [tasks[0], tasks[2]]) expect(exec(t?.argv ?? [], dir, t?.env).code).toBe(0);
    const [merge] = k8sTasks(dir, 'merge-job.yaml');
    const m1 = exec(merge?.argv ?? [], dir);
    expect(m1.code).toBe(1);
    // The command merge prints writes the Job that reruns the shard.
    const replan = /^ {2}(cd .* && .* sweep plan --from \. --only 2)$/m.exec(m1.stderr)?.[1];
    expect(replan, m1.stderr).toBeDefined();
    expect(exec(['bash', '-c', replan as string], ROOT).code).toBe(0);
    const retry = k8sTasks(dir, 'job-retry.yaml');
    expect(retry).toHaveLength(1);
    expect(exec(retry[0]?.argv ?? [], dir, retry[0]?.env).code).toBe(0);
    const m2 = exec(merge?.argv ?? [], dir);
    expect(m2.code, m2.stderr).toBe(0);
    expect(read(join(dir, 'results/all.csv'))).toBe(unsharded);
  });

  it('AWS Batch: every child of the array job (AWS_BATCH_JOB_ARRAY_INDEX), then the merge job', () => {
    const dir = tmp();
    plan('awsbatch', dir, ['--queue', 'q']);
    const submit = JSON.parse(read(join(dir, 'submit.json'))) as { arrayProperties: { size: number }; containerOverrides: { command: string[] } };
    const definition = JSON.parse(read(join(dir, 'job-definition.json'))) as { containerProperties: { command: string[] } };
    expect(submit.containerOverrides.command).toEqual(definition.containerProperties.command);
    for (let i = 0; i < submit.arrayProperties.size; i++) {
      const r = exec(submit.containerOverrides.command, dir, { AWS_BATCH_JOB_ARRAY_INDEX: String(i) });
      expect(r.code, r.stderr).toBe(0);
    }
    const merge = JSON.parse(read(join(dir, 'submit-merge.json'))) as { containerOverrides: { command: string[] } };
    const m = exec(merge.containerOverrides.command, dir);
    expect(m.code, m.stderr).toBe(0);
    expect(read(join(dir, 'results/all.csv'))).toBe(unsharded);
  });

  const parallel = spawnSync('parallel', ['--version'], { encoding: 'utf8' });
  const noParallel = parallel.status === 0 ? '' : '(skipped: GNU parallel is not installed; apt-get install -y parallel, as .ci/run does)';
  it.skipIf(noParallel !== '')(`GNU parallel: sweep.sh runs the shards (PARALLEL_SEQ) and merges; ./sweep.sh 2 reruns a shard ${noParallel}`, () => {
    const dir = tmp();
    plan('parallel', dir);
    const all = exec([join(dir, 'sweep.sh')], tmp());
    expect(all.code, all.stderr).toBe(0);
    expect(read(join(dir, 'results/all.csv'))).toBe(unsharded);
    rmSync(join(dir, 'results/part-2.csv'));
    rmSync(join(dir, 'results/all.csv'));
    const m = cli(['merge', 'results/part-{shard}.csv', '--out', 'results/all.csv', '--plan', 'plan.json'], { cwd: dir });
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/ {2}cd .* && \.\/sweep\.sh 2$/m);
    const again = exec([join(dir, 'sweep.sh'), '2'], tmp());
    expect(again.code, again.stderr).toBe(0);
    expect(read(join(dir, 'results/all.csv'))).toBe(unsharded);
  });

  it('a task killed mid-shard is retried by the job script and continues its file: the merge is still the unsharded sweep', async () => {
    const dir = tmp();
    // A heavier world, so that a shard runs long enough to be killed part way.
    const sweep = ['--seeds', '200'];
    plan('slurm', dir, ['--shards', '2'], CAL, sweep);
    const part = join(dir, 'results/part-2.csv');
    const rows = () => (existsSync(part) ? read(part).split('\n').length - 2 : -1);
    const task = spawn('bash', [join(dir, 'sweep.sbatch')], { env: { ...CLEAN, SLURM_ARRAY_TASK_ID: '2' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    task.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((resolve) => task.on('close', resolve));
    for (let i = 0; i < 3000 && rows() < 1; i++) await new Promise((r) => setTimeout(r, 10));
    // SIGKILL the tradesim under the script, as an out-of-memory killer would.
    const pid = childOf(task.pid as number);
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    expect(await done).toBe(0);
    expect(stderr).toMatch(/tradesim exited with 137 \(attempt 1 of 4\)/);
    expect(exec(['bash', join(dir, 'sweep.sbatch')], dir, { SLURM_ARRAY_TASK_ID: '1' }).code).toBe(0);
    expect(exec(['bash', join(dir, 'merge.sbatch')], dir).code).toBe(0);
    const whole = join(tmp(), 'whole.csv');
    expect(cli(['sweep', CAL, ...sweep, '--workers', '2', '--out', whole]).code).toBe(0);
    expect(read(join(dir, 'results/all.csv'))).toBe(read(whole));
  }, 60_000);
});

describe('tradesim sweep plan and --shard auto: the command line', () => {
  it('--help for plan, and --shard auto / --shards / --shard-list / --allow-mixed in sweep --help', () => {
    const h = cli(['sweep', 'plan', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Usage: tradesim sweep plan/);
    for (const flag of ['--emit', '--shards', '--min-minutes', '--runs-per-second', '--max-array-size', '--throttle', '--retries', '--image', '--from', '--only', 'Exit codes']) expect(h.stdout).toContain(flag);
    const s = cli(['sweep', '--help']).stdout;
    for (const flag of ['--shard auto', '--shards N', '--shard-list', '--allow-mixed', '{shard}', 'sweep plan']) expect(s).toContain(flag);
    const m = cli(['merge', '--help']).stdout;
    for (const flag of ['--plan', '--allow-mixed', '{shard}']) expect(m).toContain(flag);
  });

  it('--shard auto with no index variable exits 2 naming them; with one, it runs that shard into {shard}', () => {
    const dir = tmp();
    const none = exec([process.execPath, BIN, 'sweep', TOY, ...SWEEP, '--shard', 'auto', '--shards', '3', '--out', join(dir, 'part-{shard}.csv')], ROOT);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--shard: auto: no array index in the environment; expected one of PARALLEL_SEQ .*JOB_COMPLETION_INDEX .*AWS_BATCH_JOB_ARRAY_INDEX .*SLURM_ARRAY_TASK_ID/);
    expect(hasStackTrace(none.stderr)).toBe(false);
    const one = exec([process.execPath, BIN, 'sweep', TOY, ...SWEEP, '--shard', 'auto', '--shards', '3', '--out', join(dir, 'part-{shard}.csv'), '--json'], ROOT, { JOB_COMPLETION_INDEX: '1' });
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ out: join(dir, 'part-2.csv'), shard: { index: 2, count: 3 }, runs: 4 });
    const stray = cli(['sweep', TOY, ...SWEEP, '--shard', '1/3', '--shards', '3', '--out', join(dir, 'x.csv')]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--shards goes with --shard auto/);
  });

  it('refuses bad plan input with exit 2 and a message naming the flag; --json prints JSON only', () => {
    const dir = tmp();
    for (const [args, pattern] of [
      [['--emit', 'pbs'], /--emit: unknown engine; expected slurm, k8s, awsbatch, parallel/],
      [[], /--emit: missing --emit/],
      [['--emit', 'slurm', '--min-minutes', '0'], /--shards: with --min-minutes 0 the shard count must be given/],
      [['--emit', 'slurm', '--name', 'Bad Name'], /--name: not a job name/],
      [['--emit', 'slurm', '--vary', 'nowhere.x=1,2'], /--vary/],
    ] as const) {
      const r = cli(['sweep', 'plan', TOY, ...SWEEP, '--runs-per-second', '10', '--dir', join(dir, 'p'), ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    const used = join(dir, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'notes.txt'), 'x');
    const r = cli(['sweep', 'plan', TOY, ...SWEEP, '--runs-per-second', '10', '--emit', 'slurm', '--dir', used]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dir: .* already holds a plan or other files/);
    const only = cli(['sweep', 'plan', TOY, '--only', '3', '--emit', 'slurm']);
    expect(only.stderr).toMatch(/--only goes with --from/);
    const fine = cli(['sweep', 'plan', TOY, ...SWEEP, '--runs-per-second', '10', '--emit', 'parallel', '--dir', join(dir, 'ok'), '--json']);
    expect(fine.code).toBe(0);
    expect(() => JSON.parse(fine.stdout) as unknown).not.toThrow();
  });
});
