/**
 * Headless Chromium for the report page tests (browser.test.ts, layout.test.ts): where it is, and whether a
 * missing one may be skipped (outside CI only; .ci/run installs Debian's chromium, so in CI it is a failure).
 */
import { spawnSync } from 'node:child_process';

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  }
  return undefined;
}

/** Path of the chromium binary on PATH; undefined when none is installed. */
export const CHROMIUM = findChromium();

/** True under CI (CI set to anything but '', 'false' or '0'). */
export const CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
