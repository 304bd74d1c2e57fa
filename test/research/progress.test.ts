import { describe, expect, it } from 'vitest';
import { progress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('progress bar', () => {
  it('draws a bar with an ETA on a terminal and clears its line at the end', () => {
    const { stream, written } = fakeStream(true);
    const bar = progress('sweep', 200, { json: false, stream });
    bar.update(100);
    bar.update(200);
    bar.finish();
    expect(written[0]).toMatch(/^\rsweep \[#{12}-{12}\] {2}50% 100\/200 {2}ETA \d+s/);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('stays silent without a terminal or under --json', () => {
    for (const [tty, json] of [
      [false, false],
      [true, true],
    ] as const) {
      const { stream, written } = fakeStream(tty);
      const bar = progress('sweep', 10, { json, stream });
      bar.update(5);
      bar.finish();
      expect(written).toEqual([]);
    }
  });
});
