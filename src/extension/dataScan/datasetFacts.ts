/**
 * What the Datasets view says of a data file: its record count (lines of JSONL/TSV, rows below the
 * CSV header, characters of text) and what a model for it would do. Pure (no `vscode`, no Node): it
 * runs in the data-scan worker, since inferring a spec and counting walk every byte of the file.
 */
import { inferSpecFromDataset } from '../../data';
import { formatFromFileName, tableRecords, type DataFormat, type ModelSpec } from '../../modelSpec';

export interface DatasetFacts {
  records: number;
  /** e.g. `character LM`, `classification`; undefined when the task cannot be told. */
  purpose?: string;
}

/** Unicode code points of UTF-8 bytes (a BOM excluded), counted without decoding: every byte that is not a continuation byte. */
export function countCodePoints(bytes: Uint8Array): number {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let count = 0;
  for (let i = bom; i < bytes.length; i++) if ((bytes[i] & 0xc0) !== 0x80) count++;
  return count;
}

/** Lines holding something other than whitespace. */
function countNonBlankLines(text: string): number {
  let count = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (/\S/.test(text.slice(start, end === -1 ? undefined : end))) count++;
    if (end === -1) return count;
    start = end + 1;
  }
}

/** The task a spec inferred from a dataset would train, in words; `firstLine` is the file's first non-blank line. */
function purposeOf(spec: ModelSpec, format: DataFormat, firstLine: string): string {
  const data = (spec.data ?? {}) as { unit?: string; labelKey?: string; inputKey?: string };
  if (format === 'text') return data.unit === 'word' ? 'word LM' : 'character LM';
  const table = format === 'csv' || format === 'tsv';
  if (format === 'csv' && !tableRecords(data, format)) return 'time series';
  if (table && spec.task === 'many-to-one') return data.labelKey ? 'classification' : 'regression';
  switch (spec.task) {
    case 'many-to-many': return 'tagging';
    case 'seq2seq': return 'sequence to sequence';
    case 'one-to-many': return 'generation from a vector';
    case 'many-to-one': return (data.labelKey ?? 'label') in (JSON.parse(firstLine || '{}') as object) ? 'classification' : 'regression';
  }
}

/** Records and purpose of the file `fileName` (its name decides the format) with these bytes. */
export function datasetFacts(fileName: string, bytes: Uint8Array): DatasetFacts | undefined {
  const format = formatFromFileName(fileName);
  if (!format) return undefined;
  if (format === 'text') return { records: countCodePoints(bytes), ...purpose(fileName, bytes, format, '') };
  const text = new TextDecoder().decode(bytes);
  const lines = countNonBlankLines(text);
  const firstLine = text.split('\n', 64).find((line) => line.trim() !== '') ?? '';
  return { records: format === 'csv' ? Math.max(0, lines - 1) : lines, ...purpose(fileName, bytes, format, firstLine) };
}

function purpose(fileName: string, bytes: Uint8Array, format: DataFormat, firstLine: string): { purpose?: string } {
  try {
    return { purpose: purposeOf(inferSpecFromDataset(fileName, bytes), format, firstLine) };
  } catch {
    return {}; // not a dataset it can read yet: the spec's diagnostics will say why
  }
}
