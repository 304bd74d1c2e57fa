/** The exit-code table (also in the README and `tradesim --help`). */
export const EXIT = {
  ok: 0,
  /** A check failed: a counterexample (`tradesim check`), or runs missing or repeated (`tradesim merge`). */
  failed: 1,
  /** Bad input: a scenario file, a flag or an expression. */
  input: 2,
  /** An internal error: a bug in tradesim. */
  internal: 70,
  /** The output could not be written: a full disk, /dev/full, an I/O error (EX_IOERR). */
  io: 74,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export const EXIT_TABLE = `Exit codes:
  0    success
  1    a check failed (a counterexample; merge: runs missing or repeated, or from mixed runtimes)
  2    bad input (scenario file, flag or expression); the message names the place
  70   internal error (a bug: please report it)
  74   cannot write the output (disk full, I/O error); a sweep can go on with --resume
  130  interrupted`;
