/**
 * Merge the outputs of a sharded sweep (or any set of outputs of one sweep) into one file in run-id order,
 * checking that the metas describe the same sweep and that every run id from 0 to totalRuns - 1 is there
 * exactly once. The inputs are read line by line (a k-way merge of files already in run-id order), so memory
 * does not grow with the number of runs. The output is written to a temporary file and renamed only when the
 * check passes; with every shard complete it is byte-identical to the unsharded sweep's output.
 *
 * Beyond the run ids, each input's rows are checked against the digest its metadata holds once complete, and
 * the runtimes that wrote them (fingerprint.ts) must agree unless `allowMixed`. What fails names the shards to
 * run again, in the array syntax of the schedulers (3,7 or 1-4), and with a plan the commands that do it.
 * An input may be a pattern, `results/part-{shard}.csv`: every shard's file, including those not written.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../core/errors.js';
import { writeFailure } from '../core/files.js';
import { runtimeOf } from './fingerprint.js';
import type { Plan } from './plan/model.js';
import { resubmitCommands } from './plan/resubmit.js';
import { formatOfFile, headerLine, runIdOf, type RowFormat } from './rows.js';
import { formatShardList, SHARD_PLACEHOLDER } from './shard-env.js';
import { metaFileOf, readMeta, replaceFile, rowChecker, sameSweep } from './sweep-file.js';
import { RUN_RECORD_KEYS, type SweepMeta } from './sweep.js';

export interface Resubmit {
  /** Shard numbers to run again, ascending. */
  readonly shards: readonly number[];
  /** The sweep's number of shards. */
  readonly of: number;
  /** Scheduler array syntax: "--array=3,7". */
  readonly array: string;
  /** Files to delete before: their rows cannot be continued (edited, or from another runtime). */
  readonly remove: readonly string[];
  /** With a plan: the commands that rerun them. */
  readonly commands: readonly string[];
}

/** The inputs are well-formed but the runs are not all there exactly once, or not all alike (exit 1). */
export class MergeCheckError extends Error {
  readonly problems: readonly string[];
  readonly resubmit: Resubmit | null;
  constructor(problems: readonly string[], summary: string, resubmit: Resubmit | null) {
    super(`${problems.join('; ')} ${summary}`);
    this.name = 'MergeCheckError';
    this.problems = problems;
    this.resubmit = resubmit;
  }
}

export interface MergeOptions {
  /** Merge rows written by different runtimes (recorded in the output's metadata as `mixed`). */
  readonly allowMixed?: boolean;
  /** The sweep's plan (plan.json): its shard count, and the commands that rerun shards. */
  readonly plan?: Plan;
}

export interface MergeSummary {
  readonly out: string;
  readonly runs: number;
  readonly files: number;
  /** sha256 of the merged row lines: the unsharded sweep's digest. */
  readonly sha256: string;
  /** Runtimes merged besides the first (--allow-mixed). */
  readonly mixed: number;
}

async function endsWithNewline(file: string): Promise<boolean> {
  const { size } = await stat(file);
  if (size === 0) return false;
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    await fh.close();
  }
}

const list = (ids: readonly number[], total: number): string => `${ids.join(', ')}${total > ids.length ? `, ... (${total} in all)` : ''}`;
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern input: the files of shards 1..N that exist, and the shards whose file does not. */
async function expandPattern(pattern: string, plan: Plan | undefined): Promise<{ files: string[]; absent: number[] }> {
  const dir = dirname(pattern);
  const base = basename(pattern);
  if (dir.includes(SHARD_PLACEHOLDER)) throw new InputError({ path: 'merge', message: `${SHARD_PLACEHOLDER} only in the file name`, found: JSON.stringify(pattern) });
  const re = new RegExp(`^${base.split(SHARD_PLACEHOLDER).map(escapeRegExp).join('(\\d+)')}$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found = new Map<number, string>();
  for (const n of names) {
    const m = re.exec(n);
    if (m?.[1] !== undefined) found.set(Number(m[1]), join(dir, n));
  }
  const first = [...found.values()][0];
  const count = plan?.shards ?? (first !== undefined ? (await readMeta(first, 'merge')).shard?.count : undefined);
  if (count === undefined) {
    throw new InputError({ path: 'merge', message: `no file matches ${pattern}`, expected: 'shard outputs, or --plan to know how many shards there are' });
  }
  const files: string[] = [];
  const absent: number[] = [];
  for (let k = 1; k <= count; k++) {
    const f = found.get(k);
    if (f === undefined) absent.push(k);
    else files.push(f);
  }
  return { files, absent };
}

/** The runtimes that wrote the inputs' rows: each with the inputs (indices) that hold its rows. */
function runtimesOf(metas: readonly SweepMeta[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  metas.forEach((m, i) => {
    for (const f of new Set([runtimeOf(m.fingerprint), ...(m.mixed ?? []).map(runtimeOf)])) groups.set(f, [...(groups.get(f) ?? []), i]);
  });
  return groups;
}

export async function mergeSweeps(inputs: readonly string[], out: string, opts: MergeOptions = {}): Promise<MergeSummary> {
  if (inputs.length === 0) throw new InputError({ path: '<files>', message: 'nothing to merge', expected: 'one or more sweep outputs, e.g. shard-*.csv or results/part-{shard}.csv' });
  const format = formatOfFile(out);
  if (format === undefined) throw new InputError({ path: '--out', message: 'unknown output format', expected: 'a file ending in .csv or .jsonl', found: JSON.stringify(out) });
  const files: string[] = [];
  const absent: number[] = [];
  for (const f of inputs) {
    if (!f.includes(SHARD_PLACEHOLDER)) files.push(f);
    else {
      const e = await expandPattern(f, opts.plan);
      files.push(...e.files);
      absent.push(...e.absent);
    }
  }
  if (files.includes(out)) throw new InputError({ path: '--out', message: 'the output is also an input', expected: 'a new file' });
  if (files.length === 0) throw new MergeCheckError([`none of the ${absent.length} shard file(s) exists`], '(nothing written)', resubmitOf(absent, [], opts.plan?.shards ?? absent.length, opts.plan));
  const metas: SweepMeta[] = [];
  for (const f of files) metas.push(await readMeta(f, 'merge'));
  const first = metas[0] as SweepMeta;
  for (const [i, m] of metas.entries()) {
    const differ = sameSweep(first, m, ['shard', 'runsInShard', ...RUN_RECORD_KEYS]);
    if (differ.length > 0) {
      throw new InputError({ file: files[i] as string, path: 'merge', message: `not from the same sweep as ${files[0] as string} (${differ.join(', ')} differ)`, expected: 'outputs of one sweep command, differing only in --shard' });
    }
  }
  if (first.format !== format) throw new InputError({ path: '--out', message: `the inputs are ${first.format} but the output is not`, expected: `a file ending in .${first.format}` });
  // The shard count, when every input is a shard of the same split: it turns missing runs into shards to rerun.
  const counts = new Set(metas.map((m) => m.shard?.count ?? 0));
  const shardCount = counts.size === 1 && !counts.has(0) ? (first.shard?.count ?? null) : null;
  const problems: string[] = absent.length > 0 ? [`no file for ${absent.length === 1 ? 'shard' : 'shards'} ${formatShardList(absent)} of ${inputs.filter((f) => f.includes(SHARD_PLACEHOLDER)).join(', ')}`] : [];
  const redo = new Set<number>(absent);
  const remove: string[] = [];
  const readable: number[] = [];
  for (const [i, f] of files.entries()) {
    if ((await stat(f)).size > 0 && !(await endsWithNewline(f))) {
      // Its complete rows stay out of the merge: the runs it lacks are then named with the others.
      problems.push(`${f} ends in a partial row (its sweep was interrupted; the same command with --resume finishes it)`);
    } else readable.push(i);
  }
  const runtimes = runtimesOf(metas);
  if (runtimes.size > 1 && opts.allowMixed !== true) {
    // The runtime with most inputs stays; the others' shards are run again under it.
    const [keep] = [...runtimes.entries()].sort((a, b) => b[1].length - a[1].length)[0] as [string, number[]];
    const sorted = [...runtimes.entries()].map(([r, ix]) => `${r} (${ix.length === 1 ? 'shard' : 'shards'} ${ix.map((i) => shardName(metas[i] as SweepMeta)).join(', ')})`);
    problems.push(`the rows come from different runtimes, which may differ in the last digits: ${sorted.join('; ')}; --allow-mixed merges them anyway (recorded)`);
    for (const [r, ix] of runtimes) {
      if (r === keep) continue;
      for (const i of ix) {
        remove.push(files[i] as string);
        const k = metas[i]?.shard?.index;
        if (k !== undefined) redo.add(k);
      }
    }
  }

  const header = headerLine(format, first.columns);
  interface Reader {
    readonly file: string;
    readonly meta: SweepMeta;
    readonly lines: AsyncIterator<string>;
    readonly digest: Hash;
    rows: number;
    line: number;
  }
  const readers: Reader[] = readable.map((i) => ({
    file: files[i] as string,
    meta: metas[i] as SweepMeta,
    lines: createInterface({ input: createReadStream(files[i] as string), crlfDelay: Infinity })[Symbol.asyncIterator](),
    digest: createHash('sha256'),
    rows: 0,
    line: 0,
  }));
  // Rows are copied as they are: each is checked cell by cell against the sweep, not only its run id.
  const check = rowChecker(first);
  const heads: ({ id: number; line: string } | null)[] = [];
  for (const r of readers) {
    if (header !== '') {
      const h = await r.lines.next();
      r.line++;
      if (h.done === true || h.value !== header.replace(/\n$/, '')) throw new InputError({ file: r.file, line: 1, path: 'merge', message: 'the header does not match the sweep metadata' });
    }
    heads.push(await nextRow(r));
  }
  const tmp = `${out}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w').catch((e: unknown) => {
    throw writeFailure(out, e, '--out');
  });
  const merged = createHash('sha256');
  const missing: number[] = [];
  const duplicate: number[] = [];
  let missingCount = 0;
  let duplicateCount = 0;
  let expected = 0;
  let ok = false;
  const lack = (id: number) => {
    if (missing.length < 10) missing.push(id);
    missingCount++;
    if (shardCount !== null) redo.add((id % shardCount) + 1);
  };
  try {
    let buffer = header;
    for (;;) {
      let k = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h && (k < 0 || h.id < (heads[k] as { id: number }).id)) k = i;
      }
      if (k < 0) break;
      const h = heads[k] as { id: number; line: string };
      if (h.id < expected) {
        if (duplicate.length < 10) duplicate.push(h.id);
        duplicateCount++;
      } else {
        for (let id = expected; id < h.id && id < first.totalRuns; id++) lack(id);
        if (h.id >= first.totalRuns) throw new InputError({ file: readers[k]?.file ?? '', path: 'merge', message: `run ${h.id} is past the end of the sweep`, expected: `run ids below ${first.totalRuns}` });
        buffer += `${h.line}\n`;
        merged.update(`${h.line}\n`);
        expected = h.id + 1;
      }
      if (buffer.length > 1 << 16) {
        await fh.writeFile(buffer);
        buffer = '';
      }
      heads[k] = await nextRow(readers[k] as Reader);
    }
    for (let id = expected; id < first.totalRuns; id++) lack(id);
    await fh.writeFile(buffer);
    for (const r of readers) {
      const want = r.meta.rows;
      if (want !== undefined && (want.count !== r.rows || want.sha256 !== r.digest.digest('hex'))) {
        problems.push(`${r.file}: its rows do not match the digest in its metadata (the file was edited or damaged after it was written)`);
        remove.push(r.file);
        if (r.meta.shard) redo.add(r.meta.shard.index);
      }
    }
    if (missingCount > 0) problems.unshift(`${missingCount} run(s) missing: ${list(missing, missingCount)}`);
    if (duplicateCount > 0) problems.push(`${duplicateCount} run(s) present more than once: ${list(duplicate, duplicateCount)} (two files of one shard? keep one)`);
    if (problems.length > 0) {
      const shards = metas.map(shardName).join(', ');
      const count = shardCount ?? opts.plan?.shards ?? null;
      throw new MergeCheckError(problems, `(of ${first.totalRuns} runs; merged ${files.length} file(s), shards ${shards}); nothing written`, count !== null && redo.size > 0 ? resubmitOf([...redo], remove, count, opts.plan) : null);
    }
    ok = true;
  } catch (e) {
    throw e instanceof InputError || e instanceof MergeCheckError ? e : writeFailure(out, e, '--out', '; nothing written');
  } finally {
    await fh.close();
    if (!ok) await rm(tmp, { force: true });
  }
  await rename(tmp, out);
  const mixed = [...new Map(metas.flatMap((m) => [m.fingerprint, ...(m.mixed ?? [])]).filter((f) => f !== undefined).map((f) => [runtimeOf(f), f])).values()].slice(1);
  const sha256 = merged.digest('hex');
  const { mixed: _m, rows: _r, ...rest } = first;
  const meta: SweepMeta = { ...rest, shard: null, runsInShard: first.totalRuns, ...(mixed.length > 0 ? { mixed } : {}), rows: { count: first.totalRuns, sha256 } };
  await replaceFile(metaFileOf(out), `${JSON.stringify(meta, null, 2)}\n`);
  return { out, runs: first.totalRuns, files: files.length, sha256, mixed: mixed.length };

  async function nextRow(r: Reader): Promise<{ id: number; line: string } | null> {
    const n = await r.lines.next();
    if (n.done === true) return null;
    r.line++;
    const id = runIdOf(format as RowFormat, n.value);
    if (id === undefined) throw new InputError({ file: r.file, line: r.line, path: 'merge', message: 'a line that is not a sweep row', found: JSON.stringify(n.value.slice(0, 60)) });
    const wrong = id < first.totalRuns ? check(n.value, id) : undefined;
    if (wrong !== undefined) throw new InputError({ file: r.file, line: r.line, path: 'merge', message: `row of run ${id} is not what the sweep wrote (${wrong}): the file was edited or damaged`, expected: 'the rows tradesim sweep wrote' });
    r.digest.update(`${n.value}\n`);
    r.rows++;
    return { id, line: n.value };
  }
}

const shardName = (m: SweepMeta): string => (m.shard ? `${m.shard.index}/${m.shard.count}` : 'all');

function resubmitOf(shards: readonly number[], remove: readonly string[], of: number, plan: Plan | undefined): Resubmit {
  const sorted = [...new Set(shards)].sort((a, b) => a - b);
  return {
    shards: sorted,
    of,
    array: `--array=${formatShardList(sorted)}`,
    remove,
    commands: plan !== undefined ? resubmitCommands(plan, sorted) : [],
  };
}
