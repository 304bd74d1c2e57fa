/**
 * A sweep streamed to a CSV or JSONL file, with a sidecar `<out>.meta.json` written atomically at the start.
 * Rows are appended in run-id order as chunks complete, so at any moment the file is the header, a prefix of
 * the run list, and at most one partial line (a process killed mid-write). `resume` checks the meta, drops
 * that partial line, checks every row's run id, and continues: the finished file is byte-identical to an
 * uninterrupted run's.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseCsvLine } from '../core/csv.js';
import { describeValue, InputError } from '../core/errors.js';
import { pathExists, readInputText, requireRegularFile, writeFailure } from '../core/files.js';
import { makeDesign, shardRuns } from './design.js';
import { runtimeOf, sameRuntime } from './fingerprint.js';
import { formatOfFile, hasRegimeColumn, headerLine, rowLine, runIdOf, type RowFormat } from './rows.js';
import { prepareSweep, RUN_RECORD_KEYS, startSweepPool, sweepChunks, type ChunkSchedule, type SweepMeta, type SweepOptions, type SweepPool } from './sweep.js';
import { parseVary } from './vary.js';

export interface SweepFileOptions extends SweepOptions {
  /** Output file: .csv or .jsonl. */
  readonly out: string;
  /** Continue a partial output (its meta must match). Starts afresh when the output does not exist. */
  readonly resume?: boolean;
  /** Overwrite an existing output. */
  readonly force?: boolean;
  /**
   * Resume a file that another runtime (Node, V8, platform or architecture) began: its rows may then differ in
   * the last digits from a single runtime's. Recorded in the metadata (`mixed`).
   */
  readonly allowMixed?: boolean;
  /**
   * Worker threads the caller started (startSweepPool) and ends; by default they are started and ended here.
   * Starting them first lets them load their code while the caller reads and checks the scenario.
   */
  readonly pool?: SweepPool | null;
  /** The sweep's first chunks, already handed to that pool's threads (startSweep); not with resume. */
  readonly schedule?: ChunkSchedule | null;
  /** Called after each chunk with the rows in the file and the rows the shard will have. */
  readonly onProgress?: (done: number, total: number, resumedFrom: number) => void;
}

export interface SweepSummary {
  readonly out: string;
  readonly meta: string;
  readonly runs: number;
  /** The shard written, if the sweep is sharded. */
  readonly shard: SweepMeta['shard'];
  /** sha256 of the file's row lines (header excluded), also in its metadata: equal files, equal digests. */
  readonly sha256: string;
  /** Rows already in the file when --resume started (0 for a fresh start). */
  readonly resumedFrom: number;
  readonly written: number;
  readonly seconds: number;
  readonly workers: number;
  /** Peak resident memory of the process (all threads) so far, in MB. */
  readonly peakRssMb: number;
  /** CPU time of the process (all threads, user + system) so far, in seconds. */
  readonly cpuSeconds: number;
}

export const metaFileOf = (out: string): string => `${out}.meta.json`;

/** Write through a temporary file and rename, so that a reader never sees half a file. */
export async function replaceFile(file: string, data: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Metas agree when they describe the same runs: everything but how the scenario file was named. */
export function sameSweep(a: SweepMeta, b: SweepMeta, ignore: readonly (keyof SweepMeta)[] = []): (keyof SweepMeta)[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof SweepMeta)[]);
  const differ: (keyof SweepMeta)[] = [];
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    const x = k === 'scenario' ? { ...a.scenario, file: '' } : a[k];
    const y = k === 'scenario' ? { ...b.scenario, file: '' } : b[k];
    if (JSON.stringify(x) !== JSON.stringify(y)) differ.push(k);
  }
  return differ;
}

export async function readMeta(file: string, flag: string): Promise<SweepMeta> {
  if (!(await pathExists(metaFileOf(file)))) {
    throw new InputError({ path: flag, message: `no sweep metadata beside ${file}`, expected: `${metaFileOf(file)}, written when the sweep started` });
  }
  await requireRegularFile(file, { what: 'sweep output' });
  const text = await readInputText(metaFileOf(file), { what: 'sweep metadata', maxBytes: 16 * 1024 * 1024 });
  try {
    const m = JSON.parse(text) as SweepMeta;
    if (m.kind !== 'tradesim-sweep') throw new Error('kind');
    return m;
  } catch {
    throw new InputError({ file: metaFileOf(file), path: flag, message: 'not a tradesim sweep metadata file', expected: 'the JSON written by tradesim sweep' });
  }
}

/**
 * Scan `file` line by line (memory flat in its size) and call `onLine` with each complete line's text and
 * the byte offset just past it. Returns the offset past the last complete line.
 */
export async function scanLines(file: string, onLine: (line: string, index: number) => void): Promise<number> {
  let offset = 0;
  let end = 0;
  let index = 0;
  let partial: Buffer[] = [];
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      const line = Buffer.concat([...partial, chunk.subarray(start, nl)]).toString('utf8');
      partial = [];
      end = offset + nl + 1;
      onLine(line, index++);
      start = nl + 1;
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
    offset += chunk.length;
  }
  return end;
}

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const REGIME_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/**
 * A check of one row line against the sweep its meta describes, cell by cell: the run id, its seed and
 * parameter values as the design gives them (recomputed from the meta), a regime name, and a number or an
 * empty cell for every metric. Returns what is wrong, or undefined. `--resume` and `merge` copy rows as they
 * are, so a row edited by hand or damaged on disk must not pass for one the sweep wrote.
 */
export function rowChecker(meta: SweepMeta): (line: string, id: number) => string | undefined {
  const vary = meta.vary.map(parseVary);
  const design = makeDesign({ design: meta.design, vary, ...(meta.samples !== null ? { samples: meta.samples } : {}), seeds: meta.seeds, seedStart: meta.seedStart, masterSeed: meta.masterSeed, ...(meta.worlds !== undefined ? { worlds: meta.worlds } : {}) });
  const columns = meta.columns;
  const paths = design.paths ?? vary.map((v) => v.path);
  const regimeAt = hasRegimeColumn(paths) ? 2 + paths.length : -1;
  const metricsFrom = 2 + paths.length + (regimeAt >= 0 ? 1 : 0);
  const csv = meta.format === 'csv';
  const cellsOf = (line: string): unknown[] | string => {
    if (csv) {
      try {
        return parseCsvLine(line).map((c) => (c === '' ? null : c));
      } catch {
        return 'not a CSV row';
      }
    }
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return 'not a JSON object';
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not a JSON object';
    const keys = Object.keys(o);
    if (keys.length !== columns.length || keys.some((k, i) => k !== columns[i])) return 'its keys are not the columns of the sweep';
    return columns.map((c) => (o as Record<string, unknown>)[c]);
  };
  return (line, id) => {
    const cells = cellsOf(line);
    if (typeof cells === 'string') return cells;
    if (cells.length !== columns.length) return `${cells.length} cells, not ${columns.length}`;
    const { point, seed } = design.run(id);
    const expected = [id, seed, ...design.pointValues(point)];
    for (const [i, want] of expected.entries()) {
      const got = cells[i];
      if (csv ? got !== String(want) : got !== want) return `${columns[i] ?? i} is ${describeValue(got)}, not ${describeValue(want)}`;
    }
    if (regimeAt >= 0 && !(typeof cells[regimeAt] === 'string' && REGIME_NAME.test(cells[regimeAt]))) return `regime is ${describeValue(cells[regimeAt])}, not a regime name`;
    for (let i = metricsFrom; i < columns.length; i++) {
      const v = cells[i];
      const ok = v === null || (csv ? typeof v === 'string' && NUMBER_TEXT.test(v) && Number.isFinite(Number(v)) : typeof v === 'number' && Number.isFinite(v));
      if (!ok) return `${columns[i] ?? i} is ${describeValue(v)}, not a number or empty`;
    }
    return undefined;
  };
}

/**
 * Rows already in a partial output, after checking them (each row line also goes into `digest`); trims a
 * trailing partial line. Returns the metadata the file had.
 */
async function resumePoint(out: string, format: RowFormat, meta: SweepMeta, header: string, digest: Hash): Promise<{ rows: number; old: SweepMeta }> {
  const old = await readMeta(out, '--resume');
  const differ = sameSweep(old, meta, RUN_RECORD_KEYS);
  if (differ.length > 0) {
    throw new InputError({
      path: '--resume',
      message: `${out} was written by a different sweep (${differ.join(', ')} differ${differ.includes('tool') ? '; another tradesim version' : ''})`,
      expected: 'the same scenario, flags and version as the run that wrote it, or a new --out',
    });
  }
  const runs = shardRuns(meta.totalRuns, meta.shard);
  const check = rowChecker(meta);
  const headerText = header.replace(/\n$/, '');
  let rows = 0;
  let headerSeen = header === '';
  const keep = await scanLines(out, (line, i) => {
    if (!headerSeen && i === 0) {
      if (line !== headerText) throw new InputError({ file: out, line: 1, path: '--resume', message: 'the header is not this sweep\'s', expected: headerText.slice(0, 120), found: line.slice(0, 120) });
      headerSeen = true;
      return;
    }
    const want = runs.id(rows);
    const got = runIdOf(format, line);
    if (got !== want) {
      throw new InputError({ file: out, line: i + 1, path: '--resume', message: 'unexpected row: the file was edited or mixes outputs', expected: `run ${want}`, found: got === undefined ? JSON.stringify(line.slice(0, 60)) : `run ${got}` });
    }
    const wrong = check(line, want);
    if (wrong !== undefined) {
      throw new InputError({ file: out, line: i + 1, path: '--resume', message: `row of run ${want} is not what this sweep wrote (${wrong}): the file was edited or damaged`, expected: 'the rows tradesim sweep wrote; remove the damaged rows, or start again with --force' });
    }
    digest.update(`${line}\n`);
    rows++;
  });
  if (!headerSeen) {
    // Killed before the header was complete: start again.
    await writeFile(out, header);
    return { rows: 0, old };
  }
  await truncate(out, keep);
  return { rows, old };
}

/**
 * The metadata a resumed file keeps: its own fingerprint, and this runtime among `mixed` if it differs, which
 * only --allow-mixed permits (rows from two runtimes may differ from either's in the last digits).
 */
function resumedMeta(out: string, old: SweepMeta, now: SweepMeta, allowMixed: boolean): SweepMeta {
  const seen = [old.fingerprint, ...(old.mixed ?? [])];
  if (seen.some((f) => sameRuntime(f, now.fingerprint))) return old;
  if (!allowMixed) {
    throw new InputError({
      path: '--resume',
      message: `${out} was begun under ${runtimeOf(old.fingerprint)}, this is ${runtimeOf(now.fingerprint)}: rows from two runtimes may not be byte-identical to either's`,
      expected: 'the same Node, V8, platform and architecture; or --force to start the file again here; or --allow-mixed to continue anyway (recorded in its metadata)',
    });
  }
  return { ...old, mixed: [...(old.mixed ?? []), ...(now.fingerprint !== undefined ? [now.fingerprint] : [])] };
}

export async function sweepToFile(o: SweepFileOptions): Promise<SweepSummary> {
  const t0 = performance.now();
  const format = formatOfFile(o.out);
  if (format === undefined) throw new InputError({ path: '--out', message: 'unknown output format', expected: 'a file ending in .csv or .jsonl', found: JSON.stringify(o.out) });
  if (o.resume === true && o.force === true) throw new InputError({ path: '--force', message: '--resume and --force contradict each other', expected: 'one of them' });
  if (o.pool !== undefined) return sweepWith(o, format, o.pool, t0);
  // The worker threads load their code while this thread reads and checks the scenario.
  const pool = await startSweepPool(o.workers ?? 1);
  try {
    return await sweepWith(o, format, pool, t0);
  } finally {
    await pool?.destroy();
  }
}

async function sweepWith(o: SweepFileOptions, format: RowFormat, pool: SweepPool | null, t0: number): Promise<SweepSummary> {
  const p = await prepareSweep(o, o.schedule?.planned);
  const meta = p.meta(format);
  const header = headerLine(format, p.columns);
  const digest = createHash('sha256');
  let start = 0;
  // A FIFO or device in place of the output would block the first write (or --resume's read).
  if (existsSync(o.out)) await requireRegularFile(o.out, { what: 'sweep output', wrap: (x) => new InputError({ path: '--out', ...x, message: `${o.out}: ${x.message}` }) });
  let record = meta;
  if (existsSync(o.out) && o.resume === true) {
    const r = await resumePoint(o.out, format, meta, header, digest);
    start = r.rows;
    if (r.old.rows !== undefined && r.old.rows.count === start && r.old.rows.sha256 !== digest.copy().digest('hex')) {
      throw new InputError({ file: o.out, path: '--resume', message: 'the rows no longer match the digest in its metadata: the file was edited', expected: '--force to write it again' });
    }
    const { rows: _, ...old } = r.old;
    record = resumedMeta(o.out, old, meta, o.allowMixed === true);
    if (record !== old) await replaceFile(metaFileOf(o.out), `${JSON.stringify(record, null, 2)}\n`);
  } else {
    if (existsSync(o.out) && o.force !== true) {
      throw new InputError({ path: '--out', message: `${o.out} already exists`, expected: 'a new file, --resume to continue it, or --force to overwrite it' });
    }
    try {
      // A task of a batch array may be the first to write into results/.
      await mkdir(dirname(o.out), { recursive: true });
      await replaceFile(metaFileOf(o.out), `${JSON.stringify(meta, null, 2)}\n`);
      await writeFile(o.out, header);
    } catch (e) {
      throw writeFailure(o.out, e, '--out', '; run the same command again when there is space');
    }
  }
  const total = p.runsInShard;
  o.onProgress?.(start, total, start);
  const fh = await open(o.out, 'a');
  let done = start;
  try {
    for await (const rows of sweepChunks(p, { from: start, pool, schedule: o.schedule ?? null, ...(o.chunkSize !== undefined ? { chunkSize: o.chunkSize } : {}) })) {
      const text = rows.map((r) => rowLine(format, p.columns, r)).join('');
      try {
        // appendFile writes the whole chunk or fails; a part written before a full disk is at most one partial
        // row, which --resume drops.
        await fh.appendFile(text);
      } catch (e) {
        throw writeFailure(o.out, e, '--out', `; the file holds at least the first ${done} of ${total} rows: make room and run the same command with --resume to finish it`);
      }
      digest.update(text);
      done += rows.length;
      o.onProgress?.(done, total, start);
    }
  } finally {
    await fh.close();
  }
  // The digest marks the file complete: merge checks the rows against it.
  const sha256 = digest.digest('hex');
  await replaceFile(metaFileOf(o.out), `${JSON.stringify({ ...record, rows: { count: done, sha256 } }, null, 2)}\n`);
  return {
    out: o.out,
    meta: metaFileOf(o.out),
    runs: total,
    shard: meta.shard,
    sha256,
    resumedFrom: start,
    written: done - start,
    seconds: (performance.now() - t0) / 1000,
    workers: (pool?.threads ?? 0) + 1,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  };
}
