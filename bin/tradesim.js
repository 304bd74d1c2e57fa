#!/usr/bin/env node
// Thin launcher. The CLI is bundled with code splitting (src/tools/bundle.ts): a command loads a few chunks
// holding just what it needs, not the ~200 modules behind them one by one (see docs/benchmarks.md).
import { main } from '../dist/bundle/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Last-resort guard: an internal bug, never bad input (that path exits 2 with a message).
    process.stderr.write(`tradesim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
