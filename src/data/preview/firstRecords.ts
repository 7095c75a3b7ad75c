/** The first records of a data file as written, for the preview's table (cells shortened, never parsed into ids). */
import type { ResolvedSpec } from '../../modelSpec';
import { parseCsvRows } from '../csvTable';
import { TextLines } from '../../modelSpec/textLines';
import type { DatasetPreview } from './previewTypes';

const FIRST_RECORDS = 10;
const CELL_CHARS = 160;

const shorten = (text: string) => (text.length > CELL_CHARS ? `${text.slice(0, CELL_CHARS - 1)}…` : text);
const cellOf = (value: unknown) => shorten(typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/** `text`: the data file `file` already decoded (the caller has reported any bad UTF-8 at its line). */
export function firstRecords(spec: ResolvedSpec, text: string, file: string): DatasetPreview['firstRecords'] {
  const { format } = spec.data;
  if (format === 'csv' || (format === 'tsv' && spec.data.records)) {
    const { header, rows } = parseCsvRows(text, file, format === 'tsv' ? '\t' : spec.data.delimiter);
    const first = rows.slice(0, FIRST_RECORDS);
    return { columns: header, rows: first.map((r) => header.map((_, i) => shorten(r.record[i] ?? ''))), lines: first.map((r) => r.info.lines) };
  }
  const lines = new TextLines(text);
  const picked: { line: number; text: string }[] = [];
  for (let i = 1; i <= lines.count && picked.length < FIRST_RECORDS; i++) if (lines.line(i).trim()) picked.push({ line: i, text: lines.line(i) });
  const lineNumbers = picked.map((p) => p.line);
  switch (format) {
    case 'text':
      return { columns: ['text'], rows: picked.map((p) => [shorten(p.text)]), lines: lineNumbers };
    case 'tsv':
      return { columns: ['source', 'target'], rows: picked.map((p) => { const [a, ...b] = p.text.split('\t'); return [shorten(a), shorten(b.join('\t'))]; }), lines: lineNumbers };
    case 'jsonl': {
      // The records were read (and their errors reported) before: every line here parses to an object.
      const objects = picked.map((p) => JSON.parse(p.text) as Record<string, unknown>);
      const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
      return { columns, rows: objects.map((o) => columns.map((k) => (k in o ? cellOf(o[k]) : ''))), lines: lineNumbers };
    }
  }
}
