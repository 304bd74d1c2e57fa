import { chmod, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Engine, Plan } from '../../research/plan/model.js';
import { intFlag, parse, strings } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';
import { diag, writeAtomic } from '../io.js';
import { designOptions, SWEEP_DESIGN_FLAGS } from './sweep.js';

export const SWEEP_PLAN_HELP = `Usage: tradesim sweep plan <scenario> --vary SPEC... [sweep options] --emit ENGINE [--shards N] [options]
       tradesim sweep plan --from DIR [--only LIST]

Write a ready batch job for a sweep: the sweep split into shards, the script or manifest that runs one shard
per array task (--shard auto, --resume, retries per task), the merge step, and a README block with the
commands to copy. Every task writes results/part-{shard}.csv in the plan's directory; the merge gives the file
the unsharded sweep would, byte for byte. Shard sizes come from runs/s measured here (a few seconds of the
sweep's own runs): no shard shorter than --min-minutes (default 10), as scheduling and start-up cost minutes.

Engines (--emit):
  slurm      sweep.sbatch (an array job; split under MaxArraySize), merge.sbatch, submit.sh
  k8s        job.yaml (ConfigMap with the scenario, results claim, Indexed Job), merge-job.yaml, fetch-pod.yaml
  awsbatch   job-definition.json, submit.json (array job), submit-merge.json, submit.sh
  parallel   sweep.sh (GNU parallel, then the merge)
Kubernetes and AWS Batch run the image of the Containerfile in the tradesim source (see --image).

Sweep options (as tradesim sweep): --vary SPEC (repeatable), --seeds N, --seed-start S, --design D,
--samples K, --set PATH=V (repeatable), --format csv|jsonl (default csv).

Options:
  --emit ENGINE          slurm, k8s, awsbatch or parallel
  --shards N             shards wanted: at most N (fewer if shards would run under --min-minutes)
  --dir DIR              where to write the plan (default sweep-ENGINE); refused if it holds files, unless --force
  --workers K            threads a task (its --workers; default 1); Slurm asks for K CPUs a task
  --min-minutes M        shortest shard, in minutes (default 10; 0 keeps --shards as given)
  --runs-per-second R    a task's speed, instead of measuring it
  --measure-seconds S    how long to measure (default 3)
  --throttle P           at most P tasks at once (Slurm %P, Kubernetes parallelism, parallel --jobs)
  --retries R            retries of a failed task, each continuing its file (default 3)
  --max-array-size S     the scheduler's array limit (Slurm MaxArraySize, default 1001; AWS Batch 10000;
                         Kubernetes 100000): more shards are split over several arrays
  --image IMAGE          container image for k8s and awsbatch (default tradesim:VERSION)
  --tradesim CMD         the command that runs tradesim in a Slurm or parallel task (default: this Node and
                         this tradesim, by absolute path; e.g. "apptainer exec tradesim.sif tradesim")
  --memory MB            memory a task (default 512 + 512 a worker)
  --sbatch OPT           an extra #SBATCH line (repeatable), e.g. --sbatch partition=short
  --efs ID, --queue Q    AWS Batch: the EFS file system and job queue (else EFS_ID, JOB_QUEUE when submitting)
  --pvc NAME             Kubernetes: an existing ReadWriteMany claim for results/ (else the manifest makes one)
  --name NAME            job name (default tradesim-<scenario id>-<hash>)
  --from DIR             read DIR/plan.json instead of measuring again (with --only)
  --only LIST            with --from: write the files that run just these shards again (e.g. 3,7), as
                         "tradesim merge --plan" prints
  --force                write into a DIR that holds files (never touches results/)
  --json                 print {dir, files, submit, plan} on stdout instead of the README block
  -h, --help             show this help

Examples:
  tradesim sweep plan scenarios/bilateral-2025.yaml --vary exporter.supplyPerRound=300000:500000:21 \\
    --seeds 200 --shards 64 --emit slurm --dir sweep-slurm && sweep-slurm/submit.sh
  tradesim sweep plan scenarios/teaching/three-country.yaml --vary countries[MID].patience=0.6:0.95:8 \\
    --seeds 500 --emit k8s --image registry.example.org/tradesim:0.1.0 --workers 2
  tradesim sweep plan --from sweep-k8s --only 3,7

${EXIT_TABLE}
`;

const ENGINE_LIST = ['slurm', 'k8s', 'awsbatch', 'parallel'] as const;

function numberFlag(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError({ path: `--${name}`, message: 'not a valid value', expected: 'a positive number', found: JSON.stringify(String(v)) });
  return n;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export async function sweepPlanCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...SWEEP_DESIGN_FLAGS,
      format: { type: 'string' },
      emit: { type: 'string' },
      shards: { type: 'string' },
      dir: { type: 'string' },
      workers: { type: 'string' },
      'min-minutes': { type: 'string' },
      'runs-per-second': { type: 'string' },
      'measure-seconds': { type: 'string' },
      throttle: { type: 'string' },
      retries: { type: 'string' },
      'max-array-size': { type: 'string' },
      image: { type: 'string' },
      tradesim: { type: 'string' },
      memory: { type: 'string' },
      sbatch: { type: 'string', multiple: true },
      efs: { type: 'string' },
      queue: { type: 'string' },
      pvc: { type: 'string' },
      name: { type: 'string' },
      from: { type: 'string' },
      only: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(SWEEP_PLAN_HELP);
    return EXIT.ok;
  }
  const json = values.json === true;
  const from = str(values.from);
  const { emitPlan } = await import('../../research/plan/emit.js');
  let plan: Plan;
  let scenarioText: string;
  let only: number[] | undefined;
  let dir: string;
  if (from !== undefined) {
    const stray = Object.keys(values).filter((k) => !['from', 'only', 'json', 'force'].includes(k));
    if (positionals.length > 0 || stray.length > 0) {
      throw new InputError({ path: '--from', message: `--from reads the plan's own options (not ${positionals.length > 0 ? 'a scenario' : `--${stray[0] ?? ''}`})`, expected: 'tradesim sweep plan --from DIR [--only LIST]' });
    }
    const [{ readPlan }, { parseShardList }, { SCENARIO_FILE, PLAN_FILE }] = await Promise.all([
      import('../../research/plan/files.js'),
      import('../../research/shard-env.js'),
      import('../../research/plan/model.js'),
    ]);
    dir = from;
    plan = await readPlan(join(dir, PLAN_FILE));
    scenarioText = await readFile(join(dir, SCENARIO_FILE), 'utf8').catch(() => {
      throw new InputError({ path: '--from', message: `no ${SCENARIO_FILE} in ${dir}`, expected: 'a directory written by tradesim sweep plan' });
    });
    if (typeof values.only === 'string') {
      only = parseShardList(values.only, '--only');
      const bad = only.find((k) => k > plan.shards);
      if (bad !== undefined) throw new InputError({ path: '--only', message: `shard ${bad} is not in the plan`, expected: `shards 1 to ${plan.shards}` });
    }
  } else {
    if (values.only !== undefined) throw new InputError({ path: '--only', message: '--only goes with --from', expected: 'tradesim sweep plan --from DIR --only LIST' });
    const file = positionals[0];
    if (file === undefined) throw new InputError({ path: '<scenario>', message: 'missing scenario file', expected: 'a path such as scenarios/bilateral-2025.yaml' });
    const emit = str(values.emit);
    if (emit === undefined || !(ENGINE_LIST as readonly string[]).includes(emit)) {
      throw new InputError({ path: '--emit', message: emit === undefined ? 'missing --emit' : 'unknown engine', expected: ENGINE_LIST.join(', '), ...(emit !== undefined ? { found: JSON.stringify(emit) } : {}) });
    }
    const engine = emit as Engine;
    const design = designOptions(values);
    const format = str(values.format) ?? 'csv';
    if (format !== 'csv' && format !== 'jsonl') throw new InputError({ path: '--format', message: 'unknown format', expected: 'csv or jsonl', found: JSON.stringify(format) });
    const shards = intFlag(values.shards, 'shards', 1, 1_000_000);
    const workers = intFlag(values.workers, 'workers', 1, 256);
    const minMinutes = values['min-minutes'] === undefined ? undefined : Number(values['min-minutes']);
    if (minMinutes !== undefined && !(Number.isFinite(minMinutes) && minMinutes >= 0)) {
      throw new InputError({ path: '--min-minutes', message: 'not a valid value', expected: 'minutes, 0 or more', found: JSON.stringify(String(values['min-minutes'])) });
    }
    const runsPerSecond = numberFlag(values['runs-per-second'], 'runs-per-second');
    const measureSeconds = numberFlag(values['measure-seconds'], 'measure-seconds');
    const throttle = intFlag(values.throttle, 'throttle', 1, 1_000_000);
    const retries = intFlag(values.retries, 'retries', 0, 9);
    const maxArraySize = intFlag(values['max-array-size'], 'max-array-size', 2, 1_000_000);
    const memoryMb = intFlag(values.memory, 'memory', 64, 10_000_000);
    const tradesim = str(values.tradesim)?.trim().split(/\s+/).filter(Boolean);
    if (tradesim !== undefined && tradesim.length === 0) throw new InputError({ path: '--tradesim', message: 'empty command', expected: 'e.g. --tradesim "apptainer exec tradesim.sif tradesim"' });
    const name = str(values.name);
    if (name !== undefined && !/^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$/.test(name)) {
      throw new InputError({ path: '--name', message: 'not a job name every scheduler takes', expected: 'lower-case letters, digits and -, at most 48 characters', found: JSON.stringify(name) });
    }
    dir = str(values.dir) ?? `sweep-${engine}`;
    await refuseUsed(dir, values.force === true);
    const [{ readScenarioSource }, { makePlan }, { loadChecked }] = await Promise.all([
      import('../../core/scenario/load.js'),
      import('../../research/plan/plan.js'),
      import('./shared.js'),
    ]);
    const source = await readScenarioSource(file);
    await loadChecked(file, values.set, undefined, source);
    const made = await makePlan({
      engine,
      sweep: { scenario: file, source, ...design },
      format,
      dir,
      ...(shards !== undefined ? { shards } : {}),
      ...(minMinutes !== undefined ? { minMinutes } : {}),
      ...(runsPerSecond !== undefined ? { runsPerSecond } : {}),
      ...(measureSeconds !== undefined ? { measureSeconds } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(throttle !== undefined ? { throttle } : {}),
      ...(retries !== undefined ? { retries } : {}),
      ...(maxArraySize !== undefined ? { maxArraySize } : {}),
      ...(memoryMb !== undefined ? { memoryMb } : {}),
      ...(tradesim !== undefined ? { tradesim } : {}),
      ...(str(values.image) !== undefined ? { image: str(values.image) as string } : {}),
      ...(str(values.efs) !== undefined ? { efs: str(values.efs) as string } : {}),
      ...(str(values.queue) !== undefined ? { queue: str(values.queue) as string } : {}),
      ...(str(values.pvc) !== undefined ? { pvc: str(values.pvc) as string } : {}),
      ...(name !== undefined ? { name } : {}),
      sbatch: strings(values.sbatch),
      note: (m) => diag(`tradesim: sweep plan: ${m}`),
    });
    plan = made.plan;
    scenarioText = made.scenarioText;
  }
  const emitted = emitPlan(plan, scenarioText, only);
  await mkdir(join(dir, 'results'), { recursive: true });
  if (plan.engine === 'slurm') await mkdir(join(dir, 'logs'), { recursive: true });
  for (const [name, f] of emitted.files) {
    await writeAtomic(join(dir, name), f.text);
    if (f.executable === true) await chmod(join(dir, name), 0o755);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ dir, files: [...emitted.files.keys()], submit: emitted.submit, plan }, null, 2)}\n`);
  } else {
    process.stdout.write(emitted.readme);
    diag(`tradesim: sweep plan: wrote ${[...emitted.files.keys()].join(', ')} in ${dir}`);
  }
  return EXIT.ok;
}

/** A plan directory is written once: files there (but results/ and logs/) are another plan's, unless --force. */
async function refuseUsed(dir: string, force: boolean): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const used = names.filter((n) => n !== 'results' && n !== 'logs');
  if (used.length > 0 && !force) {
    throw new InputError({ path: '--dir', message: `${dir} already holds a plan or other files (${used.slice(0, 3).join(', ')})`, expected: 'a new directory, or --force to write the plan over it (results/ is kept)' });
  }
}
