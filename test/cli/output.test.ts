/**
 * Output that cannot be written: standard output on /dev/full, a disk that fills during a sweep. One line
 * on stderr, exit 74 (EX_IOERR), no stack trace; a sweep stopped by a full disk resumes to the same bytes.
 * A reader that closes the pipe early stays exit 0 (test/cli/cli.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError, writeFailure, writeFileAtomic } from '../../src/core/files.js';
import { InputError } from '../../src/core/errors.js';
import { hasStackTrace, ROOT } from '../helpers/cli.js';

const BIN = join(ROOT, 'bin/tradesim.js');
const dir = mkdtempSync(join(tmpdir(), 'tradesim-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI with stdout on /dev/full. */
function toDevFull(args: readonly string[]): { code: number | null; stderr: string } {
  const fd = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', fd, 'pipe'], timeout: 60_000 });
    return { code: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!existsSync('/dev/full'))('standard output on /dev/full', () => {
  it.each([
    ['run --json', ['run', 'scenarios/teaching/three-country.yaml', '--json']],
    ['run (text report)', ['run', 'scenarios/teaching/three-country.yaml']],
    ['validate', ['validate', 'scenarios/teaching/split-the-pie.yaml']],
    ['--help', ['--help']],
  ])('%s: one line, exit 74, no stack trace', (_name, args) => {
    const r = toDevFull(args);
    expect(r.code).toBe(74);
    expect(r.stderr).toBe('tradesim: error: cannot write to standard output: no space left on the device (ENOSPC)\n');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('output files', () => {
  it('a path that cannot be written is bad input (exit 2); a device that fails is an output error (exit 74)', async () => {
    const plain = join(dir, 'plain');
    writeFileSync(plain, 'a file, not a folder');
    await expect(writeFileAtomic(join(plain, 'x.json'), 'x')).rejects.toBeInstanceOf(InputError);
    const e = writeFailure('out.json', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), '--out');
    expect(e).toBeInstanceOf(OutputError);
    expect(e.message).toBe('cannot write out.json: no space left on the device (ENOSPC)');
  });
});

/** Whether this machine lets us mount a small tmpfs in a private mount namespace (root, or user namespaces). */
function canMount(): boolean {
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=16k tmpfs ${JSON.stringify(dir)}`], { encoding: 'utf8' });
  return r.status === 0;
}

describe.skipIf(process.platform !== 'linux' || !canMount())('a disk that fills during a sweep', () => {
  it('stops with one line and exit 74, and --resume then finishes the same bytes as an uninterrupted sweep', () => {
    const sweep = `node ${JSON.stringify(BIN)} sweep scenarios/teaching/three-country.yaml --vary 'countries[MID].patience=0.8:0.99:4' --seeds 40`;
    const mnt = join(dir, 'mnt');
    const script = [
      `mkdir -p ${mnt}`,
      `mount -t tmpfs -o size=24k tmpfs ${mnt}`,
      `${sweep} --out ${mnt}/s.csv 2>${dir}/err1.txt; echo $? > ${dir}/code1.txt`,
      `mount -o remount,size=10m ${mnt}`,
      `${sweep} --out ${mnt}/s.csv --resume >/dev/null 2>${dir}/err2.txt; echo $? > ${dir}/code2.txt`,
      `cp ${mnt}/s.csv ${dir}/resumed.csv`,
    ].join(' && ');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    expect(r.status).toBe(0);
    const err1 = readFileSync(join(dir, 'err1.txt'), 'utf8');
    expect(readFileSync(join(dir, 'code1.txt'), 'utf8').trim()).toBe('74');
    expect(err1).toMatch(/^tradesim: error: cannot write .*s\.csv: no space left on the device \(ENOSPC\); the file holds at least the first \d+ of 160 rows: make room and run the same command with --resume to finish it\n$/);
    expect(hasStackTrace(err1)).toBe(false);
    expect(readFileSync(join(dir, 'code2.txt'), 'utf8').trim()).toBe('0');
    const fresh = spawnSync('sh', ['-c', `${sweep} --out ${dir}/fresh.csv`], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(fresh.status).toBe(0);
    expect(readFileSync(join(dir, 'resumed.csv'), 'utf8')).toBe(readFileSync(join(dir, 'fresh.csv'), 'utf8'));
  }, 180_000);
});
