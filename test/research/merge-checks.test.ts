/**
 * Shard metadata (runtime fingerprint, row digest) and what merge and --resume make of it: shards from
 * another runtime or edited after they were written are refused and named for resubmission.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSweeps, MergeCheckError } from '../../src/research/merge.js';
import { metaFileOf, sweepToFile } from '../../src/research/sweep-file.js';
import type { SweepMeta } from '../../src/research/sweep.js';

/** The row with its last digit changed (a metric value still a valid number, unlike an edited seed). */
const bumpLastDigit = (line: string): string => line.replace(/(\d)(?=\D*$)/, (d) => String((Number(d) + 1) % 10));

const TOY = 'scenarios/teaching/three-country.yaml';
// `rounds` exists in every scenario kind: the test does not depend on the world model's parameters.
const SWEEP = { scenario: TOY, vary: ['rounds=3,5'], seeds: 4 } as const;
const tmp = () => mkdtempSync(join(tmpdir(), 'tradesim-merge-'));
const metaOf = (f: string) => JSON.parse(readFileSync(metaFileOf(f), 'utf8')) as SweepMeta;
const editMeta = (f: string, edit: (m: SweepMeta) => SweepMeta) => writeFileSync(metaFileOf(f), JSON.stringify(edit(metaOf(f))));
const rowsDigest = (f: string) => createHash('sha256').update(readFileSync(f, 'utf8').split('\n').slice(1).join('\n')).digest('hex');

async function shards(dir: string, n = 3): Promise<string[]> {
  const files = Array.from({ length: n }, (_, i) => join(dir, `part-${i + 1}.csv`));
  for (const [i, out] of files.entries()) await sweepToFile({ ...SWEEP, shard: `${i + 1}/${n}`, out });
  return files;
}

async function mergeError(p: Promise<unknown>): Promise<MergeCheckError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(MergeCheckError);
  return e as MergeCheckError;
}

describe('shard metadata and merge checks', () => {
  it('records the runtime fingerprint and, once complete, the row digest; merge gives the unsharded digest', async () => {
    const dir = tmp();
    const whole = await sweepToFile({ ...SWEEP, out: join(dir, 'all.csv') });
    const files = await shards(dir);
    const m = metaOf(files[1] as string);
    expect(m.fingerprint).toEqual({ node: process.versions.node, v8: process.versions.v8, platform: process.platform, arch: process.arch, tool: m.tool.version, scenario: m.scenario.hash });
    expect(m.rows).toEqual({ count: 3, sha256: rowsDigest(files[1] as string) });
    const s = await mergeSweeps(files, join(dir, 'merged.csv'));
    expect(readFileSync(join(dir, 'merged.csv'), 'utf8')).toBe(readFileSync(join(dir, 'all.csv'), 'utf8'));
    expect(s.sha256).toBe(whole.sha256);
    expect(metaOf(join(dir, 'merged.csv')).rows).toEqual({ count: 8, sha256: whole.sha256 });
  });

  it('refuses shards from another runtime and names them; --allow-mixed merges them and records it', async () => {
    const dir = tmp();
    const files = await shards(dir);
    editMeta(files[1] as string, (m) => ({ ...m, fingerprint: { ...(m.fingerprint as NonNullable<SweepMeta['fingerprint']>), node: '18.0.0', v8: '10.2' } }));
    const e = await mergeError(mergeSweeps(files, join(dir, 'merged.csv')));
    expect(e.message).toMatch(/different runtimes.*Node 18\.0\.0 \(V8 10\.2\).*shard 2\/3.*--allow-mixed/);
    expect(e.resubmit).toMatchObject({ shards: [2], of: 3, array: '--array=2', remove: [files[1]] });
    const s = await mergeSweeps(files, join(dir, 'merged.csv'), { allowMixed: true });
    expect(s.mixed).toBe(1);
    expect(metaOf(join(dir, 'merged.csv')).mixed?.map((f) => f.node)).toEqual(['18.0.0']);
  });

  it('catches a shard edited after it was written, by its digest, and a shard file never written', async () => {
    const dir = tmp();
    const files = await shards(dir);
    const f = files[2] as string;
    const lines = readFileSync(f, 'utf8').split('\n');
    // A metric cell edited to another valid number: only the digest can tell (the row checks pass).
    lines[1] = bumpLastDigit(lines[1] as string);
    writeFileSync(f, lines.join('\n'));
    const e = await mergeError(mergeSweeps(files, join(dir, 'merged.csv')));
    expect(e.message).toMatch(/part-3\.csv: its rows do not match the digest/);
    expect(e.resubmit).toMatchObject({ shards: [3], remove: [f] });
    rmSync(f);
    rmSync(files[0] as string);
    const absent = await mergeError(mergeSweeps([join(dir, 'part-{shard}.csv')], join(dir, 'merged.csv')));
    expect(absent.message).toMatch(/no file for shards 1,3 of .*part-\{shard\}\.csv/);
    expect(absent.resubmit?.array).toBe('--array=1,3');
  });

  it('--resume continues only under the runtime that began the file, unless allowMixed (recorded)', async () => {
    const dir = tmp();
    const [f] = await shards(dir, 1);
    const out = f as string;
    const want = readFileSync(out, 'utf8');
    const cut = () => {
      truncateSync(out, want.indexOf('\n', want.indexOf('\n') + 1) + 5);
      editMeta(out, ({ rows: _, ...m }) => ({ ...m, fingerprint: { ...(m.fingerprint as NonNullable<SweepMeta['fingerprint']>), arch: 'other' } }));
    };
    cut();
    await expect(sweepToFile({ ...SWEEP, shard: '1/1', out, resume: true })).rejects.toThrow(/begun under Node .* other.*--allow-mixed/);
    const s = await sweepToFile({ ...SWEEP, shard: '1/1', out, resume: true, allowMixed: true });
    expect(s.resumedFrom).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(want);
    expect(metaOf(out).mixed?.map((x) => x.arch)).toEqual([process.arch]);
    expect(metaOf(out).rows?.sha256).toBe(rowsDigest(out));
    // A finished file edited since: --resume will not vouch for it.
    const rows = want.split('\n');
    rows[1] = bumpLastDigit(rows[1] as string);
    writeFileSync(out, rows.join('\n'));
    await expect(sweepToFile({ ...SWEEP, shard: '1/1', out, resume: true, allowMixed: true })).rejects.toThrow(/no longer match the digest/);
  });
});
