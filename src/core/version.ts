import { readFileSync } from 'node:fs';
import { packageFile } from './paths.js';

let cached: string | undefined;

/** The package version, read once from package.json. */
export function toolVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  }
  return cached;
}
