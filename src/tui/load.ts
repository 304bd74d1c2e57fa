/**
 * Load the replay. The build bundles it with Ink and React into one minified file (src/tools/bundle.ts),
 * because loading Ink's few hundred modules one by one costs several times more CPU than the first frame
 * itself (see docs/benchmarks.md). Without the bundle (a TypeScript-only build) the modules load as usual.
 */
import { packageFile } from '../core/paths.js';
import type * as Launch from './launch.js';

let loading: Promise<typeof Launch> | undefined;

export function loadReplay(): Promise<typeof Launch> {
  // React's development build checks every element and runs several times slower; the bundle has the
  // production build compiled in, and this picks it for the unbundled modules too.
  process.env.NODE_ENV ??= 'production';
  // A computed specifier: the bundle exists only in dist/, so TypeScript must not try to resolve it.
  const bundle = packageFile('dist/tui/launch.bundle.js').href;
  loading ??= (import(bundle) as Promise<typeof Launch>).catch((e: unknown) => {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return import('./launch.js');
  });
  return loading;
}
