/**
 * The one sanitiser for text that came from a user's file and is shown somewhere a terminal or a viewer acts
 * on control characters: the text report, the replay, `replay --no-tui`, error messages, Markdown and HTML
 * reports, the classroom screens and debriefs. Titles, names, ids and descriptions can hold anything a YAML
 * or JSON escape can write (`"\e]0;pwned\a\e[2J"`); printed raw, they would retitle the terminal, clear the
 * screen or move the cursor.
 *
 * Every C0 control character (U+0000-U+001F; tab and line feed only where text may span lines) and DEL becomes
 * its visible Control Pictures symbol (ESC -> U+241B), so nothing is lost silently; C1 controls (U+0080-U+009F,
 * which some terminals read as ESC sequences), bidirectional overrides and isolates (which reorder what a reader
 * sees) and the line and paragraph separators become U+FFFD. Everything else, including all other Unicode text,
 * is kept. JSON output needs none of this: JSON.stringify escapes C0 controls itself.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function picture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

export interface SafeTextOptions {
  /** Keep line feeds and tabs (descriptions, briefings); otherwise they become visible symbols too. */
  readonly multiline?: boolean;
}

/** `s` with every control, bidi-override and separator character made visible and harmless. */
export function safeText(s: string, opts: SafeTextOptions = {}): string {
  const re = opts.multiline === true ? UNSAFE_MULTILINE : UNSAFE;
  re.lastIndex = 0;
  return re.test(s) ? s.replace(re, picture) : s;
}

/** True if `s` holds a character safeText would replace. */
export function hasUnsafeText(s: string, opts: SafeTextOptions = {}): boolean {
  const re = opts.multiline === true ? UNSAFE_MULTILINE : UNSAFE;
  re.lastIndex = 0;
  return re.test(s);
}

/**
 * A copy of plain data (a result artifact, a report, a debrief) with every string passed through safeText;
 * values that are not plain objects, arrays or strings are kept as they are. Data with nothing to replace is
 * returned as it is, not copied.
 */
export function safeData<T>(value: T, opts: SafeTextOptions = {}): T {
  return (needsCleaning(value, opts, 0) ? clean(value, opts, 0) : value) as T;
}

const isPlainObject = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function needsCleaning(v: unknown, opts: SafeTextOptions, depth: number): boolean {
  if (typeof v === 'string') return hasUnsafeText(v, opts);
  if (v === null || typeof v !== 'object' || depth > 200) return false;
  if (Array.isArray(v)) return v.some((x) => needsCleaning(x, opts, depth + 1));
  if (!isPlainObject(v)) return false;
  return Object.entries(v).some(([k, x]) => hasUnsafeText(k, opts) || needsCleaning(x, opts, depth + 1));
}

function clean(v: unknown, opts: SafeTextOptions, depth: number): unknown {
  if (typeof v === 'string') return safeText(v, opts);
  if (v === null || typeof v !== 'object' || depth > 200) return v;
  if (Array.isArray(v)) return v.map((x) => clean(x, opts, depth + 1));
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, safeText(k, opts), { value: clean(x, opts, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** HTML text and attribute values: the five special characters escaped, after safeText. */
export function escapeHtml(s: string): string {
  return safeText(s, { multiline: true }).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text (2-space indent) for stdout and artifacts: JSON.stringify escapes C0 controls itself; this also
 * writes DEL, C1 controls, bidi overrides and line separators as \u escapes, so even a terminal that reads
 * C1 controls in UTF-8 sees none. The value read back is the same.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
