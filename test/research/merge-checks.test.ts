/** Shard metadata (runtime fingerprint, row digest) and what --resume makes of it. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metaFileOf, sweepToFile } from '../../src/research/sweep-file.js';
import type { SweepMeta } from '../../src/research/sweep.js';

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

describe('shard metadata', () => {
  it('records the runtime fingerprint and, once complete, the row digest', async () => {
    const dir = tmp();
    const whole = await sweepToFile({ ...SWEEP, out: join(dir, 'all.csv') });
    const files = await shards(dir);
    const m = metaOf(files[1] as string);
    expect(m.fingerprint).toEqual({ node: process.versions.node, v8: process.versions.v8, platform: process.platform, arch: process.arch, tool: m.tool.version, scenario: m.scenario.hash });
    expect(m.rows).toEqual({ count: 3, sha256: rowsDigest(files[1] as string) });
    expect(whole.sha256).toBe(rowsDigest(join(dir, 'all.csv')));
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
    writeFileSync(out, want.replace(/\n(\d+),(\d)/, '\n$1,9$2'));
    await expect(sweepToFile({ ...SWEEP, shard: '1/1', out, resume: true, allowMixed: true })).rejects.toThrow(/no longer match the digest/);
  });
});
