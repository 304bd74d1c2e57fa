/**
 * The package as a user gets it (issue 20): `npm pack`, then installed into a clean project offline from the
 * local npm cache, gives a working `tradesim` bin and `tradesim` and `tradesim/testing` imports with their
 * types. (fast-check was a devDependency, so `import 'tradesim/testing'` failed with "Cannot find package
 * 'fast-check'" outside this repository.) Runs on the built dist/, as `npm test` leaves it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-pack-'));
const proj = join(dir, 'project');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
function run(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  // No CI-inherited npm_config_* of this repository's own npm run (a clean project's install).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' }, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
}
const ok = (r: SpawnSyncReturns<string>, what: string): string => {
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${what} exited ${String(r.status)}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

type LockEntry = { version?: string; dev?: boolean; devOptional?: boolean; link?: boolean; license?: string; dependencies?: Record<string, string>; bin?: unknown; engines?: unknown };

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist/index.js')), 'run npm run build first').toBe(true);
  const packed = ok(run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT), 'npm pack');
  const tarball = (JSON.parse(packed) as { filename: string }[])[0]?.filename ?? '';
  mkdirSync(proj);
  // The clean project's lockfile: this package's own runtime dependencies at the versions its lockfile
  // pins, so that `npm ci --offline` installs from the local cache with no registry (dev-only packages left out).
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const me = lock.packages[''] as LockEntry;
  const spec = `file:../${tarball}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(dir, tarball))).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'clean-project', version: '1.0.0', dependencies: { tradesim: spec } },
    'node_modules/tradesim': { version: me.version, resolved: spec, integrity, license: me.license, dependencies: me.dependencies, bin: me.bin, engines: me.engines },
  };
  for (const [k, v] of Object.entries(lock.packages)) if (k !== '' && k !== 'node_modules/tradesim' && !v.dev && !v.devOptional && !v.link) packages[k] = v;
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'clean-project', version: '1.0.0', private: true, type: 'module', dependencies: { tradesim: spec } }, null, 2));
  writeFileSync(join(proj, 'package-lock.json'), JSON.stringify({ name: 'clean-project', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  ok(run(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], proj), 'npm ci --offline (from the local npm cache)');
}, 300_000);

describe('npm pack + install in a clean project', () => {
  it('declares fast-check, which tradesim/testing and check import at run time, as a dependency (the clean install below checks the rest)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toContain('fast-check');
  });

  it('imports tradesim and tradesim/testing and runs a scenario through each', () => {
    writeFileSync(
      join(proj, 'use.mjs'),
      [
        "import { loadScenarioFile, runScenario } from 'tradesim';",
        "import { loadScenario, fc, checkScenario } from 'tradesim/testing';",
        "const file = 'node_modules/tradesim/scenarios/teaching/three-country.yaml';",
        'const r = runScenario((await loadScenarioFile(file)).scenario, { seed: 1, rounds: 2 });',
        'const t = await loadScenario(file);',
        'const report = await checkScenario(t, { runs: 2, seed: 1 });',
        "console.log(JSON.stringify({ kind: r.kind, fc: typeof fc.integer, check: typeof report }));",
      ].join('\n'),
    );
    const out = ok(run(process.execPath, ['use.mjs'], proj), 'node use.mjs');
    expect(JSON.parse(out)).toEqual({ kind: 'chips', fc: 'function', check: 'object' });
  }, 120_000);

  it('gives a working tradesim bin', () => {
    const bin = join(proj, 'node_modules/.bin/tradesim');
    expect(ok(run(bin, ['--version'], proj), 'tradesim --version').trim()).toMatch(/^\d+\.\d+\.\d+/);
    const r = JSON.parse(ok(run(bin, ['run', 'node_modules/tradesim/scenarios/teaching/three-country.yaml', '--rounds', '2', '--json'], proj), 'tradesim run')) as { kind: string };
    expect(r.kind).toBe('chips');
  }, 120_000);

  it('has types for both entry points (tsc, strict, NodeNext)', () => {
    writeFileSync(
      join(proj, 'use.ts'),
      [
        "import { runScenario, type Result } from 'tradesim';",
        "import { loadScenario, type TestScenario } from 'tradesim/testing';",
        'export const f: [typeof runScenario, typeof loadScenario] = [runScenario, loadScenario];',
        'export const x: Result | TestScenario | null = null;',
      ].join('\n'),
    );
    writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['use.ts'] }));
    ok(run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', proj], proj), 'tsc');
  }, 120_000);
});
