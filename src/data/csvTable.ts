/**
 * A CSV file with a header read as numeric columns (parsing by `csv-parse`), for time series.
 * - The delimiter is `,`, `;` or tab: given (`data.delimiter`), or the one the header line splits on most.
 * - A column is numeric when its first non-blank data cell is a number; other columns are skipped
 *   unless asked for, and the time column (`data.time`) is read apart, never as a value column.
 * - Every other cell of a used column must be a number. A blank cell follows `data.missing`
 *   (missingValues.ts): an error at its line and column by default.
 */
import { parse } from 'csv-parse/sync';
import { DataError } from './dataError';
import { showValue } from '../format/showValue';
import { beyondRange, isModelNumber } from './numberRange';
import type { DataWarning } from './dataset';
import { fillMissing, MISSING_HINT, type MissingMode } from './missingValues';
import { parseTimeCell, readTimeCells, type TimeKind } from './timeColumn';
import { TextLines } from '../modelSpec/textLines';
import { decodeUtf8 } from './utf8';
import { DELIMITERS } from '../modelSpec/schema';

export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvColumns {
  file: string;
  names: string[];
  /** One array per name, one value per data row. */
  values: Float64Array[];
  /** The file line of each data row. */
  lines: Int32Array;
  /** `data.time`: the column's name and kind, its values (ms of wall-clock time for dates) and cells. */
  time?: { name: string; kind: TimeKind; times: Float64Array; cells: string[] };
  /** Blank cells filled or rows dropped (`data.missing`). */
  warnings: DataWarning[];
}

export interface CsvReadOptions {
  /** The value columns (default: every numeric column but the time and group columns). */
  columns?: readonly string[];
  time?: string;
  /** `data.groupBy`: the column naming each row's series (`readCsvGroups`). */
  group?: string;
  delimiter?: Delimiter;
  missing?: MissingMode;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumberCell(cell: string): boolean {
  return NUMBER.test(cell.trim());
}

const isBlank = (cell: string | undefined) => cell === undefined || cell.trim() === '';

interface Row {
  record: string[];
  info: { lines: number };
}

/** The delimiter among `,` `;` tab that splits the first non-blank line into the most fields (`,` on a tie). */
export function detectDelimiter(text: string): Delimiter {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const fields = (d: string) => first.split(d).length;
  return DELIMITERS.reduce((best, d) => (fields(d) > fields(best) ? d : best), DELIMITERS[0] as Delimiter);
}

/**
 * The column names in a CSV text's header (its first non-blank record, parsed as the reader parses it:
 * quoted names unquoted, a delimiter inside quotes kept, names trimmed), for checks that need only
 * the header, e.g. of the first kilobytes of a file; [] when the header does not parse.
 */
export function csvHeaderNames(text: string, delimiter: Delimiter = detectDelimiter(text)): string[] {
  try {
    const [header] = parse(text, { to: 1, skip_empty_lines: true, bom: true, delimiter, relax_column_count: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
    return (header ?? []).map((name) => name.trim());
  } catch {
    return [];
  }
}

/** Header names and rows of a CSV text (records with the line each ends on). */
export function parseCsvRows(text: string, file: string, delimiter: Delimiter = detectDelimiter(text)): { header: string[]; headerLine: number; rows: Row[]; delimiter: Delimiter } {
  let rows: Row[];
  try {
    rows = parse(text, { info: true, skip_empty_lines: true, bom: true, delimiter, record_delimiter: ['\r\n', '\n'] }) as unknown as Row[];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new DataError(file, err.lines && err.lines > 0 ? err.lines : 1, 1, `malformed CSV: ${err.message}`);
  }
  if (!rows.length) throw new DataError(file, 1, 1, 'empty file: expected a CSV header and rows');
  const [head, ...data] = rows;
  const header = head.record.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (!name) throw new DataError(file, head.info.lines, 1, `empty column name at position ${i + 1}: expected a header row of names`);
    if (seen.has(name)) throw new DataError(file, head.info.lines, 1, `duplicate column name "${name}": expected unique names in the header`);
    seen.add(name);
  });
  if (!data.length) throw new DataError(file, head.info.lines, 1, 'no data rows: expected rows of numbers after the header');
  return { header, headerLine: head.info.lines, rows: data, delimiter };
}

/** The columns whose first non-blank cell is a number. */
export function numericColumns(header: readonly string[], rows: readonly Row[]): string[] {
  return header.filter((_, i) => isNumberCell(rows.find((r) => !isBlank(r.record[i]))?.record[i] ?? ''));
}

/** Reads the value columns and the time column. Throws `DataError` naming the cell. */
export function readCsvColumns(bytes: Uint8Array, file: string, options: CsvReadOptions = {}): CsvColumns {
  return readCsvGroups(bytes, file, { ...options, group: undefined })[0].columns;
}

/**
 * Reads the file as one series per value of the `group` column (in order of first appearance; one
 * series, id "", without a group). Time order, blank cells and fills are per series.
 */
export function readCsvGroups(bytes: Uint8Array, file: string, options: CsvReadOptions): { id: string; columns: CsvColumns }[] {
  const text = decodeUtf8(bytes, file);
  const lines = new TextLines(text);
  const { header, headerLine, rows: allRows, delimiter } = parseCsvRows(text, file, options.delimiter);
  const first = allRows[0];
  const at = (row: Row, index: number) => ({ file, line: row.info.lines, column: fieldColumn(lines.line(row.info.lines), index, delimiter) });
  const indexOf = (name: string, what: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new DataError(file, headerLine, 1, `no ${what}column "${name}" in the header: expected one of ${header.map((h) => `"${h}"`).join(', ')}`);
    return index;
  };
  const timeIndex = options.time === undefined ? -1 : indexOf(options.time, 'time ');
  const groupIndex = options.group === undefined ? -1 : indexOf(options.group, 'series (data.groupBy) ');
  const names = options.columns ? [...options.columns] : numericColumns(header, allRows).filter((name) => name !== options.time && name !== options.group);
  if (!names.length) {
    throw new DataError(file, first.info.lines, 1, `no numeric column in the first row ${showValue(first.record.join(delimiter))}: expected numbers`);
  }
  const indices = names.map((name) => {
    const index = indexOf(name, '');
    const row = allRows.find((r) => !isBlank(r.record[index]));
    if (!row) throw new DataError(file, headerLine, fieldColumn(lines.line(headerLine), index, delimiter), `column "${name}": every cell is blank: expected numbers`);
    const cell = row.record[index] ?? '';
    if (!isNumberCell(cell)) {
      const { line, column } = at(row, index);
      const hint = parseTimeCell(cell)?.kind === 'date' ? ` (for a date column, set data.time to "${name}")` : '';
      throw new DataError(file, line, column, `column "${name}" is not numeric (got ${showValue(cell)}): expected a number${hint}`);
    }
    return index;
  });
  const groups = new Map<string, Row[]>();
  for (const row of allRows) {
    const id = groupIndex < 0 ? '' : (row.record[groupIndex] ?? '').trim();
    if (groupIndex >= 0 && !id) {
      const { line, column } = at(row, groupIndex);
      throw new DataError(file, line, column, `series column "${options.group}": a blank cell: expected the id of the row's series (data.groupBy)`);
    }
    const rows = groups.get(id);
    if (rows) rows.push(row);
    else groups.set(id, [row]);
  }
  const read = { file, names, indices, timeIndex, header, headerLine, at, options };
  return [...groups].map(([id, rows]) => ({ id, columns: readRows(read, rows, groupIndex < 0 ? '' : ` of series "${id}"`) }));
}

interface TableRead {
  file: string; names: string[]; indices: number[]; timeIndex: number; header: string[]; headerLine: number;
  at: (row: Row, index: number) => { file: string; line: number; column: number };
  options: CsvReadOptions;
}

/** The columns of one series' rows: blank cells per `data.missing`, numbers checked, time ascending. */
function readRows(read: TableRead, allRows: Row[], ofSeries: string): CsvColumns {
  const { file, names, indices, timeIndex, header, at, options } = read;
  const first = allRows[0];
  const missing = options.missing ?? 'error';
  const warnings: DataWarning[] = [];
  // Blank cells: an error, or the rows dropped, or NaN to fill in below.
  let firstDropped: Row | undefined;
  const rows = allRows.filter((row) => {
    const blank = [timeIndex, ...indices].find((index) => index >= 0 && isBlank(row.record[index]));
    if (blank === undefined) return true;
    if (missing === 'drop') {
      firstDropped ??= row;
      return false;
    }
    if (missing === 'error' || blank === timeIndex) {
      const { line, column } = at(row, blank);
      const what = blank === timeIndex ? `time column "${options.time}"` : `column "${header[blank]}"`;
      throw new DataError(file, line, column, `${what}: a blank cell: expected ${blank === timeIndex ? 'a time' : `a number, ${MISSING_HINT}`}`);
    }
    return true;
  });
  if (firstDropped) {
    warnings.push({ file, line: firstDropped.info.lines, column: 1, message: `${allRows.length - rows.length} row${allRows.length - rows.length === 1 ? '' : 's'}${ofSeries} with blank cells dropped (data.missing "drop")` });
  }
  if (!rows.length) throw new DataError(file, first.info.lines, 1, `every row${ofSeries} has a blank cell: expected rows of numbers (data.missing "drop" dropped them all)`);
  const values = names.map(() => new Float64Array(rows.length));
  rows.forEach((row, r) => {
    indices.forEach((index, c) => {
      const cell = row.record[index] ?? '';
      if (isBlank(cell)) values[c][r] = NaN;
      else if (!isNumberCell(cell)) {
        const { line, column } = at(row, index);
        throw new DataError(file, line, column, `column "${names[c]}": expected a number, got ${showValue(cell)}`);
      } else if (!isModelNumber((values[c][r] = Number(cell)))) {
        const { line, column } = at(row, index);
        throw new DataError(file, line, column, `column "${names[c]}": ${beyondRange(showValue(cell.trim()))}`);
      }
    });
  });
  let time: CsvColumns['time'];
  if (timeIndex >= 0) {
    const cells = rows.map((row) => row.record[timeIndex]);
    time = { name: options.time!, cells, ...readTimeCells(options.time!, cells, (r) => at(rows[r], timeIndex)) };
  }
  if (missing === 'previous' || missing === 'interpolate') {
    values.forEach((column, c) => {
      if (column.every(Number.isNaN)) {
        const { line, column: at1 } = at(rows[0], indices[c]);
        throw new DataError(file, line, at1, `column "${names[c]}": every cell${ofSeries} is blank: expected numbers`);
      }
      const warning = fillMissing(names[c], column, missing, time?.times, (r) => at(rows[r], indices[c]));
      if (warning) warnings.push(warning);
    });
  }
  return { file, names, values, lines: Int32Array.from(rows, (row) => row.info.lines), ...(time && { time }), warnings };
}

/** 1-based character column where field `index` starts in a CSV line (quotes respected). */
export function fieldColumn(line: string, index: number, delimiter = ','): number {
  let field = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (field === index) return i + 1;
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) field++;
  }
  return field === index ? line.length + 1 : 1;
}
