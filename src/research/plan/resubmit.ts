/** The commands that rerun some shards of a plan, as `merge --plan` prints them. */
import { formatShardList } from '../shard-env.js';
import type { Plan } from './model.js';

/** Quote a word for a POSIX shell (only when it needs it, so that commands stay readable). */
export function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`;
}

export const shellLine = (words: readonly string[]): string => words.map(shellWord).join(' ');

/** The name of the files that `sweep plan --only` writes for a resubmission, beside the plan's own. */
export const RETRY = 'retry';

/** Commands (run in a shell, from anywhere) that rerun `shards` of `plan`, then merge again. */
export function resubmitCommands(plan: Plan, shards: readonly number[]): string[] {
  const cd = `cd ${shellWord(plan.dir)} && `;
  // Kubernetes and AWS Batch number a job's tasks from 0 whatever they run: a new job runs just these shards.
  const replan = `${shellLine(plan.options.tradesim)} sweep plan --from . --only ${formatShardList(shards)}`;
  switch (plan.engine) {
    case 'slurm': {
      // Task ids are positions in each array: the shard numbers themselves in the first. The merge waits for them.
      const subs = plan.arrays.flatMap((a) => {
        const mine = shards.filter((k) => k >= a.first && k <= a.last).map((k) => k - a.first + 1);
        return mine.length === 0 ? [] : [`sbatch --parsable --array=${formatShardList(mine)} ${a.file}`];
      });
      const vars = subs.map((c, i) => `j${i + 1}=$(${c})`);
      return [`${cd}${vars.join(' && ')} && sbatch --dependency=afterany:${subs.map((_, i) => `\${j${i + 1}%%;*}`).join(':')} merge.sbatch`];
    }
    case 'parallel':
      return [`${cd}./sweep.sh ${shards.join(' ')}`];
    case 'k8s':
      return [`${cd}${replan}`, `${cd}kubectl delete job ${plan.name}-${RETRY} --ignore-not-found && kubectl apply -f job-${RETRY}.yaml`];
    case 'awsbatch':
      return [`${cd}${replan}`, `${cd}./submit-${RETRY}.sh`];
  }
}
