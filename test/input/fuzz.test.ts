/**
 * The fuzzer (`npm run fuzz`, src/tools/fuzz.ts): its classification of outcomes, and a short seeded run of it
 * against the built CLI (CI runs a few hundred cases through `npm run fuzz`; see .ci/run). Every case must end
 * in exit 0 with a JSON result or exit 2 with a located message.
 */
import { describe, expect, it } from 'vitest';
import { classify, fuzz } from '../../src/tools/fuzz.js';

const child = (code: number | null, stderr = '', stdout = '{}', extra: { signal?: NodeJS.Signals; timedOut?: boolean } = {}) => ({ code, stderr, stdout, signal: extra.signal ?? null, timedOut: extra.timedOut ?? false });

describe('fuzz classification', () => {
  it('accepts a run with JSON and located bad input; everything else is a defect', () => {
    expect(classify('run', child(0, '', '{"a": 1}')).kind).toBe('ok');
    expect(classify('run', child(2, 'tradesim: error: /tmp/x.json:3:5 at countries[0].id: bad; expected a; found b\n')).kind).toBe('input');
    expect(classify('run', child(2, 'tradesim: error: /tmp/x.yaml at extends: extends "../a" is outside\n')).kind).toBe('input');
    expect(classify('check', child(1)).kind).toBe('ok');
    expect(classify('run', child(70, 'tradesim: internal error: boom\n')).kind).toBe('defect');
    expect(classify('run', child(1, 'Error: x\n    at f (file.js:1:2)\n')).kind).toBe('defect');
    expect(classify('run', child(2, 'something went wrong\n')).kind).toBe('defect');
    expect(classify('run', child(null, '', '', { signal: 'SIGKILL', timedOut: true })).why).toBe('timed out');
    expect(classify('run', child(0, '', 'not json')).kind).toBe('defect');
  });
});

describe('a short fuzz run', () => {
  it('finds no defect in 24 seeded cases', async () => {
    const report = await fuzz({ cases: 24, seed: 22, jobs: 2, timeoutMs: 20_000 });
    expect(report.defects).toEqual([]);
    expect(report.ok + report.input).toBe(24);
  }, 180_000);
});
