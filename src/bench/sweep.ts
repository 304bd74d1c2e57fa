/**
 * Sweep benchmarks. `benchSweepThroughput` (part of `npm run bench`): runs/s of one sweep of the calibrated
 * scenario at 1 and 2 workers, interleaved, medians, and the scaling ratio. Run directly
 * (`npm run bench:sweep`), the 10,000-run study of issue 4 through the CLI: peak memory at 1,000 and 10,000
 * runs, 1 vs 2 workers, identical rows, and SIGKILL part way + --resume against an uninterrupted run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCENARIO = fileURLToPath(new URL('../../scenarios/bilateral-2025.yaml', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/tradesim.js', import.meta.url));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/**
 * Runs/s of whole sweeps through the CLI at 1 and 2 workers (each a fresh process, so both pay start-up,
 * module loading and JIT warm-up: a fair comparison), interleaved, medians.
 */
export function benchSweepThroughput(opts: { points?: number; seeds?: number; repeats?: number } = {}): { runs: number; one: number; two: number; ratio: number } {
  const points = opts.points ?? 10;
  const seeds = opts.seeds ?? 500;
  const runs = points * seeds;
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-sweep-'));
  const rate: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let r = 0; r < (opts.repeats ?? 3); r++) {
    for (const workers of [1, 2] as const) {
      const t = sweepCli(['--vary', `exporter.supplyPerRound=300000:500000:${points}`, '--seeds', String(seeds), '--workers', String(workers), '--out', join(dir, `w${workers}-${r}.csv`)]);
      rate[workers].push(runs / t.seconds);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const one = median(rate[1]);
  const two = median(rate[2]);
  return { runs, one, two, ratio: two / one };
}

interface Timed {
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
}

function sweepCli(args: readonly string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'sweep', SCENARIO, ...args, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sweep failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as { peakRssMb: number; cpuSeconds: number };
  return { seconds: (performance.now() - t0) / 1000, peakRssMb: summary.peakRssMb, cpuSeconds: summary.cpuSeconds };
}

async function study(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-sweep-'));
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const grid = (seeds: number) => ['--vary', 'exporter.supplyPerRound=300000:500000:10', '--seeds', String(seeds)];
  say(`sweep study: ${SCENARIO.replace(/.*scenarios/, 'scenarios')}, grid of 10 supply levels x N seeds, whole CLI runs (start-up included)`);
  const small = sweepCli([...grid(100), '--out', join(dir, 'k1.csv')]);
  const w1 = sweepCli([...grid(1000), '--out', join(dir, 'k10-w1.csv')]);
  const w2 = sweepCli([...grid(1000), '--workers', '2', '--out', join(dir, 'k10-w2.csv')]);
  say(`  1,000 runs, 1 worker:   ${small.seconds.toFixed(1)} s, peak RSS ${small.peakRssMb} MB`);
  say(`  10,000 runs, 1 worker:  ${w1.seconds.toFixed(1)} s (${(10000 / w1.seconds).toFixed(0)} runs/s), peak RSS ${w1.peakRssMb} MB, CPU ${w1.cpuSeconds.toFixed(1)} s`);
  say(`  10,000 runs, 2 workers: ${w2.seconds.toFixed(1)} s (${(10000 / w2.seconds).toFixed(0)} runs/s), peak RSS ${w2.peakRssMb} MB, CPU ${w2.cpuSeconds.toFixed(1)} s`);
  say(`  throughput 2 workers / 1 worker: ${(w1.seconds / w2.seconds).toFixed(2)}x; CPU time 2 workers / 1 worker: ${(w2.cpuSeconds / w1.cpuSeconds).toFixed(2)}`);
  say(`  peak RSS 10,000 / 1,000 runs (1 worker): ${(w1.peakRssMb / small.peakRssMb).toFixed(2)}`);
  const a = readFileSync(join(dir, 'k10-w1.csv'));
  say(`  rows identical with 1 and 2 workers: ${a.equals(readFileSync(join(dir, 'k10-w2.csv'))) ? 'yes' : 'NO'} (${a.length} bytes)`);

  // SIGKILL at about half way (by rows in the file), then --resume.
  const killed = join(dir, 'k10-killed.csv');
  const child = spawn(process.execPath, [BIN, 'sweep', SCENARIO, ...grid(1000), '--workers', '2', '--out', killed], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const half = a.length / 2;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    let size = 0;
    try {
      size = statSync(killed).size;
    } catch {
      // not created yet
    }
    if (size >= half) break;
  }
  child.kill('SIGKILL');
  await exited;
  const rowsAtKill = readFileSync(killed, 'utf8').split('\n').length - 2;
  const resumed = sweepCli([...grid(1000), '--workers', '2', '--out', killed, '--resume']);
  say(`  SIGKILL after ${rowsAtKill} rows, then --resume (${resumed.seconds.toFixed(1)} s): output equals the uninterrupted run: ${readFileSync(killed).equals(a) ? 'yes' : 'NO'}`);
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  study().catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
