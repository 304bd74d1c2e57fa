/**
 * The files of a sweep plan for each batch system, and the README block that says how to submit, watch,
 * merge, rerun shards and try a task here. Every task runs the same command in the plan's directory, with
 * `--shard auto` reading the system's array index, `--out results/part-{shard}.<ext>` and `--resume`, so a
 * retried task continues its own file; the merge step reads `results/part-{shard}.<ext>` and names the
 * shards to run again. With `only`, the files that run just those shards again (names with "-retry").
 */
import { stringify } from 'yaml';
import { formatShardList } from '../shard-env.js';
import { arrayFile, chunk, mergeArgs, taskArgs, tasksPerArray } from './plan.js';
import { PLAN_FILE, SCENARIO_FILE, type Engine, type Plan } from './model.js';
import { RETRY, shellLine, shellWord } from './resubmit.js';

export interface EmittedFile {
  readonly text: string;
  readonly executable?: boolean;
}

export interface Emitted {
  /** Files by path in the plan's directory. */
  readonly files: ReadonlyMap<string, EmittedFile>;
  /** The commands that submit it, run in the plan's directory. */
  readonly submit: readonly string[];
  /** Markdown: what the plan is and the commands a user copies. */
  readonly readme: string;
}

/** One array of the emitted files: its shards, and how its tasks find theirs. */
interface Batch {
  readonly file: string;
  readonly shards: readonly number[];
  /** --shard-list for its tasks, unless task i runs shard i + 1. */
  readonly list?: string;
  /** Kubernetes and AWS Batch job names. */
  readonly name: string;
}

const ENGINE_NAMES: Readonly<Record<Engine, string>> = { slurm: 'Slurm', k8s: 'Kubernetes', awsbatch: 'AWS Batch', parallel: 'GNU parallel' };

function batchesOf(plan: Plan, only: readonly number[] | undefined): Batch[] {
  const suffix = only !== undefined ? `-${RETRY}` : '';
  const groups =
    only === undefined
      ? plan.arrays.map((a) => Array.from({ length: a.last - a.first + 1 }, (_, j) => a.first + j))
      : chunk([...only].sort((a, b) => a - b), tasksPerArray(plan.engine, plan.options.maxArraySize));
  return groups.map((shards, i) => ({
    file: arrayFile(plan.engine, i, groups.length, suffix),
    shards,
    // Task i runs shard i + 1 only in the first array of the whole plan.
    ...(shards[0] !== 1 || only !== undefined ? { list: formatShardList(shards) } : {}),
    name: `${plan.name}${suffix}${groups.length > 1 ? `-${i + 1}` : ''}`,
  }));
}

/** The task command of a batch's tasks, after the tradesim command. */
const taskOf = (plan: Plan, b: Batch): string[] => taskArgs(plan, b.list !== undefined ? { list: b.list } : {});

/** "3h05m" style, for time limits in words. */
function hhmmss(minutes: number): string {
  const m = Math.max(1, Math.ceil(minutes));
  const d = Math.floor(m / 1440);
  const hms = `${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  return d > 0 ? `${d}-${hms}` : hms;
}

/**
 * A Slurm script's lines that enter the plan's directory: its own folder when run as a file there (bash
 * sweep.sbatch, also after the plan was moved), else where the plan was written (Slurm runs a copy of the
 * script from its spool folder, in --chdir).
 */
function cdPlan(plan: Plan): string[] {
  return [`here=$(cd "$(dirname "$0")" && pwd); if [ -f "$here/${PLAN_FILE}" ]; then cd "$here"; else cd ${shellWord(plan.dir)} || exit 2; fi`];
}

/** A bash script's lines that set `tradesim` (an array of words): TRADESIM from the environment, or the plan's. */
function tradesimLines(plan: Plan): string[] {
  return [
    '# The tradesim that made this plan (the same Node, so the same fingerprint); TRADESIM="..." overrides it,',
    '# e.g. TRADESIM="apptainer exec tradesim.sif tradesim" with the image of Containerfile.',
    `if [ -n "\${TRADESIM:-}" ]; then read -r -a tradesim <<<"$TRADESIM"; else tradesim=(${plan.options.tradesim.map(shellWord).join(' ')}); fi`,
  ];
}

function describe(plan: Plan): string {
  const rate = plan.rate.measured ? `measured here (${plan.rate.on})` : 'as given (--runs-per-second)';
  return (
    `${plan.totalRuns} runs (${plan.points} point(s) x ${plan.sweep.seeds} seed(s)) in ${plan.shards} shard(s) of up to ${plan.runsPerShard} runs: ` +
    `about ${plan.minutesPerShard < 1 ? plan.minutesPerShard.toFixed(2) : plan.minutesPerShard.toFixed(0)} min each at ${plan.rate.runsPerSecond} runs/s a task, ${rate}; ` +
    `${plan.options.workers} thread(s) a task`
  );
}

/** The start of a submit script: run from anywhere, stop at the first failure. */
const submitHead = (plan: Plan, what: string): string[] => ['#!/bin/bash', ...header(plan, what), 'set -euo pipefail', 'cd "$(dirname "$0")"'];

const header = (plan: Plan, what: string): string[] => [
  `# tradesim sweep plan (${ENGINE_NAMES[plan.engine]}): ${what}`,
  `# Sweep of ${plan.scenario.id}: ${describe(plan)}.`,
  `# Written by tradesim ${plan.tool}; see README.md beside it.`,
];

function slurm(plan: Plan, batches: readonly Batch[], retry: boolean): { files: Map<string, EmittedFile>; submit: string[] } {
  const files = new Map<string, EmittedFile>();
  const o = plan.options;
  const common = [`#SBATCH --chdir=${plan.dir}`, '#SBATCH --open-mode=append', ...o.sbatch.map((s) => `#SBATCH ${s.startsWith('-') ? s : `--${s}`}`)];
  const attempts = o.retries + 1;
  for (const b of batches) {
    const lines = [
      '#!/bin/bash',
      ...header(plan, `shards ${formatShardList(b.shards)} of ${plan.shards}, one per array task.`),
      `# Submit with ./submit${retry ? `-${RETRY}` : ''}.sh (then the merge runs when the array has ended). Run its tasks 3 and 7 again: sbatch --array=3,7 ${b.file}`,
      `#SBATCH --job-name=${b.name}`,
      `#SBATCH --array=1-${b.shards.length}${o.throttle !== null ? `%${o.throttle}` : ''}`,
      `#SBATCH --cpus-per-task=${o.workers}`,
      `#SBATCH --mem=${o.memoryMb}M`,
      `#SBATCH --time=${hhmmss(o.timeMinutes)}`,
      '#SBATCH --output=logs/%x-%A_%a.out',
      '#SBATCH --requeue',
      ...common,
      'set -u',
      ...cdPlan(plan),
      ...tradesimLines(plan),
      `# --shard auto: task i (SLURM_ARRAY_TASK_ID) runs ${b.list !== undefined ? 'the i-th shard of --shard-list' : 'shard i'}; --resume continues what an earlier attempt wrote.`,
      `for attempt in ${Array.from({ length: attempts }, (_, i) => i + 1).join(' ')}; do`,
      `  "\${tradesim[@]}" ${shellLine(taskOf(plan, b))} && exit 0`,
      '  code=$?',
      '  # Exit 2 is bad input, which another attempt cannot mend.',
      '  if [ "$code" -eq 2 ]; then exit 2; fi',
      `  echo "tradesim exited with $code (attempt $attempt of ${attempts})" >&2`,
      'done',
      'exit "$code"',
    ];
    files.set(b.file, { text: `${lines.join('\n')}\n`, executable: true });
  }
  if (!retry) {
    const merge = [
      '#!/bin/bash',
      ...header(plan, 'the merge, after the array(s).'),
      '# Exit 1 names the shards to run again and the commands that do it (see logs/).',
      `#SBATCH --job-name=${plan.name}-merge`,
      '#SBATCH --cpus-per-task=1',
      '#SBATCH --mem=1024M',
      `#SBATCH --time=${hhmmss(60 + (plan.totalRuns * plan.bytesPerRow) / 20e6 / 60)}`,
      '#SBATCH --output=logs/%x-%j.out',
      ...common,
      'set -u',
      ...cdPlan(plan),
      ...tradesimLines(plan),
      `exec "\${tradesim[@]}" ${shellLine(mergeArgs(plan))}`,
    ];
    files.set('merge.sbatch', { text: `${merge.join('\n')}\n`, executable: true });
  }
  const submitFile = retry ? `submit-${RETRY}.sh` : 'submit.sh';
  const submit = [
    ...submitHead(plan, `submits ${retry ? 'the shards to run again' : 'the sweep'} and then the merge (afterany: it runs even if a shard failed, and names it).`),
    'mkdir -p logs results',
    'ids=()',
    ...batches.map((b) => `ids+=("$(sbatch --parsable ${b.file} | cut -d';' -f1)")`),
    'dep=$(IFS=:; echo "${ids[*]}")',
    'merge=$(sbatch --parsable --dependency="afterany:$dep" merge.sbatch | cut -d\';\' -f1)',
    'echo "submitted array job(s) ${ids[*]} and the merge $merge; watch them with: squeue -u $USER"',
  ];
  files.set(submitFile, { text: `${submit.join('\n')}\n`, executable: true });
  return { files, submit: [`./${submitFile}`] };
}

function parallel(plan: Plan): { files: Map<string, EmittedFile>; submit: string[] } {
  const o = plan.options;
  const task = taskArgs(plan);
  const shardAt = task.indexOf('--shards') + 2;
  const lines = [
    '#!/bin/bash',
    ...header(plan, 'runs the shards with GNU parallel, then the merge.'),
    `# ./sweep.sh runs every shard; ./sweep.sh 3 7 runs shards 3 and 7 (again), then merges. Log: sweep.log.`,
    'set -u',
    'cd "$(dirname "$0")" || exit 2',
    ...tradesimLines(plan),
    'shards=("$@")',
    `if [ \${#shards[@]} -eq 0 ]; then shards=($(seq 1 ${plan.shards})); only=(); else only=(--shard-list "$(IFS=,; echo "\${shards[*]}")"); fi`,
    '# One job per shard. --shard auto reads PARALLEL_SEQ, the job\'s number (kept when it is retried); -N0 passes',
    '# the job no argument, -q keeps each word as it is; --resume continues what a killed attempt wrote.',
    `parallel -q -N0 --jobs ${o.throttle ?? `${Math.max(1, Math.floor(100 / o.workers))}%`} --retries ${o.retries + 1} --joblog sweep.log \\`,
    `  "\${tradesim[@]}" ${shellLine(task.slice(0, shardAt))} \${only[@]+"\${only[@]}"} ${shellLine(task.slice(shardAt))} \\`,
    '  ::: "${shards[@]}"',
    '# Exit 1 names the shards to run again.',
    `exec "\${tradesim[@]}" ${shellLine(mergeArgs(plan))}`,
  ];
  return { files: new Map([['sweep.sh', { text: `${lines.join('\n')}\n`, executable: true }]]), submit: ['./sweep.sh'] };
}

const yamlDocs = (plan: Plan, what: string, docs: readonly unknown[]): string =>
  `${header(plan, what).join('\n')}\n${docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n')}`;

/**
 * The pod spec of a tradesim container in the plan's directory layout: /work (the image's working directory)
 * with the results claim on results/ and scenario.yaml and plan.json from the ConfigMap.
 */
function k8sPod(plan: Plan, name: string, command: readonly string[], args: readonly string[], cpu: number, memoryMb: number): Record<string, unknown> {
  return {
    restartPolicy: 'Never',
    // The image's user (node, uid 1000); fsGroup lets it write on the claim.
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
    containers: [
      {
        name,
        image: plan.options.image,
        workingDir: '/work',
        command,
        args,
        resources: { requests: { cpu: String(cpu), memory: `${memoryMb}Mi` }, limits: { memory: `${memoryMb}Mi` } },
        volumeMounts: [
          { name: 'results', mountPath: '/work/results' },
          { name: 'input', mountPath: `/work/${SCENARIO_FILE}`, subPath: SCENARIO_FILE, readOnly: true },
          { name: 'input', mountPath: `/work/${PLAN_FILE}`, subPath: PLAN_FILE, readOnly: true },
        ],
      },
    ],
    volumes: [
      { name: 'results', persistentVolumeClaim: { claimName: plan.options.pvc ?? `${plan.name}-results` } },
      { name: 'input', configMap: { name: `${plan.name}-input` } },
    ],
  };
}

function k8s(plan: Plan, batches: readonly Batch[], retry: boolean, scenarioText: string, planText: string): { files: Map<string, EmittedFile>; submit: string[] } {
  const o = plan.options;
  const labels = { 'app.kubernetes.io/name': 'tradesim', 'app.kubernetes.io/instance': plan.name };
  const jobs = batches.map((b) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: b.name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: b.shards.length,
      parallelism: Math.min(b.shards.length, o.throttle ?? b.shards.length),
      // Per-index retries (Kubernetes 1.29+): a failed index runs again and continues its file (--resume).
      backoffLimitPerIndex: o.retries,
      maxFailedIndexes: b.shards.length,
      podFailurePolicy: {
        rules: [
          // Exit 2 is bad input, which another attempt cannot mend; a node drained or a pod preempted is no failure.
          { action: 'FailIndex', onExitCodes: { containerName: 'sweep', operator: 'In', values: [2] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        ],
      },
      template: { metadata: { labels }, spec: k8sPod(plan, 'sweep', ['tradesim'], taskOf(plan, b), o.workers, o.memoryMb) },
    },
  }));
  const files = new Map<string, EmittedFile>();
  const jobFile = retry ? `job-${RETRY}.yaml` : 'job.yaml';
  if (retry) files.set(jobFile, { text: yamlDocs(plan, 'the Job(s) that run the failed shards again.', jobs) });
  else {
    const input = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${plan.name}-input`, labels }, data: { [SCENARIO_FILE]: scenarioText, [PLAN_FILE]: planText } };
    const gib = Math.max(1, Math.ceil((plan.totalRuns * plan.bytesPerRow * 2.5) / 2 ** 30));
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `${plan.name}-results`, labels }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: `${gib}Gi` } } } };
    files.set(jobFile, { text: yamlDocs(plan, 'the inputs, the results volume and the Indexed Job(s), one index per shard.', [input, ...(o.pvc === null ? [claim] : []), ...jobs]) });
    const merge = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${plan.name}-merge`, labels }, spec: { backoffLimit: 0, template: { metadata: { labels }, spec: k8sPod(plan, 'merge', ['tradesim'], mergeArgs(plan), 1, 1024) } } };
    files.set('merge-job.yaml', { text: yamlDocs(plan, 'the merge, once the Job(s) have ended (its log names shards to run again).', [merge]) });
    const fetch = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${plan.name}-fetch`, labels }, spec: k8sPod(plan, 'fetch', ['sleep', '3600'], [], 1, 256) };
    files.set('fetch-pod.yaml', { text: yamlDocs(plan, 'a pod that holds the results volume for an hour, to copy files out with kubectl cp.', [fetch]) });
  }
  const names = batches.map((b) => b.name).join(' ');
  return { files, submit: [`kubectl delete job ${names} --ignore-not-found`, `kubectl apply -f ${jobFile}`] };
}

function awsbatch(plan: Plan, batches: readonly Batch[], retry: boolean): { files: Map<string, EmittedFile>; submit: string[] } {
  const o = plan.options;
  const files = new Map<string, EmittedFile>();
  const command = (b: Batch): string[] => {
    // An array job has at least 2 tasks: one shard is a plain job with its shard named.
    if (b.shards.length === 1) return ['tradesim', ...taskArgs(plan, { only: b.shards[0] as number })];
    return ['tradesim', ...taskOf(plan, b)];
  };
  if (!retry) {
    const definition = {
      jobDefinitionName: plan.name,
      type: 'container',
      platformCapabilities: ['EC2'],
      containerProperties: {
        image: o.image,
        command: command(batches[0] as Batch),
        resourceRequirements: [
          { type: 'VCPU', value: String(o.workers) },
          { type: 'MEMORY', value: String(o.memoryMb) },
        ],
        // The plan's directory, copied to the EFS file system as /<name>, is the task's working directory (the image's /work).
        volumes: [{ name: 'work', efsVolumeConfiguration: { fileSystemId: o.efs ?? '@EFS_ID@', rootDirectory: `/${plan.name}`, transitEncryption: 'ENABLED' } }],
        mountPoints: [{ sourceVolume: 'work', containerPath: '/work', readOnly: false }],
      },
      // Per child job: a failed shard runs again and continues its file (--resume); exit 2 is bad input.
      retryStrategy: { attempts: Math.min(10, o.retries + 1), evaluateOnExit: [{ onExitCode: '2', action: 'EXIT' }] },
      timeout: { attemptDurationSeconds: Math.max(60, o.timeMinutes * 60) },
    };
    files.set('job-definition.json', { text: `${JSON.stringify(definition, null, 2)}\n` });
    const merge = { jobName: `${plan.name}-merge`, jobDefinition: plan.name, ...(o.queue !== null ? { jobQueue: o.queue } : {}), containerOverrides: { command: ['tradesim', ...mergeArgs(plan)], resourceRequirements: [{ type: 'VCPU', value: '1' }, { type: 'MEMORY', value: '1024' }] } };
    files.set('submit-merge.json', { text: `${JSON.stringify(merge, null, 2)}\n` });
  }
  for (const b of batches) {
    const job = {
      jobName: b.name,
      jobDefinition: plan.name,
      ...(o.queue !== null ? { jobQueue: o.queue } : {}),
      ...(b.shards.length > 1 ? { arrayProperties: { size: b.shards.length } } : {}),
      containerOverrides: { command: command(b) },
    };
    files.set(b.file, { text: `${JSON.stringify(job, null, 2)}\n` });
  }
  const queue = o.queue === null ? ['JOB_QUEUE="${JOB_QUEUE:?set JOB_QUEUE to your AWS Batch job queue}"'] : [`JOB_QUEUE="\${JOB_QUEUE:-${o.queue}}"`];
  const submitFile = retry ? `submit-${RETRY}.sh` : 'submit.sh';
  const lines = [
    ...submitHead(plan, `submits ${retry ? 'the shards to run again' : 'the job definition, the array job(s)'} and then the merge.`),
    ...queue,
    ...(retry
      ? []
      : o.efs === null
        ? ['EFS_ID="${EFS_ID:?set EFS_ID to the EFS file system that holds this directory}"', 'sed "s/@EFS_ID@/$EFS_ID/" job-definition.json > .job-definition.json', 'aws batch register-job-definition --cli-input-json file://.job-definition.json >/dev/null']
        : ['aws batch register-job-definition --cli-input-json file://job-definition.json >/dev/null']),
    'ids=()',
    ...batches.map((b) => `ids+=("$(aws batch submit-job --cli-input-json file://${b.file} --job-queue "$JOB_QUEUE" --query jobId --output text)")`),
    'deps=(); for id in "${ids[@]}"; do deps+=("jobId=$id"); done',
    'merge=$(aws batch submit-job --cli-input-json file://submit-merge.json --job-queue "$JOB_QUEUE" --depends-on "${deps[@]}" --query jobId --output text)',
    'echo "submitted job(s) ${ids[*]} and the merge $merge"',
  ];
  files.set(submitFile, { text: `${lines.join('\n')}\n`, executable: true });
  return { files, submit: [`./${submitFile}`] };
}

/** How to run each task of the plan here, as the scheduler would (README "Try it here"). */
function localRun(plan: Plan): string[] {
  const t = shellLine(plan.options.tradesim);
  const n = plan.shards;
  const task = shellLine(taskArgs(plan));
  switch (plan.engine) {
    case 'slurm':
      return [`for i in $(seq 1 ${n}); do SLURM_ARRAY_TASK_ID=$i bash ${plan.arrays[0]?.file ?? 'sweep.sbatch'}; done`, 'bash merge.sbatch'];
    case 'parallel':
      return ['./sweep.sh'];
    case 'k8s':
      return [`for i in $(seq 0 ${n - 1}); do JOB_COMPLETION_INDEX=$i ${t} ${task}; done`, `${t} ${shellLine(mergeArgs(plan))}`];
    case 'awsbatch':
      return [`for i in $(seq 0 ${n - 1}); do AWS_BATCH_JOB_ARRAY_INDEX=$i ${t} ${task}; done`, `${t} ${shellLine(mergeArgs(plan))}`];
  }
}

function readme(plan: Plan, submit: readonly string[]): string {
  const fence = (lines: readonly string[]): string => ['```sh', ...lines, '```'].join('\n');
  const cd = `cd ${shellWord(plan.dir)}`;
  const merged = `${plan.dir}/${plan.merged}`;
  const image = [
    `Build the image (the Containerfile of the tradesim source, ${plan.tool}) and push it where the cluster pulls from; the plan names it \`${plan.options.image}\` (\`--image\` to change):`,
    '',
    fence([`docker build -f Containerfile -t ${plan.options.image} .    # in the tradesim source; or podman build`, `docker push ${plan.options.image}`]),
  ];
  const submitAndWatch: Record<Engine, string[]> = {
    slurm: [
      'Needs this directory on a file system the compute nodes share (it runs the tradesim that made the plan, or `TRADESIM=...`).',
      '',
      fence([cd, ...submit, 'squeue -u $USER                       # watch; logs in logs/']),
      '',
      `\`submit.sh\` submits ${plan.arrays.map((a) => `\`${a.file}\``).join(', ')} (array ids are shard numbers${plan.arrays.length > 1 ? ' within each array' : ''}; at most ${plan.options.maxArraySize - 1} tasks an array for MaxArraySize ${plan.options.maxArraySize}, \`--max-array-size\`), then \`merge.sbatch\` with \`--dependency=afterany\`.`,
    ],
    parallel: ['Runs here, or across machines sharing this directory (add `--sshloginfile` to the parallel line).', '', fence([cd, ...submit, 'tail -f sweep.log                     # watch'])],
    k8s: [
      ...image,
      '',
      'Then (Kubernetes 1.29 or later, for per-index retries; the claim needs a ReadWriteMany storage class):',
      '',
      fence([cd, ...submit, `kubectl get pods -l app.kubernetes.io/instance=${plan.name} -w     # watch`]),
    ],
    awsbatch: [
      ...image,
      '',
      `Copy this directory to an EFS file system as \`/${plan.name}\` (the tasks' working directory), then, with the AWS CLI${plan.options.queue === null ? ', `JOB_QUEUE`' : ''}${plan.options.efs === null ? ' and `EFS_ID`' : ''} set:`,
      '',
      fence([cd, ...submit, 'aws batch list-jobs --array-job-id <id> --job-status RUNNING     # watch']),
    ],
  };
  const mergeStep: Record<Engine, string[]> = {
    slurm: ['The merge job runs once the array(s) end; to run it again: `sbatch merge.sbatch`.'],
    parallel: ['`sweep.sh` merges when the shards are done.'],
    k8s: [
      'When the Job has ended, merge on the volume, then copy the result out:',
      '',
      fence([
        `kubectl wait --for=condition=complete --timeout=-1s job/${plan.arrays.length > 1 ? `${plan.name}-1` : plan.name}   # or condition=failed`,
        `kubectl delete job ${plan.name}-merge --ignore-not-found && kubectl apply -f merge-job.yaml`,
        `kubectl logs -f job/${plan.name}-merge`,
        `kubectl apply -f fetch-pod.yaml && kubectl wait --for=condition=ready pod/${plan.name}-fetch`,
        `kubectl cp ${plan.name}-fetch:/work/${plan.merged} ${plan.merged.split('/').pop() ?? 'all.csv'}`,
      ]),
    ],
    awsbatch: ['The merge job runs once the array job(s) succeed; if a shard failed, it does not: rerun the shard (below), then `aws batch submit-job --cli-input-json file://submit-merge.json --job-queue "$JOB_QUEUE"`.'],
  };
  return [
    `## Sweep plan: ${plan.scenario.id} on ${ENGINE_NAMES[plan.engine]}`,
    '',
    `${describe(plan)}. Shards are at least ${plan.minMinutes} min long unless told otherwise (\`--min-minutes\`). Each task writes \`${plan.out}\` ({shard} is its shard number) with \`--resume\`, so a retried or requeued task continues its own file; failed tasks are retried ${plan.options.retries} time(s).`,
    '',
    `Scenario: \`${SCENARIO_FILE}\`, frozen from \`${plan.scenario.given}\` (sha256 ${plan.scenario.hash.slice(0, 16)}...). Plan: \`${PLAN_FILE}\`.`,
    '',
    '### Submit',
    '',
    ...submitAndWatch[plan.engine],
    '',
    '### Merge',
    '',
    ...mergeStep[plan.engine],
    '',
    `The merged file is \`${merged}\`, byte-identical to the same sweep run unsharded. If shards are missing, the merge writes nothing, exits 1 and names them in array syntax (\`--array=3,7\`) with the commands that run them again, e.g.:`,
    '',
    fence([...resubmitExample(plan)]),
    '',
    '### Try it on this machine',
    '',
    'Every task, one after another, as the scheduler would run them, then the merge:',
    '',
    fence([cd, ...localRun(plan)]),
    '',
  ].join('\n');
}

function resubmitExample(plan: Plan): string[] {
  switch (plan.engine) {
    case 'slurm':
      return ['j=$(sbatch --parsable --array=3,7 sweep.sbatch) && sbatch --dependency=afterany:${j%%;*} merge.sbatch'];
    case 'parallel':
      return ['./sweep.sh 3 7'];
    case 'k8s':
      return [`${shellLine(plan.options.tradesim)} sweep plan --from . --only 3,7     # writes job-${RETRY}.yaml`, `kubectl delete job ${plan.name}-${RETRY} --ignore-not-found && kubectl apply -f job-${RETRY}.yaml`];
    case 'awsbatch':
      return [`${shellLine(plan.options.tradesim)} sweep plan --from . --only 3,7     # writes submit-${RETRY}.sh`, `./submit-${RETRY}.sh`];
  }
}

/** The plan's files (with `only`: the files that run those shards again), submit commands and README block. */
export function emitPlan(plan: Plan, scenarioText: string, only?: readonly number[]): Emitted {
  const retry = only !== undefined;
  const batches = batchesOf(plan, only);
  const planText = `${JSON.stringify(plan, null, 2)}\n`;
  let made: { files: Map<string, EmittedFile>; submit: string[] };
  switch (plan.engine) {
    case 'slurm':
      made = slurm(plan, batches, retry);
      break;
    case 'parallel':
      made = retry ? { files: new Map(), submit: [`./sweep.sh ${(only ?? []).join(' ')}`] } : parallel(plan);
      break;
    case 'k8s':
      made = k8s(plan, batches, retry, scenarioText, planText);
      break;
    case 'awsbatch':
      made = awsbatch(plan, batches, retry);
      break;
  }
  const files = new Map(made.files);
  if (!retry) {
    files.set(PLAN_FILE, { text: planText });
    files.set(SCENARIO_FILE, { text: scenarioText });
    files.set('README.md', { text: readme(plan, made.submit) });
  }
  const text = retry ? `Run shards ${formatShardList(only ?? [])} of ${plan.shards} again (in ${plan.dir}):\n\n\`\`\`sh\n${made.submit.join('\n')}\n\`\`\`\n` : (files.get('README.md')?.text ?? '');
  return { files, submit: made.submit, readme: text };
}
