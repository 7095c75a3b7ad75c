/** Sorting, best values and cell text of the runs table (pure: unit-tested in test/webview). */
import type { CellValue, RunsTableColumn, RunsTableRow } from '../../src/protocol/runsTable';
import { formatDuration } from '../../src/format/duration';

/** Rows in the order of `column`, runs without a value last whatever the direction. */
export function sortRows(rows: RunsTableRow[], column: string, descending: boolean): RunsTableRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.cells[column] ?? null;
    const y = b.cells[column] ?? null;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en', { numeric: true });
  });
}

/** The best value of a column with a direction (numbers only), or undefined. */
export function bestValue(rows: RunsTableRow[], column: RunsTableColumn): number | undefined {
  if (!column.better) return undefined;
  const values = rows.map((r) => r.cells[column.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (!values.length) return undefined;
  return column.better === 'down' ? Math.min(...values) : Math.max(...values);
}

export function formatCell(value: CellValue, column: RunsTableColumn): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  if (column.kind === 'time') return formatDuration(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5 ? Number(value.toPrecision(4)).toString() : value.toExponential(2);
}

