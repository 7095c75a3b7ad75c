/**
 * A starter spec from a dataset alone (`rnn-lab init`, the wizard): the format from the extension
 * (or the content), the task and the JSONL key names from the first records.
 */
import type { TaskShape } from '../engine/types';
import { formatFromFileName, type DataFormat, type ModelSpec } from '../modelSpec';
import { isNumberCell, numericColumns, parseCsvRows } from './csvTable';
import { parseTimeCell } from './timeColumn';
import { missingMode, seasonalKeys, seriesColumn, timeGranularity } from './inferSeries';
import { DataError } from './dataError';
import { TextLines } from '../modelSpec/textLines';
import { decodeUtf8 } from './utf8';

const SAMPLE_BYTES = 1 << 20;

/**
 * Word inputs are read as a careful PyTorch script reads them: lower-cased (case variants share one
 * embedding), punctuation split off (`"words"`, for strings), and words seen once mapped to `<unk>`
 * (`minCount: 2`), so that `<unk>` is trained for the unseen words of new data. A generated target
 * keeps its case (lower-casing it would change what the model writes) but gets the same cut and cut-off.
 */
function wordText(unit: 'char' | 'word' | 'tokens', side: '' | 'source' | 'target' = ''): Partial<ModelSpec['data']> {
  if (unit === 'char') return {};
  const key = (name: string) => (side ? side + name[0].toUpperCase() + name.slice(1) : name);
  return {
    ...(side !== 'target' && { [key('lowercase')]: true }),
    ...(unit === 'word' && { [key('tokenizer')]: 'words' }),
    [key('minCount')]: 2,
  };
}
const SAMPLE_RECORDS = 20;

type Json = Record<string, unknown>;

/** Infers a minimal spec; `data.train` is `fileName` as given. Throws `DataError` when nothing fits. */
export function inferSpecFromDataset(fileName: string, bytes: Uint8Array): ModelSpec {
  if (bytes.length === 0) throw new DataError(fileName, 1, 1, 'empty file: expected a dataset');
  const text = decodeUtf8(sampleBytes(bytes), fileName);
  const format = formatFromFileName(fileName) ?? sniffFormat(text);
  const explicitFormat = formatFromFileName(fileName) ? {} : { format };
  const base = { version: 1, model: { cell: 'lstm' as const } };
  switch (format) {
    case 'text':
      return { ...base, task: 'many-to-many', data: { train: fileName, ...explicitFormat, unit: 'char' } };
    case 'tsv': {
      const pairs = nonBlankLines(text).slice(0, SAMPLE_RECORDS).map((l) => l.text.split('\t'));
      const table = pairs.length > 1 ? inferTable(pairs[0].map((h) => h.trim()), pairs.slice(1)) : undefined;
      if (table) return { ...base, task: table.task, data: { train: fileName, ...explicitFormat, ...table.data } };
      const unit = (i: number) => (pairs.some((p) => /\s/.test((p[i] ?? '').trim())) ? 'word' : 'char');
      return {
        ...base, task: 'seq2seq',
        data: { train: fileName, ...explicitFormat, sourceUnit: unit(0), targetUnit: unit(1), ...wordText(unit(0), 'source'), ...wordText(unit(1), 'target') },
      };
    }
    case 'csv': {
      const { header, rows } = parseCsvRows(text, fileName);
      const table = inferTable(header, rows.slice(0, SAMPLE_RECORDS).map((r) => r.record));
      if (table) return { ...base, task: table.task, data: { train: fileName, ...explicitFormat, ...table.data } };
      const records = rows.map((r) => r.record);
      const cells = (name: string) => records.map((r) => r[header.indexOf(name)] ?? '');
      // Several series in one file: a column naming them (never an input).
      const groupBy = seriesColumn(header, records);
      const numeric = numericColumns(header, rows).filter((name) => name !== groupBy);
      // The time column: the first one of dates, else a counting one (a year, an index: equal steps),
      // which carries no signal and never repeats its range in the test period.
      const counters = numeric.filter((name) => isCounter(cells(name)));
      let time = header.find((name) => name !== groupBy && parseTimeCell(cells(name)[0])?.kind === 'date') ??
        counters.find((name) => TIME_NAMES.test(name) || name === header[0]);
      if (time !== undefined && numeric.every((name) => name === time)) time = undefined; // a counter is all there is
      const values = numeric.filter((name) => name !== time);
      if (!values.length) throw new DataError(fileName, rows[0].info.lines, 1, 'no numeric column in the first row: expected a numeric time series');
      // Other counting columns are left out of the inputs too, unless they are all there is.
      const signal = values.filter((name) => !counters.includes(name));
      if (signal.length > 0 && signal.length < values.length) values.splice(0, values.length, ...signal);
      const series = groupBy === undefined ? undefined : cells(groupBy);
      const length = typicalSeriesLength(series ?? records.map(() => ''));
      const window = Math.max(1, Math.min(24, Math.floor(length / 4)));
      return {
        ...base, task: 'many-to-one',
        data: {
          train: fileName, ...explicitFormat, ...(time && { time }), ...(groupBy !== undefined && { groupBy }),
          columns: values, target: values[values.length - 1], window, horizon: 1,
          ...(time && seasonalKeys(timeGranularity(cells(time), series), length)), ...missingMode(values.map(cells), window),
        },
      };
    }
    case 'jsonl':
    {
      const { task, data } = inferRecords(text, fileName);
      return { ...base, task, data: { train: fileName, ...explicitFormat, ...data } };
    }
  }
}

/** Whole characters only: cut a long file at its last newline within the first megabyte. */
function sampleBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= SAMPLE_BYTES) return bytes;
  const cut = bytes.subarray(0, SAMPLE_BYTES).lastIndexOf(0x0a);
  return bytes.subarray(0, cut > 0 ? cut : SAMPLE_BYTES - 4);
}

function nonBlankLines(text: string): { line: number; text: string }[] {
  const lines = new TextLines(text);
  const out: { line: number; text: string }[] = [];
  for (let i = 1; i <= lines.count; i++) if (lines.line(i).trim()) out.push({ line: i, text: lines.line(i) });
  return out;
}

/** The median number of rows of a series (`series[r]` names row r's series). */
function typicalSeriesLength(series: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const id of series) counts.set(id, (counts.get(id) ?? 0) + 1);
  const lengths = [...counts.values()].sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length / 2)];
}

/** True when the cells are numbers that step by one constant non-zero amount (1700, 1701, …). */
function isCounter(cells: string[]): boolean {
  if (cells.length < 3 || !cells.every(isNumberCell)) return false;
  const values = cells.map(Number);
  const step = values[1] - values[0];
  return step !== 0 && values.every((v, i) => i === 0 || Math.abs(v - values[i - 1] - step) <= 1e-9 * Math.max(1, Math.abs(v)));
}

function sniffFormat(text: string): DataFormat {
  const lines = nonBlankLines(text).slice(0, 5).map((l) => l.text);
  if (lines.length && lines.every((l) => l.trimStart().startsWith('{'))) return 'jsonl';
  if (lines.length && lines.every((l) => l.split('\t').length === 2)) return 'tsv';
  const commas = lines.map((l) => l.split(',').length);
  if (lines.length > 1 && commas[0] > 1 && commas.every((c) => c === commas[0])) return 'csv';
  return 'text';
}

const TIME_NAMES = /^(date|time|timestamp|datetime|ds|year|month|day|week|period|t|index)$/i;
const INPUT_NAMES = /^(input|inputs|x|text|sequence|seq|tokens|words|features|sentence|src|source)$/i;
const LABEL_NAMES = /^(label|class|category|y|tag|sentiment|target)$/i;
const LABELS_NAMES = /^(labels|tags|classes|ys)$/i;
const SOURCE_NAMES = /^(source|src|input|question|from)$/i;
const TARGET_NAMES = /^(target|tgt|output|answer|to|translation)$/i;

interface Inferred {
  task: TaskShape;
  data: Partial<ModelSpec['data']>;
}

/**
 * A CSV/TSV header naming a text column and a label (or space-separated tags, as many as the text's
 * words) is read as records: the spec names both columns, which is what makes it records.
 */
function inferTable(header: string[], rows: string[][]): Inferred | undefined {
  const input = header.findIndex((h) => INPUT_NAMES.test(h));
  if (input < 0 || !rows.length || rows.some((r) => isNumberCell(r[input] ?? '') || !(r[input] ?? '').trim())) return undefined;
  const words = (cell: string | undefined) => (cell ?? '').trim().split(/\s+/u).length;
  const other = (names: RegExp) => header.findIndex((h, i) => i !== input && names.test(h));
  const tags = other(LABELS_NAMES);
  if (tags >= 0 && rows.every((r) => words(r[tags]) === words(r[input]))) {
    return { task: 'many-to-many', data: { inputKey: header[input], labelsKey: header[tags], ...wordText('tokens') } };
  }
  const label = other(LABEL_NAMES);
  if (label < 0) return undefined;
  const unit = rows.some((r) => words(r[input]) > 1) ? 'word' : 'char';
  return { task: 'many-to-one', data: { inputKey: header[input], labelKey: header[label], unit, ...wordText(unit) } };
}

function inferRecords(text: string, file: string): Inferred {
  const sample: Json[] = [];
  let firstLine = 1;
  for (const { line, text: lineText } of nonBlankLines(text).slice(0, SAMPLE_RECORDS)) {
    if (!sample.length) firstLine = line;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch {
      throw new DataError(file, line, 1, 'invalid JSON: expected one JSON object a line');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataError(file, line, 1, 'expected a JSON object a line');
    sample.push(value as Json);
  }
  const first = sample[0];
  if (!first) throw new DataError(file, 1, 1, 'empty file: expected one JSON object a line');
  const keys = Object.keys(first);
  const isSequence = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.length > 0);
  const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  const isTokens = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((t) => typeof t === 'string'));
  const isVector = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'number');
  const pick = (names: RegExp, test: (v: unknown) => boolean, not: string[] = []) =>
    keys.find((k) => names.test(k) && !not.includes(k) && test(first[k]));
  const unitOf = (key: string): 'char' | 'word' => (sample.some((r) => typeof r[key] === 'string' && /\s/.test((r[key] as string).trim())) ? 'word' : 'char');
  /** Strings of words, arrays of tokens (words too), or characters. */
  const textOf = (key: string) => (typeof first[key] === 'string' ? unitOf(key) : Array.isArray(first[key]) && isTokens(first[key]) ? 'tokens' : 'char');
  const named = (role: 'inputKey' | 'labelKey' | 'labelsKey' | 'targetKey' | 'sourceKey', key: string, fallback: string) => (key === fallback ? {} : { [role]: key });

  const source = pick(SOURCE_NAMES, isTokens);
  const target = source && pick(TARGET_NAMES, isTokens, [source]);
  if (source && target && source !== 'input') {
    return {
      task: 'seq2seq',
      data: { ...named('sourceKey', source, 'source'), ...named('targetKey', target, 'target'), sourceUnit: unitOf(source), targetUnit: unitOf(target), ...wordText(textOf(source), 'source'), ...wordText(textOf(target), 'target') },
    };
  }
  const input = pick(INPUT_NAMES, isSequence) ?? keys.find((k) => isSequence(first[k]));
  if (!input) throw new DataError(file, firstLine, 1, `no sequence among keys ${keys.map((k) => `"${k}"`).join(', ')}: expected a string or an array`);
  const rest = keys.filter((k) => k !== input);
  const inputUnit = { ...(typeof first[input] === 'string' && { unit: unitOf(input) }), ...wordText(textOf(input)) };
  const steps = (v: unknown) => (typeof v === 'string' ? Array.from(v).length : (v as unknown[]).length);
  const labels = pick(LABELS_NAMES, (v) => Array.isArray(v) && v.length === steps(first[input]), [input]);
  if (labels) return { task: 'many-to-many', data: { ...named('inputKey', input, 'input'), ...named('labelsKey', labels, 'labels'), ...inputUnit } };
  const generated = pick(TARGET_NAMES, isTokens, [input]);
  if (generated && isVector(first[input]) && !sample.every((r) => typeof r[generated] === 'number')) {
    return { task: 'one-to-many', data: { ...named('inputKey', input, 'input'), ...named('targetKey', generated, 'target'), targetUnit: unitOf(generated), ...wordText(textOf(generated), 'target') } };
  }
  if (generated && isTokens(first[input])) {
    return {
      task: 'seq2seq',
      data: { sourceKey: input, ...named('targetKey', generated, 'target'), sourceUnit: unitOf(input), targetUnit: unitOf(generated), ...wordText(textOf(input), 'source'), ...wordText(textOf(generated), 'target') },
    };
  }
  const numericTarget = rest.find((k) => /^(target|value|y)$/i.test(k) && (typeof first[k] === 'number' || isVector(first[k])));
  const label = rest.find((k) => LABEL_NAMES.test(k) && isScalar(first[k])) ?? (rest.length === 1 && isScalar(first[rest[0]]) ? rest[0] : undefined);
  if (label && !(label === numericTarget && !sample.every((r) => Number.isInteger(r[label])))) {
    // Classifiers: a stratified held-out split, written out so the key is seen (it is also the default).
    return { task: 'many-to-one', data: { ...named('inputKey', input, 'input'), ...named('labelKey', label, 'label'), ...inputUnit, validation: { fraction: 0.1, stratify: true } } };
  }
  if (numericTarget) return { task: 'many-to-one', data: { ...named('inputKey', input, 'input'), ...named('targetKey', numericTarget, 'target'), ...inputUnit } };
  throw new DataError(file, firstLine, 1, `cannot tell the task from keys ${keys.map((k) => `"${k}"`).join(', ')}: expected {"input", "label"}, {"input", "labels"}, {"input", "target"} or {"source", "target"}`);
}

export interface DataInfo {
  format: DataFormat;
  /** Non-blank lines (text, JSONL, TSV) or data rows (CSV). */
  records: number;
  sizeBytes: number;
  detectedTask?: TaskShape;
  /** Why the task could not be inferred, when it could not. */
  error?: string;
}

/** A short description for a Datasets view; never throws. */
export function dataInfo(fileName: string, bytes: Uint8Array): DataInfo {
  let text = '';
  try {
    text = new TextDecoder('utf-8').decode(sampleBytes(bytes));
  } catch {
    // A decoder without `fatal` replaces bad bytes; nothing to catch in practice.
  }
  const format = formatFromFileName(fileName) ?? sniffFormat(text);
  let records = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) records++;
  if (bytes.length && bytes[bytes.length - 1] !== 0x0a) records++;
  if (format === 'csv' && records > 0) records--;
  const info: DataInfo = { format, records, sizeBytes: bytes.length };
  try {
    info.detectedTask = inferSpecFromDataset(fileName, bytes).task;
  } catch (e) {
    info.error = e instanceof Error ? e.message : String(e);
  }
  return info;
}
