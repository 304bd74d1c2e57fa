/**
 * Errors caused by what a user gave us (a scenario file, a flag, an expression). The CLI prints them without a
 * stack trace and exits 2. Anything else that escapes is a bug.
 */
export interface InputProblem {
  /** File the problem is in, if any. */
  readonly file?: string;
  /** Path inside the document, e.g. "countries[3].patience" or "--set". */
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;
  readonly expected?: string;
  readonly found?: string;
  readonly message: string;
}

export class InputError extends Error {
  readonly problems: readonly InputProblem[];
  constructor(problems: InputProblem | readonly InputProblem[]) {
    const list = Array.isArray(problems) ? problems : [problems as InputProblem];
    super(list.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}

export function formatProblem(p: InputProblem): string {
  const where = [p.file, p.line !== undefined ? `${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : undefined]
    .filter((x) => x !== undefined)
    .join(':');
  const head = [where, p.path].filter(Boolean).join(' at ');
  const detail = [
    p.message,
    p.expected !== undefined ? `expected ${p.expected}` : undefined,
    p.found !== undefined ? `found ${p.found}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  return head ? `${head}: ${detail}` : detail;
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** Short, safe rendering of an untrusted value for an error message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}
