/**
 * The bundling half of `npm run build` (after tsc has compiled src/ into dist/). Each bundle sits two directories
 * below the package root, like every compiled module, so that src/core/paths.ts finds package files from it.
 *
 * - dist/core/mathjs-subset.js: the few mathjs functions expressions may use, tree-shaken from mathjs.
 * - dist/research/sweep-worker.bundle.js: a sweep's worker thread compiles one module instead of ~160.
 * - dist/tui/launch.bundle.js: the replay with Ink and React (production build), loaded once a run is done.
 * - dist/bundle/: the CLI that bin/tradesim.js loads, split at each command's dynamic import, so that a command
 *   loads a few chunks and `--help` only the first. tinypool stays a package: it finds its own entry files.
 */
import { rmSync } from 'node:fs';
import { build, type BuildOptions } from 'esbuild';

/** Bundled packages written as CommonJS call `require`, which an ES module does not have. */
const REQUIRE = { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" };

const common: BuildOptions = { bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync('dist/bundle', { recursive: true, force: true });
// First: the worker's bundle is made from dist/, where this replaces tsc's mathjs-subset.js (all of mathjs).
await build({ ...common, entryPoints: ['src/core/mathjs-subset.ts'], outfile: 'dist/core/mathjs-subset.js', allowOverwrite: true });
await Promise.all([
  build({ ...common, entryPoints: ['dist/research/sweep-worker.js'], outfile: 'dist/research/sweep-worker.bundle.js', banner: REQUIRE, allowOverwrite: true }),
  build({
    ...common,
    entryPoints: ['src/tui/launch.tsx'],
    outfile: 'dist/tui/launch.bundle.js',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['./devtools.js'],
    banner: REQUIRE,
    allowOverwrite: true,
  }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outdir: 'dist/bundle', splitting: true, external: ['tinypool', 'react-devtools-core'], banner: REQUIRE }),
]);
