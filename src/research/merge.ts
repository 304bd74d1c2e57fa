/**
 * Merge the outputs of a sharded sweep (or any set of outputs of one sweep) into one file in run-id order,
 * checking that the metas describe the same sweep and that every run id from 0 to totalRuns - 1 is there
 * exactly once. The inputs are read line by line (a k-way merge of files already in run-id order), so memory
 * does not grow with the number of runs. The output is written to a temporary file and renamed only when the
 * check passes; with every shard complete it is byte-identical to the unsharded sweep's output.
 */
import { open, rm, rename, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { InputError } from '../core/errors.js';
import { writeFailure } from '../core/files.js';
import { formatOfFile, headerLine, runIdOf } from './rows.js';
import { metaFileOf, readMeta, replaceFile, rowChecker, sameSweep } from './sweep-file.js';
import type { SweepMeta } from './sweep.js';

/** The inputs are well-formed but the runs are not all there exactly once (exit 1). */
export class MergeCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeCheckError';
  }
}

export interface MergeSummary {
  readonly out: string;
  readonly runs: number;
  readonly files: number;
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

export async function mergeSweeps(files: readonly string[], out: string): Promise<MergeSummary> {
  if (files.length === 0) throw new InputError({ path: '<files>', message: 'nothing to merge', expected: 'one or more sweep outputs, e.g. shard-*.csv' });
  const format = formatOfFile(out);
  if (format === undefined) throw new InputError({ path: '--out', message: 'unknown output format', expected: 'a file ending in .csv or .jsonl', found: JSON.stringify(out) });
  if (files.includes(out)) throw new InputError({ path: '--out', message: 'the output is also an input', expected: 'a new file' });
  const metas: SweepMeta[] = [];
  for (const f of files) metas.push(await readMeta(f, 'merge'));
  const first = metas[0] as SweepMeta;
  for (const [i, m] of metas.entries()) {
    const differ = sameSweep(first, m, ['shard', 'runsInShard']);
    if (differ.length > 0) {
      throw new InputError({ file: files[i] as string, path: 'merge', message: `not from the same sweep as ${files[0] as string} (${differ.join(', ')} differ)`, expected: 'outputs of one sweep command, differing only in --shard' });
    }
  }
  if (first.format !== format) throw new InputError({ path: '--out', message: `the inputs are ${first.format} but the output is not`, expected: `a file ending in .${first.format}` });
  for (const f of files) {
    if ((await stat(f)).size > 0 && !(await endsWithNewline(f))) {
      throw new MergeCheckError(`${f} ends in a partial row (its sweep was interrupted): finish it with the same command and --resume, then merge again`);
    }
  }
  const header = headerLine(format, first.columns);
  const readers = files.map((f) => ({ file: f, line: 0, lines: createInterface({ input: createReadStream(f), crlfDelay: Infinity })[Symbol.asyncIterator]() }));
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
  const missing: number[] = [];
  const duplicate: number[] = [];
  let missingCount = 0;
  let duplicateCount = 0;
  let expected = 0;
  let ok = false;
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
        for (let id = expected; id < h.id && id < first.totalRuns; id++) {
          if (missing.length < 10) missing.push(id);
          missingCount++;
        }
        if (h.id >= first.totalRuns) throw new InputError({ file: readers[k]?.file ?? '', path: 'merge', message: `run ${h.id} is past the end of the sweep`, expected: `run ids below ${first.totalRuns}` });
        buffer += `${h.line}\n`;
        expected = h.id + 1;
      }
      if (buffer.length > 1 << 16) {
        await fh.writeFile(buffer);
        buffer = '';
      }
      heads[k] = await nextRow(readers[k] as (typeof readers)[number]);
    }
    for (let id = expected; id < first.totalRuns; id++) {
      if (missing.length < 10) missing.push(id);
      missingCount++;
    }
    await fh.writeFile(buffer);
    const problems = [
      missingCount > 0 ? `${missingCount} run(s) missing: ${list(missing, missingCount)}` : '',
      duplicateCount > 0 ? `${duplicateCount} run(s) present more than once: ${list(duplicate, duplicateCount)}` : '',
    ].filter(Boolean);
    if (problems.length > 0) {
      const shards = metas.map((m) => (m.shard ? `${m.shard.index}/${m.shard.count}` : 'all')).join(', ');
      throw new MergeCheckError(`${problems.join('; ')} (of ${first.totalRuns} runs; merged ${files.length} file(s), shards ${shards}); nothing written`);
    }
    ok = true;
  } catch (e) {
    throw e instanceof InputError || e instanceof MergeCheckError ? e : writeFailure(out, e, '--out', '; nothing written');
  } finally {
    await fh.close();
    if (!ok) await rm(tmp, { force: true });
  }
  await rename(tmp, out);
  await replaceFile(metaFileOf(out), `${JSON.stringify({ ...first, shard: null, runsInShard: first.totalRuns }, null, 2)}\n`);
  return { out, runs: first.totalRuns, files: files.length };

  async function nextRow(r: (typeof readers)[number]): Promise<{ id: number; line: string } | null> {
    const n = await r.lines.next();
    if (n.done === true) return null;
    r.line++;
    const id = runIdOf(format as 'csv' | 'jsonl', n.value);
    if (id === undefined) throw new InputError({ file: r.file, line: r.line, path: 'merge', message: 'a line that is not a sweep row', found: JSON.stringify(n.value.slice(0, 60)) });
    const wrong = id < first.totalRuns ? check(n.value, id) : undefined;
    if (wrong !== undefined) throw new InputError({ file: r.file, line: r.line, path: 'merge', message: `row of run ${id} is not what the sweep wrote (${wrong}): the file was edited or damaged`, expected: 'the rows tradesim sweep wrote' });
    return { id, line: n.value };
  }
}
