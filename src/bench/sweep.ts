/**
 * Sweep benchmarks. `benchSweepThroughput` (part of `npm run bench`; alone: `npm run bench:sweep --
 * --throughput [repeats] [--seeds S]`, S seeds for each of the 10 points, 100 by default): runs/s of one
 * sweep of the calibrated scenario at 1 and 2 workers, as two --shard processes, and two whole 1-worker sweeps
 * side by side (the machine's capacity for this workload), interleaved; the scaling ratios, medians and ranges.
 * Run directly (`npm run bench:sweep`), the 10,000-run study of issue 4 through the CLI:
 * peak memory at 1,000 and 10,000 runs, 1 vs 2 workers, identical rows, and SIGKILL part way + --resume
 * against an uninterrupted run. `--phases R` splits a sweep's time into a fixed part and a part per run.
 * `--cpu-split R` splits its CPU time by thread: this thread, worker threads, V8's helper threads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const SCENARIO = fileURLToPath(new URL('../../scenarios/bilateral-2025.yaml', import.meta.url));
/** Supply levels of the sweeps: the calibrated 1.6M H100e a quarter, from 25% below to 25% above. */
const SUPPLY = '1200000:2000000';
const BIN = fileURLToPath(new URL('../../bin/tradesim.js', import.meta.url));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

export interface SweepThroughput {
  readonly runs: number;
  readonly repeats: number;
  /** Median runs/s of one sweep with --workers 1 and 2. */
  readonly one: number;
  readonly two: number;
  /** Median over repeats of (1-worker time / 2-worker time), each pair measured back to back. */
  readonly ratio: number;
  /** Median over repeats of (1-worker time / time of the same sweep as two --shard processes side by side). */
  readonly shards: number;
  /**
   * What two cores give this workload at all: median over repeats of 2 x (1-worker time) / (time of two whole
   * 1-worker sweeps run side by side as independent processes). No coordination, no shared start-up: any
   * scaling of --workers 2 above this would need less work than two single-threaded sweeps do.
   */
  readonly capacity: number;
  /** Lowest and highest of each ratio over the repeats. */
  readonly range: { readonly ratio: readonly [number, number]; readonly shards: readonly [number, number]; readonly capacity: readonly [number, number] };
}

const span = (xs: readonly number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];

/** A median ratio with its range over the repeats: "1.67x (1.56-1.78)". */
export const ratioText = (median: number, range: readonly [number, number]): string =>
  `${median.toFixed(2)}x (${range[0].toFixed(2)}-${range[1].toFixed(2)})`;

/**
 * Runs/s of whole sweeps through the CLI (each a fresh process, so all pay start-up, module loading and JIT
 * warm-up: a fair comparison) at 1 and 2 workers, and two yardsticks of the machine: the same sweep split into
 * two --shard processes run side by side, and two whole 1-worker sweeps run side by side (what two cores give
 * this workload: shared caches, memory bandwidth and V8's own threads included). Interleaved; ratios are
 * taken within each repeat, so that a noisy neighbour slows both sides of a ratio alike; medians.
 */
export async function benchSweepThroughput(opts: { points?: number; seeds?: number; repeats?: number } = {}): Promise<SweepThroughput> {
  const points = opts.points ?? 10;
  const seeds = opts.seeds ?? 100;
  const repeats = opts.repeats ?? 3;
  const runs = points * seeds;
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-sweep-'));
  const grid = ['--vary', `exporter.supplyPerRound=${SUPPLY}:${points}`, '--seeds', String(seeds)];
  const one: number[] = [];
  const two: number[] = [];
  const ratio: number[] = [];
  const shards: number[] = [];
  const capacity: number[] = [];
  const sideBySide = (name: (k: number) => string, args: (k: number) => string[]): Promise<number> =>
    Promise.all([1, 2].map((k) => sweepCliAsync([...grid, ...args(k), '--out', join(dir, name(k))]))).then((ts) => Math.max(...ts));
  try {
    for (let r = 0; r < repeats; r++) {
      const t1 = sweepCli([...grid, '--workers', '1', '--out', join(dir, `w1-${r}.csv`)]).seconds;
      const t2 = sweepCli([...grid, '--workers', '2', '--out', join(dir, `w2-${r}.csv`)]).seconds;
      const ts = await sideBySide((k) => `s${k}-${r}.csv`, (k) => ['--shard', `${k}/2`]);
      const tp = await sideBySide((k) => `p${k}-${r}.csv`, () => ['--workers', '1']);
      one.push(runs / t1);
      two.push(runs / t2);
      ratio.push(t1 / t2);
      shards.push(t1 / ts);
      capacity.push((2 * t1) / tp);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { runs, repeats, one: median(one), two: median(two), ratio: median(ratio), shards: median(shards), capacity: median(capacity), range: { ratio: span(ratio), shards: span(shards), capacity: span(capacity) } };
}

interface Timed {
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
}

/** The command line of a sweep of the calibrated scenario with a JSON summary. */
const sweepArgv = (args: readonly string[]): string[] => [BIN, 'sweep', SCENARIO, ...args, '--json'];

/** A sweep started now in a child process; `seconds` settles with its wall time, or rejects if it fails. */
function startSweepCli(args: readonly string[]): { child: ReturnType<typeof spawn>; seconds: Promise<number> } {
  const t0 = performance.now();
  const child = spawn(process.execPath, sweepArgv(args), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const seconds = new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`sweep failed: ${err}`))));
  });
  return { child, seconds };
}

/** Wall seconds of a sweep started now, for running several side by side. */
const sweepCliAsync = (args: readonly string[]): Promise<number> => startSweepCli(args).seconds;

function sweepCli(args: readonly string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, sweepArgv(args), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sweep failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as { peakRssMb: number; cpuSeconds: number };
  return { seconds: (performance.now() - t0) / 1000, peakRssMb: summary.peakRssMb, cpuSeconds: summary.cpuSeconds };
}

async function study(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-sweep-'));
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const grid = (seeds: number) => ['--vary', `exporter.supplyPerRound=${SUPPLY}:10`, '--seeds', String(seeds)];
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
    await sleep(50);
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

/**
 * `--phases R`: a sweep's time as a fixed part and a part per run, T(n) = F + n c, at 1 and 2 workers, from
 * whole CLI sweeps of 10,000 and 20,000 runs (the same grid, 1,000 and 2,000 seeds a point): c = (T(20,000) -
 * T(10,000)) / 10,000 and F = T(10,000) - 10,000 c. c1/c2 is how the runs themselves scale over two threads;
 * F is start-up, checks and each thread's warm-up. R interleaved repeats, medians.
 */
function phases(repeats: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-sweep-'));
  const time = (seeds: number, workers: number): number => {
    const out = join(dir, `p-${seeds}-${workers}.csv`);
    const t = sweepCli(['--vary', `exporter.supplyPerRound=${SUPPLY}:10`, '--seeds', String(seeds), '--workers', String(workers), '--out', out, '--force']).seconds;
    rmSync(out, { force: true });
    return t;
  };
  const per: Record<1 | 2, { c: number[]; f: number[]; t10: number[]; t20: number[] }> = { 1: { c: [], f: [], t10: [], t20: [] }, 2: { c: [], f: [], t10: [], t20: [] } };
  try {
    for (let i = 0; i < repeats; i++) {
      for (const w of [1, 2] as const) {
        const t10 = time(1000, w);
        const t20 = time(2000, w);
        const c = (t20 - t10) / 10000;
        per[w].c.push(c);
        per[w].f.push(t10 - 10000 * c);
        per[w].t10.push(t10);
        per[w].t20.push(t20);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Ratios within each repeat (its two sweeps ran back to back), then the median.
  const ratio = (k: 'c' | 't10' | 't20'): number => median(per[1][k].map((x, i) => x / (per[2][k][i] ?? Number.NaN)));
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say(`sweep time as T(n) = F + n c (whole CLI sweeps of 10,000 and 20,000 runs; ${repeats} interleaved repeats, medians)`);
  for (const w of [1, 2] as const) {
    say(`  ${w} worker${w > 1 ? 's' : ' '}: c = ${(median(per[w].c) * 1000).toFixed(3)} ms a run (${(1 / median(per[w].c)).toFixed(0)} runs/s), F = ${median(per[w].f).toFixed(2)} s, T(10,000) = ${median(per[w].t10).toFixed(2)} s, T(20,000) = ${median(per[w].t20).toFixed(2)} s`);
  }
  say(`  2 workers / 1 worker: whole sweeps of 10,000 runs ${ratio('t10').toFixed(2)}x, of 20,000 runs ${ratio('t20').toFixed(2)}x; runs beyond the first 10,000 ${ratio('c').toFixed(2)}x`);
}

/** CPU seconds of each live thread of a process (Linux /proc), by thread id; empty once it has exited. */
function threadCpu(pid: number, tick: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      // Fields after the command name (which may hold spaces), from field 3 on: utime and stime are 14 and 15.
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / tick);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

interface CpuSplit {
  wall: number;
  main: number;
  workers: number;
  helpers: number;
}

/**
 * One whole CLI sweep with its CPU time split by thread, sampled from /proc every 20 ms (the last sample of a
 * thread can miss up to 20 ms): the main thread (tid = pid), the `workers - 1` busiest other threads (the
 * worker threads), and the rest, V8's compiler and GC helper threads and Node's own.
 */
async function sweepCpuSplit(args: readonly string[], workers: number, tick: number): Promise<CpuSplit> {
  const { child, seconds } = startSweepCli(args);
  const pid = child.pid ?? -1;
  const peak = new Map<number, number>();
  while (child.exitCode === null && child.signalCode === null) {
    for (const [tid, s] of threadCpu(pid, tick)) peak.set(tid, Math.max(s, peak.get(tid) ?? 0));
    await sleep(20);
  }
  const wall = await seconds;
  const main = peak.get(pid) ?? 0;
  const others = [...peak].filter(([tid]) => tid !== pid).map(([, s]) => s).sort((a, b) => b - a);
  const workerCpu = others.slice(0, workers - 1).reduce((a, b) => a + b, 0);
  return { wall, main, workers: workerCpu, helpers: others.slice(workers - 1).reduce((a, b) => a + b, 0) };
}

/**
 * `--cpu-split R`: where the CPU of the 10,000-run sweep goes at 1 and 2 workers (R interleaved repeats,
 * medians). With 1 worker the helper threads run on the idle core; with 2 they share both cores with the
 * runs, so 2 x wall >= total CPU, and the gap is core time left idle.
 */
async function cpuSplit(repeats: number): Promise<void> {
  if (process.platform !== 'linux') throw new Error('--cpu-split reads /proc: Linux only');
  const tick = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-sweep-'));
  const per: Record<1 | 2, CpuSplit[]> = { 1: [], 2: [] };
  try {
    for (let i = 0; i < repeats; i++) {
      for (const w of [1, 2] as const) {
        const out = join(dir, `c-${w}.csv`);
        per[w].push(await sweepCpuSplit(['--vary', `exporter.supplyPerRound=${SUPPLY}:10`, '--seeds', '1000', '--workers', String(w), '--out', out, '--force'], w, tick));
        rmSync(out, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const m = (w: 1 | 2, f: (c: CpuSplit) => number): string => median(per[w].map(f)).toFixed(2);
  say(`CPU seconds of the 10,000-run sweep by thread (/proc, sampled every 20 ms; ${repeats} interleaved repeats, medians)`);
  for (const w of [1, 2] as const) {
    say(`  ${w} worker${w > 1 ? 's' : ' '}: wall ${m(w, (c) => c.wall)} s; main thread ${m(w, (c) => c.main)}, worker thread ${m(w, (c) => c.workers)}, helper threads ${m(w, (c) => c.helpers)}, total ${m(w, (c) => c.main + c.workers + c.helpers)}; idle core time 2 x wall - total ${m(w, (c) => 2 * c.wall - c.main - c.workers - c.helpers)}`);
  }
  const ratio = median(per[1].map((c, i) => c.wall / (per[2][i]?.wall ?? Number.NaN)));
  const bound = median(per[1].map((c, i) => { const t = per[2][i]; return t === undefined ? Number.NaN : c.wall / ((t.main + t.workers + t.helpers) / 2); }));
  say(`  2 workers / 1 worker: ${ratio.toFixed(2)}x; with no idle core time at 2 workers (wall = total CPU / 2): ${bound.toFixed(2)}x`);
}

/** `--throughput R [--seeds S]`: R repeats of the 10-point sweep with S seeds a point (default 1000). */
async function throughputOnly(): Promise<void> {
  const arg = (flag: string): number | undefined => {
    const i = process.argv.indexOf(flag);
    return i < 0 ? undefined : Number(process.argv[i + 1]) || undefined;
  };
  const sw = await benchSweepThroughput({ repeats: arg('--throughput') ?? 3, seeds: arg('--seeds') ?? 1000 });
  process.stdout.write(
    `${sw.runs} runs, ${sw.repeats} repeats: 1 worker ${sw.one.toFixed(0)} runs/s, 2 workers ${sw.two.toFixed(0)} runs/s, 2/1 ${ratioText(sw.ratio, sw.range.ratio)}; ` +
      `two --shard processes ${ratioText(sw.shards, sw.range.shards)}; two whole 1-worker sweeps side by side ${ratioText(sw.capacity, sw.range.capacity)}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--phases');
  const k = process.argv.indexOf('--cpu-split');
  const task =
    i >= 0 ? (async () => phases(Number(process.argv[i + 1]) || 3))()
    : k >= 0 ? cpuSplit(Number(process.argv[k + 1]) || 3)
    : process.argv.includes('--throughput') ? throughputOnly()
    : study();
  task.catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
