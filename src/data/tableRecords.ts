/**
 * CSV or TSV with a header read as records (`data.records`: the spec named `inputKey` with `labelKey`,
 * `labelsKey` or `targetKey`); those keys name the columns.
 *   many-to-one    input cell (text) and label cell, or a numeric target cell (regression)
 *   many-to-many   input cell and labels cell, both space-separated, one tag per token
 *   seq2seq        input cell (the source) and target cell (the generated text)
 * CSV cells may be quoted (`csv-parse`); TSV cells are split on tabs, no quoting.
 */
import { fieldColumn, isNumberCell, parseCsvRows } from './csvTable';
import { DataError } from './dataError';
import { showValue } from '../format/showValue';
import type { RawRecord, RecordKeys } from './rawRecords';
import { readLabel, readSequence, ValueProblem } from './sequenceValue';
import { beyondRange, isModelNumber } from './numberRange';
import { TextLines } from '../modelSpec/textLines';
import { decodeUtf8 } from './utf8';

/** One data row: its cells, its line and the 1-based column where cell `index` starts. */
interface TableRow {
  cells: string[];
  line: number;
  column(index: number): number;
}

interface Table {
  header: string[];
  headerLine: number;
  rows: TableRow[];
}

export function readTableRecords(bytes: Uint8Array, file: string, keys: RecordKeys, format: 'csv' | 'tsv'): RawRecord[] {
  const text = decodeUtf8(bytes, file);
  const table = format === 'csv' ? csvTable(text, file) : tsvTable(text, file);
  const columnIndex = (name: string) => table.header.indexOf(name);
  const require = (name: string) => {
    const index = columnIndex(name);
    if (index < 0) throw new DataError(file, table.headerLine, 1, `no column "${name}" in the header: expected one of ${table.header.map((h) => `"${h}"`).join(', ')}`);
    return index;
  };
  const input = require(keys.input);
  const labelColumn = keys.task === 'many-to-one' ? columnIndex(keys.label) : -1;
  const second = keys.task === 'many-to-many' ? require(keys.labels) : labelColumn >= 0 ? labelColumn : require(keys.target);
  const secondKey = keys.task === 'many-to-many' ? keys.labels : labelColumn >= 0 ? keys.label : keys.target;
  return table.rows.map((row) => {
    const columnOf = (key: string) => row.column(key === keys.input || (keys.task === 'seq2seq' && key === keys.source) ? input : second);
    const record: RawRecord = { file, line: row.line, columnOf };
    const cell = <T>(index: number, key: string, reader: (text: string) => T): T => {
      try {
        return reader(row.cells[index]);
      } catch (problem) {
        if (problem instanceof ValueProblem) throw new DataError(file, row.line, row.column(index), `column "${key}": ${problem.message}`);
        throw problem;
      }
    };
    switch (keys.task) {
      case 'many-to-one':
        record.input = cell(input, keys.input, (t) => readSequence(t, keys.sides.input.text, true));
        if (labelColumn >= 0) record.label = cell(second, secondKey, (t) => readLabel(t.trim()));
        else record.value = cell(second, secondKey, (t) => {
          if (!isNumberCell(t)) throw new ValueProblem(`expected a number (regression target), got ${t.trim() ? showValue(t) : 'an empty cell'}`);
          if (!isModelNumber(Number(t))) throw new ValueProblem(beyondRange(showValue(t.trim())), [], true);
          return [Number(t)];
        });
        break;
      case 'many-to-many': {
        const spaced = { unit: 'word' as const, tokenizer: 'whitespace' as const, lowercase: keys.sides.input.text.lowercase };
        record.input = cell(input, keys.input, (t) => readSequence(t, spaced, true));
        const tags = row.cells[second].split(/\s+/u).filter((tag) => tag.length > 0);
        const tokens = record.input.kind === 'tokens' ? record.input.tokens.length : 0;
        if (tags.length !== tokens) {
          throw new DataError(file, row.line, row.column(second), `column "${secondKey}": expected ${tokens} space-separated tags (one per token of "${keys.input}"), got ${tags.length}`);
        }
        record.labels = tags;
        break;
      }
      case 'seq2seq':
        record.input = cell(input, keys.input, (t) => readSequence(t, keys.sides.source.text, true));
        record.output = cell(second, secondKey, (t) => (readSequence(t, keys.sides.target.text, true) as { tokens: string[] }).tokens);
        break;
      case 'one-to-many':
        throw new DataError(file, row.line, 1, 'one-to-many reads a conditioning vector: expected JSONL, not a table');
    }
    return record;
  });
}

function csvTable(text: string, file: string): Table {
  const lines = new TextLines(text);
  const { header, headerLine, rows, delimiter } = parseCsvRows(text, file);
  return {
    header,
    headerLine,
    rows: rows.map((row) => ({ cells: row.record, line: row.info.lines, column: (index) => fieldColumn(lines.line(row.info.lines), index, delimiter) })),
  };
}

function tsvTable(text: string, file: string): Table {
  const lines = new TextLines(text);
  let header: string[] | undefined;
  let headerLine = 1;
  const rows: TableRow[] = [];
  for (let line = 1; line <= lines.count; line++) {
    const lineText = lines.line(line).replace(/\r$/, '');
    if (!lineText.trim()) continue;
    const cells = lineText.split('\t');
    if (!header) {
      header = cells.map((c) => c.trim());
      headerLine = line;
      continue;
    }
    if (cells.length !== header.length) {
      const column = cells.length > header.length ? cells.slice(0, header.length).join('\t').length + 1 : lineText.length + 1;
      throw new DataError(file, line, column, `expected ${header.length} tab-separated cells as in the header, got ${cells.length}`);
    }
    const starts = cells.map((_, i) => cells.slice(0, i).reduce((n, c) => n + c.length + 1, 0) + 1);
    rows.push({ cells, line, column: (index) => starts[index] });
  }
  if (!header) throw new DataError(file, 1, 1, 'empty file: expected a header row of tab-separated column names');
  if (!rows.length) throw new DataError(file, headerLine, 1, 'no data rows: expected rows after the header');
  return { header, headerLine, rows };
}
