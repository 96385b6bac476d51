// CSV per RFC 4180 (CRLF line ends, quotes doubled), safe to open in a
// spreadsheet: a cell starting with = + - @ (or a tab or CR) gets a leading '
// so it is never run as a formula.

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  let v = value === null || value === undefined ? '' : typeof value === 'number' ? String(value) : typeof value === 'boolean' ? (value ? '1' : '0') : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A table as CSV text; `bom` prefixes U+FEFF so Excel reads it as UTF-8. */
export function toCsv(columns: readonly string[], rows: readonly CsvValue[][], bom = false): string {
  const lines = [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return (bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
