/**
 * Files of the installed package, found from here. Every module sits two directories below the package root
 * (src/<dir>/x.ts under vitest, dist/<dir>/x.js built), and so does every bundle the build writes (the CLI's
 * chunks in dist/bundle/, the sweep worker's and the replay's single files): a module that names a package file
 * through this one finds it wherever its own code ended up.
 */
const ROOT = new URL('../../', import.meta.url);

/** A file or directory of the package, by its path from the package root (e.g. "scenarios/"). */
export function packageFile(path: string): URL {
  return new URL(path, ROOT);
}
