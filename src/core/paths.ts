/**
 * Files of the installed package, found from here. This module sits two directories below the package root
 * (src/core/paths.ts under vitest, dist/core/paths.js built), and so does every bundle that inlines it (the
 * CLI's chunks in dist/bundle/, the sweep worker's and the replay's single files; see src/tools/bundle.ts): a
 * module that names a package file through this one finds it wherever its own code ended up.
 */
const ROOT = new URL('../../', import.meta.url);

/** A file or directory of the package, by its path from the package root (e.g. "scenarios/"). */
export function packageFile(path: string): URL {
  return new URL(path, ROOT);
}
