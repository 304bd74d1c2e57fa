/**
 * CSV per RFC 4180: a cell is quoted when it holds a comma, a quote, CR or LF; quotes are doubled.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - @, tab or CR as a
 * formula (`=HYPERLINK(...)`, `=cmd|...`). Such a text cell is written with a leading single quote, and quoted;
 * numbers (and text that is a plain number, such as -5) are left as they are. Text that already starts with
 * quotes before one of those characters gets one more, so that csvText undoes exactly one.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  if (typeof v === 'string' && FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) return `"'${s.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A cell's text as it was before csvCell guarded it against formula injection. */
export function csvText(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

/** Split one CSV line (without its newline) into cells; the inverse of csvLine for its own output. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const j = line.indexOf('"', i);
        if (j < 0) throw new Error('unterminated quoted cell');
        cell += line.slice(i, j);
        if (line[j + 1] === '"') {
          cell += '"';
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
      out.push(csvText(cell));
    } else {
      const j = line.indexOf(',', i);
      out.push(csvText(line.slice(i, j < 0 ? line.length : j)));
      i = j < 0 ? line.length : j;
    }
    if (i >= line.length) return out;
    if (line[i] !== ',') throw new Error(`expected ',' at character ${i + 1}`);
    i++;
    if (i === line.length) {
      out.push('');
      return out;
    }
  }
}
