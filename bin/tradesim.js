#!/usr/bin/env node
// Thin launcher: everything lives in the compiled CLI so start-up imports only what a command needs.
import { main } from '../dist/cli/main.js';

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
