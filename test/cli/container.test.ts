/**
 * The container image (Containerfile) that the Kubernetes and AWS Batch plans run. Docker cannot run here, so
 * this checks what it copies, and runs the package from a directory laid out as the image's /opt/tradesim
 * (those files and the production dependencies only, outside the source tree) to show that it is enough.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers/cli.js';

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  /** COPY sources from the build context (or from another stage: "stage:path") and their destinations. */
  readonly copies: { readonly from: string | undefined; readonly sources: string[]; readonly dest: string }[];
  readonly instructions: string[];
}

/** The stages of a Containerfile: FROM lines, COPY instructions, and every instruction as one line. */
function stages(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const out: Stage[] = [];
  for (const l of lines) {
    const [op = '', ...rest] = l.split(/\s+/);
    if (op === 'ARG' && out.length === 0) {
      const [k = '', v = ''] = (rest[0] ?? '').split('=');
      args[k] = v;
    } else if (op === 'FROM') out.push({ from: rest[0] ?? '', name: rest[2], copies: [], instructions: [] });
    else {
      const s = out[out.length - 1] as Stage;
      s.instructions.push(l);
      if (op === 'COPY') {
        const from = rest.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const words = rest.filter((w) => !w.startsWith('--'));
        s.copies.push({ from, sources: words.slice(0, -1), dest: words[words.length - 1] ?? '' });
      }
    }
  }
  return { args, stages: out };
}

const file = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const pkg = JSON.parse(file('package.json')) as { files: string[]; scripts: Record<string, string>; bin: Record<string, string> };
const { args, stages: [build, run] } = stages(file('Containerfile'));
const clean = (p: string) => p.replace(/^\.\//, '').replace(/\/$/, '');

describe('Containerfile', () => {
  it('builds on a small Node 20 base and runs as a non-root user with tradesim on PATH', () => {
    expect(args.NODE_VERSION).toMatch(/^20(\.|$)/);
    for (const s of [build, run]) expect(s?.from).toBe('node:${NODE_VERSION}-alpine');
    expect(build?.name).toBe('build');
    const steps = run?.instructions ?? [];
    expect(steps).toContain('RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force');
    // The bin on PATH, by the name package.json gives it.
    expect(Object.keys(pkg.bin)).toEqual(['tradesim']);
    expect(steps.join('\n')).toMatch(new RegExp(`ln -s /opt/tradesim/${pkg.bin.tradesim ?? ''} /usr/local/bin/tradesim`));
    // Nothing runs as root after the user is set, and it is set.
    const user = steps.findIndex((l) => l.startsWith('USER '));
    expect(steps[user]).toBe('USER node');
    expect(steps.slice(user).some((l) => l.startsWith('RUN '))).toBe(false);
    expect(steps).toContain('WORKDIR /work');
  });

  it('copies what the package needs to run, nothing else, and the build context holds only what it copies', () => {
    const runtime = (run?.copies ?? []).flatMap((c) => (c.from === undefined ? c.sources.map(clean) : [`${c.from}:${clean(c.dest)}`]));
    // The published package's files, but docs/ and schema/: read by people and editors, never by the code.
    const needed = [...pkg.files.filter((f) => f !== 'docs' && f !== 'schema' && f !== 'dist'), 'package.json', 'package-lock.json', 'build:dist'];
    expect(runtime.sort()).toEqual(needed.sort());
    expect(run?.copies.find((c) => c.from === 'build')?.sources).toEqual(['/src/dist']);
    for (const dir of ['docs/', 'schema/']) {
      const grep = spawnSync('grep', ['-rlE', `packageFile\\(['\\\`]${dir}`, 'src'], { cwd: ROOT, encoding: 'utf8' });
      expect(grep.stdout, `src reads ${dir} at run time`).toBe('');
    }
    // The build stage: the manifest, the TypeScript configuration and src/, which is all that `npm run build` reads.
    const buildCopies = (build?.copies ?? []).flatMap((c) => c.sources.map(clean));
    expect(buildCopies.sort()).toEqual(['package-lock.json', 'package.json', 'src', 'tsconfig.build.json', 'tsconfig.json']);
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json && node dist/tools/bundle.js');
    expect((JSON.parse(file('tsconfig.build.json')) as { include: string[] }).include).toEqual(['src']);
    const allowed = file('.dockerignore').split('\n').filter((l) => l.startsWith('!')).map((l) => clean(l.slice(1)));
    expect(file('.dockerignore')).toMatch(/^\*$/m);
    expect(allowed.sort()).toEqual([...new Set([...buildCopies, ...runtime.filter((r) => !r.includes(':'))])].sort());
  });

  it('runs from the image\'s layout alone: its files and the production dependencies, outside the source tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'tradesim-image-'));
    expect(existsSync(join(dirname(root), 'node_modules')), 'a node_modules above the temporary folder would hide missing packages').toBe(false);
    const app = join(root, 'opt/tradesim');
    for (const f of ['package.json', 'package-lock.json', 'bin', 'scenarios', 'dist']) cpSync(join(ROOT, f), join(app, f), { recursive: true });
    // What `npm ci --omit=dev` installs: the lock file's packages that are not dev-only (and not this package's own link).
    const lock = JSON.parse(file('package-lock.json')) as { packages: Record<string, { dev?: boolean; link?: boolean }> };
    const prod = Object.entries(lock.packages).filter(([k, v]) => k !== '' && v.dev !== true && v.link !== true).map(([k]) => k);
    for (const p of prod) if (!prod.some((q) => p !== q && p.startsWith(`${q}/`))) cpSync(join(ROOT, p), join(app, p), { recursive: true });
    expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
    const work = join(root, 'work');
    mkdirSync(work);
    const tradesim = (argv: string[]) => spawnSync(process.execPath, [join(app, pkg.bin.tradesim ?? ''), ...argv], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(tradesim(['--version']).stdout.trim()).toBe((JSON.parse(file('package.json')) as { version: string }).version);
    expect(tradesim(['list', 'scenarios']).stdout).toContain('three-country');
    // A sweep with a worker thread (the worker's bundle) gives the rows the source tree gives.
    const sweep = ['sweep', join(app, 'scenarios/teaching/three-country.yaml'), '--vary', 'rounds=3,5', '--seeds', '3', '--workers', '2'];
    const r = tradesim([...sweep, '--out', 'rows.csv']);
    expect(r.status, r.stderr).toBe(0);
    const here = join(mkdtempSync(join(tmpdir(), 'tradesim-image-ref-')), 'rows.csv');
    expect(cli([...sweep, '--out', here]).code).toBe(0);
    expect(readFileSync(join(work, 'rows.csv'), 'utf8')).toBe(readFileSync(here, 'utf8'));
  }, 60_000);
});
