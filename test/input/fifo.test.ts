/**
 * No reader hangs on a file that is not a regular file: a FIFO (named pipe) with no writer, a device or a
 * folder given to any command is refused at once with exit 2, naming the file and what it is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputFile, readInputFileSync, requireRegularFile } from '../../src/core/files.js';
import { loadScenarioText } from '../../src/core/scenario/load.js';
import { hasStackTrace, ROOT } from '../helpers/cli.js';
import { inputError, inputErrorAsync } from './helpers.js';

const BIN = join(ROOT, 'bin/tradesim.js');
const EX = join(ROOT, 'scenarios/exercises/gulf-compute-deal.yaml');
let dir = '';
let fifo = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradesim-fifo-'));
  fifo = join(dir, 'pipe.json');
  execFileSync('mkfifo', [fifo]);
  for (const name of ['pipe.yaml', 'pipe.csv', 'rows.csv.meta.json', 'base.yaml']) execFileSync('mkfifo', [join(dir, name)]);
  mkdirSync(join(dir, 'folder.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI with a hard timeout: a hang is a failure, not a stuck test run. */
function cliTimed(args: readonly string[]): { code: number | null; stderr: string; ms: number; signal: NodeJS.Signals | null } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, input: '', timeout: 10_000 });
  return { code: r.status, stderr: r.stderr, ms: performance.now() - t0, signal: r.signal };
}

describe('the file reader', () => {
  it('refuses a FIFO, a folder and a device at once, and reads a regular file', async () => {
    const opts = { what: 'test file', maxBytes: 1000 };
    expect((await inputErrorAsync(() => readInputFile(fifo, opts))).message).toMatch(/pipe\.json: cannot read the test file: it is a named pipe \(FIFO\)/);
    expect(inputError(() => readInputFileSync(fifo, opts)).message).toMatch(/named pipe/);
    expect((await inputErrorAsync(() => readInputFile(join(dir, 'folder.json'), opts))).message).toMatch(/it is a directory/);
    expect((await inputErrorAsync(() => readInputFile('/dev/zero', opts))).message).toMatch(/it is a device/);
    expect((await inputErrorAsync(() => requireRegularFile(fifo, opts))).message).toMatch(/named pipe/);
    const file = join(dir, 'ok.txt');
    writeFileSync(file, 'x'.repeat(1000));
    expect((await readInputFile(file, opts)).length).toBe(1000);
    writeFileSync(file, 'x'.repeat(1001));
    expect((await inputErrorAsync(() => readInputFile(file, opts))).message).toMatch(/file too large/);
  });

  it('refuses a FIFO as an extends base (sync loader)', () => {
    const e = inputError(() => loadScenarioText('extends: ./base.yaml\nid: x\n', join(dir, 'top.yaml')));
    expect(e.message).toMatch(/named pipe/);
    expect(e.problems[0]?.path).toBe('extends');
  });
});

describe('no command hangs on a FIFO', () => {
  const cases: [string, () => string[]][] = [
    ['play <exercise>', () => ['play', join(dir, 'pipe.yaml'), '--as', 'ARE', '--moves', 'm.yaml']],
    ['play --moves', () => ['play', EX, '--as', 'ARE', '--moves', join(dir, 'pipe.yaml')]],
    ['play --resume', () => ['play', '--resume', fifo]],
    ['debrief', () => ['debrief', fifo]],
    ['replay', () => ['replay', fifo, '--no-tui']],
    ['report (artifact)', () => ['report', fifo, '--md', join(dir, 'out.md')]],
    ['report (rows)', () => ['report', join(dir, 'pipe.csv'), '--md', join(dir, 'out.md')]],
    ['merge', () => ['merge', join(dir, 'pipe.csv'), '--out', join(dir, 'merged.csv')]],
    ['run (scenario)', () => ['run', join(dir, 'pipe.yaml'), '--json']],
  ];
  it.each(cases)('%s: exit 2 within seconds, naming the file', (_name, args) => {
    writeFileSync(join(dir, 'pipe.csv.meta.json'), '{"kind": "tradesim-sweep"}');
    const r = cliTimed(args());
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pipe\.(json|yaml|csv): .*(named pipe|FIFO)/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('report: a FIFO in place of the optional .meta.json sidecar is refused, not waited on', () => {
    const rows = join(dir, 'rows.csv');
    writeFileSync(rows, 'run,seed,regime,metrics.delivered\n0,1,open,5\n');
    const r = cliTimed(['report', rows, '--md', join(dir, 'rows.md')]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rows\.csv\.meta\.json: .*named pipe/);
  });
});
