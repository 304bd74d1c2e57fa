/** CSV per RFC 4180: a cell is quoted when it holds a comma, a quote, CR or LF; quotes are doubled. */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
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
      out.push(cell);
    } else {
      const j = line.indexOf(',', i);
      out.push(line.slice(i, j < 0 ? line.length : j));
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
