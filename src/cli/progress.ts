/**
 * A one-line progress bar with ETA on stderr. Shown only when stderr is a terminal and the command is not
 * writing --json (a pipe or a CI log gets nothing, never a stream of carriage returns).
 */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

const none: Progress = { update: () => undefined, finish: () => undefined };

function duration(s: number): string {
  if (!Number.isFinite(s)) return '--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export function progress(label: string, total: number, opts: { json: boolean; start?: number; stream?: NodeJS.WriteStream }): Progress {
  const out = opts.stream ?? process.stderr;
  if (opts.json || out.isTTY !== true || total <= 0) return none;
  const t0 = performance.now();
  const first = opts.start ?? 0;
  let last = 0;
  const draw = (done: number): void => {
    const width = 24;
    const frac = Math.min(1, done / total);
    const filled = Math.round(frac * width);
    const elapsed = (performance.now() - t0) / 1000;
    const rate = (done - first) / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : Number.NaN;
    out.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total}  ETA ${duration(eta)}\x1b[K`);
  };
  return {
    update(done) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done);
    },
    finish() {
      out.write('\r\x1b[K');
    },
  };
}
