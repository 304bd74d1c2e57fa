import { describe, expect, it } from 'vitest';
import { stream, streams } from '../../src/core/rng.js';

describe('named random streams', () => {
  it('derive the same sequence from the same seed and name, and different ones otherwise', () => {
    const take = (u: () => number) => Array.from({ length: 5 }, () => u());
    expect(take(stream(7, 'a/b'))).toEqual(take(stream(7, 'a/b')));
    expect(take(stream(7, 'a/b'))).not.toEqual(take(stream(8, 'a/b')));
    expect(take(stream(7, 'a/b'))).not.toEqual(take(stream(7, 'a/c')));
    expect(take(streams(7).child('a').stream('b'))).toEqual(take(stream(7, 'a/b')));
  });
});
