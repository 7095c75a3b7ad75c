/**
 * A CSV file with a header read as numeric columns (parsing by `csv-parse`). A column is numeric
 * when its first data cell is a number; non-numeric columns are skipped unless asked for. Every
 * other cell of a used column must be a number: an empty or `NaN` cell is an error at its line.
 */
import { parse } from 'csv-parse/sync';
import { DataError, showValue } from './dataError';
import { TextLines } from '../spec/textLines';
import { decodeUtf8 } from './utf8';

export interface CsvColumns {
  file: string;
  names: string[];
  /** One array per name, one value per data row. */
  values: Float64Array[];
  /** The file line of each data row. */
  lines: Int32Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumberCell(cell: string): boolean {
  return NUMBER.test(cell.trim());
}

interface Row {
  record: string[];
  info: { lines: number };
}

/** Header names and rows of a CSV text (records with the line each ends on). */
export function parseCsvRows(text: string, file: string): { header: string[]; headerLine: number; rows: Row[] } {
  let rows: Row[];
  try {
    rows = parse(text, { info: true, skip_empty_lines: true, bom: true, record_delimiter: ['\r\n', '\n'] }) as unknown as Row[];
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
  return { header, headerLine: head.info.lines, rows: data };
}

/**
 * Reads the columns `wanted` (default: every numeric column). Throws `DataError` naming the cell.
 */
export function readCsvColumns(bytes: Uint8Array, file: string, wanted: readonly string[] | undefined): CsvColumns {
  const text = decodeUtf8(bytes, file);
  const lines = new TextLines(text);
  const { header, headerLine, rows } = parseCsvRows(text, file);
  const first = rows[0];
  const cellColumn = (row: Row, index: number) => fieldColumn(lines.line(row.info.lines), index);
  const names = wanted ? [...wanted] : header.filter((_, i) => isNumberCell(first.record[i] ?? ''));
  if (!names.length) {
    throw new DataError(file, first.info.lines, 1, `no numeric column in the first row ${showValue(first.record.join(','))}: expected numbers`);
  }
  const indices = names.map((name) => {
    const index = header.indexOf(name);
    if (index < 0) {
      throw new DataError(file, headerLine, 1, `no column "${name}" in the header: expected one of ${header.map((h) => `"${h}"`).join(', ')}`);
    }
    if (!isNumberCell(first.record[index] ?? '')) {
      throw new DataError(file, first.info.lines, cellColumn(first, index), `column "${name}" is not numeric (got ${showValue(first.record[index])}): expected a number`);
    }
    return index;
  });
  const values = names.map(() => new Float64Array(rows.length));
  const rowLines = new Int32Array(rows.length);
  rows.forEach((row, r) => {
    rowLines[r] = row.info.lines;
    indices.forEach((index, c) => {
      const cell = row.record[index] ?? '';
      if (!isNumberCell(cell)) {
        const what = cell.trim() ? showValue(cell) : 'an empty cell';
        throw new DataError(file, row.info.lines, cellColumn(row, index), `column "${names[c]}": expected a number, got ${what}`);
      }
      values[c][r] = Number(cell);
    });
  });
  return { file, names, values, lines: rowLines };
}

/** 1-based character column where field `index` starts in a CSV line (quotes respected). */
export function fieldColumn(line: string, index: number): number {
  let field = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (field === index) return i + 1;
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) field++;
  }
  return field === index ? line.length + 1 : 1;
}
