/**
 * `npm run bench`: throughput figures, printed (never asserted). Every figure is a median over repeated
 * batches, and ratios compare two things measured in the same process run, because these machines are noisy.
 */
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../core/scenario/load.js';
import type { ChipsScenario } from '../core/scenario/schema.js';
import { simulateChips } from '../sim/chips/model.js';
import { compileChips, type CompiledChips } from '../sim/chips/compile.js';
import { benchBilateral } from './bilateral.js';
import { benchStandard, standardLines } from './standard.js';
import { benchSweepThroughput, ratioText } from './sweep.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/**
 * Median wall and CPU time per call of `fn` (ms), over `batches` batches sized to take roughly `batchMs`
 * each, after `warmMs` and at least `warmCalls` untimed calls (JIT and engine caches settle; the first calls
 * cost several times more). CPU time is this process's user + system time: on a shared machine it moves much
 * less with the load than wall time. `fn` gets a call number that grows from `from`, so two measurements can
 * use disjoint seeds.
 */
function timePerCall(fn: (i: number) => void, { batches = 9, batchMs = 150, warmMs = 500, warmCalls = 100, from = 0 } = {}): { wall: number; cpu: number } {
  let k = from;
  const warmEnd = performance.now() + warmMs;
  while (performance.now() < warmEnd || k - from < warmCalls) fn(k++);
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(k++);
    const dt = performance.now() - t0;
    if (dt > batchMs / 4 || n > 1e6) break;
    n *= 2;
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let b = 0; b < batches; b++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(k++);
    wall.push((performance.now() - t0) / n);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / n);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function synthetic(base: ChipsScenario, n: number): ChipsScenario {
  const countries = Array.from({ length: n }, (_, i) => {
    const src = base.countries[i % base.countries.length];
    if (!src) throw new Error('empty base scenario');
    return { ...src, id: `S${String(i).padStart(4, '0')}`, name: `Synthetic ${i}` };
  });
  const scale = n / base.countries.length;
  return { ...base, countries, exporter: { ...base.exporter, supplyPerRound: base.exporter.supplyPerRound * scale } };
}

function negotiationsPerRun(p: CompiledChips): number {
  return simulateChips(p, 1, { record: false }).perRound.reduce((a, m) => a + m.negotiations, 0);
}

async function main(): Promise<void> {
  const file = fileURLToPath(new URL('../../scenarios/bilateral-2025.yaml', import.meta.url));
  const { scenario } = await loadScenarioFile(file);
  if (scenario.kind !== 'chips') throw new Error('expected a chips scenario');
  const out: string[] = [];
  const say = (s: string) => {
    out.push(s);
    process.stdout.write(`${s}\n`);
  };
  say(`tradesim bench - node ${process.version}, ${new Date().toISOString().slice(0, 10)}; medians of 9 batches after 0.5 s (and at least 100 runs) of warm-up; seeds differ between measurements`);
  say('');
  const p = compileChips(scenario);
  const negs = negotiationsPerRun(p);
  const tNoLog = timePerCall((i) => simulateChips(p, i, { record: false }), { from: 1_000_000 });
  const tLog = timePerCall((i) => simulateChips(p, i, { record: true }), { from: 2_000_000 });
  say(`calibrated scenario (${scenario.id}: ${scenario.countries.length} countries x ${scenario.rounds} rounds, ${negs} negotiations per run; wall and CPU time)`);
  say(`  without event log: ${(1000 / tNoLog.wall).toFixed(0)} runs/s, ${tNoLog.wall.toFixed(3)} ms/run wall, ${tNoLog.cpu.toFixed(3)} ms/run CPU, ${((negs * 1000) / tNoLog.wall).toFixed(0)} negotiations/s`);
  say(`  with event log:    ${(1000 / tLog.wall).toFixed(0)} runs/s, ${tLog.wall.toFixed(3)} ms/run wall, ${tLog.cpu.toFixed(3)} ms/run CPU, ${((negs * 1000) / tLog.wall).toFixed(0)} negotiations/s`);
  say('');
  try {
    for (const line of standardLines(benchStandard({ rounds: 5 }))) say(line);
  } catch (e) {
    say(`standard benchmark vs raw-sao.mjs: skipped (${e instanceof Error ? e.message : String(e)})`);
  }
  say('');
  const b = benchBilateral({ batches: 9 });
  say('engine against the hand-written loop in src/bench/bilateral.ts (3 issues x 10 values, opposed monotone linear-additive, deadline 100, Boulware vs Boulware; one process, alternating batches)');
  say(`  engine:           ${b.engine.negotiationsPerSecond.toFixed(0)} negotiations/s`);
  say(`  hand-written loop: ${b.hand.negotiationsPerSecond.toFixed(0)} negotiations/s`);
  say(`  ratio engine/hand: ${b.ratio.toFixed(2)} (aim >= 0.33)`);
  say('');
  say('scaling with the number of countries (synthetic copies, supply scaled; without event log; CPU time)');
  const base = { n: 25, ms: 0 };
  for (const n of [25, 100, 400, 1600]) {
    const sp = compileChips(synthetic(scenario, n));
    const t = timePerCall((i) => simulateChips(sp, i, { record: false }), { batchMs: 200, from: 3_000_000, warmCalls: Math.ceil(2000 / n) }).cpu;
    if (n === 25) base.ms = t;
    say(`  ${String(n).padStart(4)} countries: ${t.toFixed(3)} ms/run, ${(t / (n * scenario.rounds) * 1000).toFixed(2)} us per country-round, x${(t / base.ms).toFixed(2)} vs 25`);
  }
  say('');
  const sw = await benchSweepThroughput();
  say(`sweep throughput (${sw.runs} runs: 10 supply levels x ${sw.runs / 10} seeds of the calibrated scenario; whole CLI sweeps, start-up included; ${sw.repeats} interleaved repeats, medians and ranges)`);
  say(`  1 worker:  ${sw.one.toFixed(0)} runs/s`);
  say(`  2 workers: ${sw.two.toFixed(0)} runs/s`);
  say(`  scaling 2/1: ${ratioText(sw.ratio, sw.range.ratio)} (aim >= 1.7 on 2 cores)`);
  say('  yardsticks of the machine, each against the 1-worker sweep of its repeat:');
  say(`    the same sweep as two --shard processes side by side: ${ratioText(sw.shards, sw.range.shards)}`);
  say(`    two whole 1-worker sweeps side by side (what two cores give this workload at all): ${ratioText(sw.capacity, sw.range.capacity)}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
