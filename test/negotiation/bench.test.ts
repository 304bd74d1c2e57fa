import { describe, expect, it } from 'vitest';
import { benchBilateral } from '../../src/bench/bilateral.js';
import { measureStandard } from '../../src/bench/standard.js';

describe('bilateral benchmark', () => {
  it('runs both loops to the same agreement and reports medians', () => {
    const r = benchBilateral({ batchSize: 5, batches: 3, warmupMs: 0 });
    expect(r.sameResult).toBe(true);
    expect(r.outcomes).toBe(1000);
    expect(r.agreementStep).not.toBeNull();
    expect(r.engine.batches).toHaveLength(3);
    expect(r.engine.negotiationsPerSecond).toBeGreaterThan(0);
    expect(r.ratio).toBeGreaterThan(0);
  });
});

describe('standard benchmark (issue 21)', () => {
  it('agrees on the same step with and without set-up, and under complete information', () => {
    const fixed = measureStandard('fixed', 5, 0);
    const setup = measureStandard('setup', 5, 0);
    const complete = measureStandard('setup-complete', 5, 0);
    expect(fixed.agreementRate).toBe(1);
    expect(setup).toMatchObject({ agreementRate: 1, meanSteps: fixed.meanSteps });
    expect(complete.agreementRate).toBe(1);
    expect(fixed.negotiationsPerSec).toBeGreaterThan(0);
  });
});
