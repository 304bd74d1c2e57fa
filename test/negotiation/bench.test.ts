import { describe, expect, it } from 'vitest';
import { benchBilateral } from '../../src/bench/bilateral.js';

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
