// CSV text for reports the user downloads (RFC 4180: CRLF, fields quoted when needed).
import type { RowError } from '../../lib/ipc/bindings';

export type Cell = string | number;

/**
 * One field. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start)
 * gets a leading apostrophe: a header from an untrusted file must not become a formula.
 */
export function csvField(value: Cell): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and the rows, CRLF-separated, with a final CRLF. */
export function buildCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (cells: readonly Cell[]) => cells.map(csvField).join(',');
  return [line(header), ...rows.map(line)].map((l) => `${l}\r\n`).join('');
}

/** The error report of an import check: row, column, reason (never the rejected value). */
export function errorReportCsv(errors: readonly RowError[]): string {
  return buildCsv(
    ['row', 'column', 'reason'],
    errors.map((e) => [e.row, e.column, e.reason]),
  );
}

/** "people.csv" → "people-errors.csv". */
export function errorReportName(fileName: string): string {
  const base = fileName.replace(/\.[^./\\]+$/, '') || 'import';
  return `${base}-errors.csv`;
}
