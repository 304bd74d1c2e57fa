/** Lines of styled segments: what every view returns, as plain data (no Ink), so plain-text output can reuse them. */
/** Meaning of a segment; the theme maps it to a colour, or to nothing under NO_COLOR. */
export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'accent' | 'muted' | 'plain';

export interface Seg {
  readonly text: string;
  readonly tone?: Tone;
  readonly bold?: boolean;
  readonly inverse?: boolean;
}

export type Line = readonly Seg[];

export const seg = (text: string, tone: Tone = 'plain', more: Omit<Seg, 'text' | 'tone'> = {}): Seg => ({ text, tone, ...more });

export const lineText = (l: Line): string => l.map((s) => s.text).join('');

/** The first `width` characters of a line of segments. */
function cut(l: Line, width: number): Seg[] {
  const out: Seg[] = [];
  let used = 0;
  for (const s of l) {
    if (used >= width) break;
    const t = s.text.slice(0, width - used);
    if (t) out.push(t === s.text ? s : { ...s, text: t });
    used += t.length;
  }
  return out;
}

/**
 * Cut a line of segments to at most `width` characters. Lines are not padded on screen: Ink erases the old
 * frame before writing the new one, and trailing spaces would only cost time in Ink's per-character output.
 */
export function cutLine(l: Line, width: number): Line {
  const out = cut(l, width);
  // Trailing blanks of the last segment carry nothing (unless inverse, which shows them).
  const last = out[out.length - 1];
  if (last && !last.inverse) out[out.length - 1] = { ...last, text: last.text.trimEnd() };
  return out;
}

/** Pad or cut a line of segments to exactly `width` characters (for lines set side by side). */
export function padLine(l: Line, width: number): Line {
  const out = cut(l, width);
  const used = out.reduce((n, s) => n + s.text.length, 0);
  if (used < width) out.push({ text: ' '.repeat(width - used) });
  return out;
}

/** Two columns of lines side by side: `left` padded to `leftWidth`, a gap, then `right`. */
export function beside(left: readonly Line[], leftWidth: number, right: readonly Line[], gap = 2): Line[] {
  const n = Math.max(left.length, right.length);
  return Array.from({ length: n }, (_, i) => [...padLine(left[i] ?? [], leftWidth + gap), ...(right[i] ?? [])]);
}
