/**
 * `npm run bench:tui`: the replay's responsiveness, printed (never asserted).
 *
 * 1. Time to first frame after the run completes, for the default scenario, in fresh processes, from the
 *    moment the result exists to the first frame written by the replay, at 80x24 and 160x48; median of 7
 *    processes each. "as run does": the replay modules are loaded while the scenario runs (what
 *    `tradesim run` on a terminal does); "cold": loading Ink, React and the replay starts only after the run.
 * 2. Playback at top speed: a long run (the default scenario over 100 rounds) replayed at the top speed to
 *    80x24 and 160x48 terminals, counting the frames actually written per second and the CPU time per frame;
 *    then again while a key is sent every 10 ms (select next country): afterwards the selection must have
 *    moved by exactly the number of keys sent.
 *
 * The terminal is a stand-in stream with the size of a real one (writes are counted, not displayed), so the
 * figures measure tradesim and Ink, not a terminal emulator.
 */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ChipsResult } from '../core/events.js';
import { loadScenarioFile } from '../core/scenario/load.js';
import { runChips } from '../sim/run.js';
import { loadReplay } from '../tui/load.js';
import { SPEEDS, type ReplayState } from '../tui/state.js';

const SCENARIO = fileURLToPath(new URL('../../scenarios/bilateral-2025.yaml', import.meta.url));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** A TTY-like output of a given size that counts what is written to it. */
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  writes = 0;
  frames = 0;
  bytes = 0;
  columns: number;
  rows: number;
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write(chunk: string | Uint8Array): boolean {
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    this.writes++;
    this.bytes += s.length;
    // A frame is a write that carries the header's position line.
    if (/(round|offer) \d+\/\d+/.test(s)) this.frames++;
    return true;
  }
}

/** A TTY-like input that the bench types into (the shape Ink reads: 'readable' events and read()). */
class FakeKeyboard extends EventEmitter {
  readonly isTTY = true;
  private queue: string[] = [];
  type(s: string): void {
    this.queue.push(s);
    this.emit('readable');
  }
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  setRawMode(): this {
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
}

const asOut = (t: FakeTerminal): NodeJS.WriteStream => t as unknown as NodeJS.WriteStream; // a stand-in, see FakeTerminal
const asIn = (k: FakeKeyboard): NodeJS.ReadStream => k as unknown as NodeJS.ReadStream; // a stand-in, see FakeKeyboard

async function defaultRun(rounds?: number): Promise<ChipsResult> {
  const { scenario } = await loadScenarioFile(SCENARIO);
  if (scenario.kind !== 'chips') throw new Error('expected a chips scenario');
  return runChips(scenario, { seed: 7, file: SCENARIO, ...(rounds !== undefined ? { rounds } : {}) });
}

/** Child process: run the default scenario, then time the replay's first frame. */
async function firstFrameChild(columns: number, rows: number, preload: boolean): Promise<void> {
  // The same loader the CLI uses (the bundled replay).
  let loading = preload ? loadReplay() : undefined;
  const result = await defaultRun();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  loading ??= loadReplay();
  const { openReplay } = await loading;
  const term = new FakeTerminal(columns, rows);
  const keys = new FakeKeyboard();
  let t1 = 0;
  let cpu = 0;
  await openReplay(result, {
    colour: true,
    stdout: asOut(term),
    stdin: asIn(keys),
    onFirstFrame: () => {
      t1 = performance.now();
      const c = process.cpuUsage(c0);
      cpu = (c.user + c.system) / 1000;
      setImmediate(() => keys.type('q'));
    },
  });
  process.stdout.write(`${JSON.stringify({ ms: t1 - t0, cpuMs: cpu })}\n`);
}

function firstFrame(columns: number, rows: number, n: number, mode: 'preload' | 'cold'): { ms: number; cpuMs: number }[] {
  const self = fileURLToPath(import.meta.url);
  const env = { ...process.env };
  delete env.CI;
  return Array.from({ length: n }, () => {
    const r = spawnSync(process.execPath, [self, '--first-frame', String(columns), String(rows), mode], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`first-frame child failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; cpuMs: number };
  });
}

async function playback(result: ChipsResult, withKeys: boolean, columns = 160, rows = 48): Promise<{ seconds: number; cpuMs: number; frames: number; rounds: number; keysSent: number; keysApplied: number }> {
  const { openReplay } = await loadReplay();
  const term = new FakeTerminal(columns, rows);
  const keys = new FakeKeyboard();
  let state: ReplayState | undefined;
  let started = 0;
  let framesAtStart = 0;
  let selectedAtStart = 0;
  let sent = 0;
  let cpu0 = process.cpuUsage();
  let done: (v: { seconds: number; cpuMs: number; frames: number; rounds: number }) => void = () => {};
  const finished = new Promise<{ seconds: number; cpuMs: number; frames: number; rounds: number }>((r) => (done = r));
  let typer: NodeJS.Timeout | undefined;
  const exit = openReplay(result, {
    colour: true,
    stdout: asOut(term),
    stdin: asIn(keys),
    onFirstFrame: () => {
      // Top speed, then play; a key every 10 ms while it plays.
      setImmediate(() => {
        for (let i = 0; i < 10; i++) keys.type('+');
        keys.type(' ');
      });
    },
    onState: (s) => {
      const was = state;
      state = s;
      if (s.playing && !was?.playing) {
        started = performance.now();
        cpu0 = process.cpuUsage();
        framesAtStart = term.frames;
        selectedAtStart = s.selected;
        if (withKeys) {
          typer = setInterval(() => {
            keys.type('j');
            sent++;
          }, 10);
        }
      }
      if (was?.playing && !s.playing) {
        clearInterval(typer);
        const cpu = process.cpuUsage(cpu0);
        done({ seconds: (performance.now() - started) / 1000, cpuMs: (cpu.user + cpu.system) / 1000, frames: term.frames - framesAtStart, rounds: s.cursor });
      }
    },
  });
  const r = await finished;
  // Let the last keys land, then quit.
  await new Promise((res) => setTimeout(res, 50));
  const n = state?.entities.length ?? 1;
  const moved = (((state?.selected ?? 0) - selectedAtStart) % n + n) % n;
  keys.type('q');
  await exit;
  return { ...r, keysSent: sent, keysApplied: moved === sent % n ? sent : -1 };
}

async function main(): Promise<void> {
  const [flag, c, r, mode] = process.argv.slice(2);
  if (flag === '--first-frame') return firstFrameChild(Number(c), Number(r), mode === 'preload');
  const say = (s: string): void => {
    process.stdout.write(`${s}\n`);
  };
  say(`tradesim bench:tui - node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  say('');
  say(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  say('');
  say('time to first frame after the run completes (default scenario, fresh process per measurement), median of 7;');
  say('CPU is the process CPU time over the same span: what the wall time would be on an otherwise idle core');
  for (const mode of ['preload', 'cold'] as const) {
    for (const [w, h] of [
      [80, 24],
      [160, 48],
    ] as const) {
      const got = firstFrame(w, h, 7, mode);
      const xs = got.map((g) => g.ms);
      const cs = got.map((g) => g.cpuMs);
      say(
        `  ${mode === 'preload' ? 'replay loaded during the run (as run does)' : 'cold (Ink and React loaded after the run)'} ${w}x${h}: wall ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}), CPU ${median(cs).toFixed(0)} ms`,
      );
    }
  }
  say('');
  const long = await defaultRun(100);
  say(`playback at top speed (${SPEEDS[SPEEDS.length - 1]} rounds/s), round view, default scenario over ${long.rounds.length} rounds, median of 3 playbacks`);
  for (const [withKeys, w, h] of [
    [false, 80, 24],
    [false, 160, 48],
    [true, 160, 48],
  ] as const) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await playback(long, withKeys, w, h));
    const fps = runs.map((x) => x.frames / x.seconds);
    const rps = runs.map((x) => x.rounds / x.seconds);
    const cpuPerFrame = runs.map((x) => x.cpuMs / Math.max(1, x.frames));
    say(`  ${w}x${h}, ${withKeys ? 'while a key is typed every 10 ms (select the next country):' : 'playback alone:'}`);
    say(`    frames written ${median(fps).toFixed(1)}/s, rounds advanced ${median(rps).toFixed(1)}/s`);
    say(`    CPU per frame written ${median(cpuPerFrame).toFixed(1)} ms: one free core sustains ${(1000 / median(cpuPerFrame)).toFixed(0)} frames/s`);
    if (withKeys) say(`    keys sent: ${runs.map((x) => x.keysSent).join(', ')}; applied: ${runs.map((x) => (x.keysApplied < 0 ? 'MISMATCH' : x.keysApplied)).join(', ')}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:tui failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
