/**
 * Spec + file bytes → `PreparedDataset`: the train, validation and test splits as token streams
 * (text) or examples (JSONL, TSV, CSV), with vocabularies, labels, widths and normalisation.
 */
import type { ResolvedSpec } from '../spec';
import { readCsvColumns } from './csvTable';
import { DataError } from './dataError';
import type { DataWarning, Example, PreparedDataset, Split } from './dataset';
import { sha256Hex } from './fileHash';
import { featureStatistics, normalizeFeatures } from './normalization';
import { readJsonlRecords, readTsvRecords, recordKeys, type RawRecord, type RecordKeys } from './rawRecords';
import { encodeRecords, learnCodec, UnseenLabels } from './recordExamples';
import { heldOutCount, seededSplit, stratifiedSplit } from './splits';
import { lengthLimits, truncateExamples } from './truncation';
import { readTokenStream } from './textStream';
import { appendSeries, asSeries, requireWindows, seriesStatistics, seriesWindows, windowOptions } from './timeSeries';

type Read = (relPath: string) => Uint8Array;

/**
 * Reads and prepares every file the spec names (paths as written in the spec; `read` resolves them).
 * Vocabularies and label sets come from the whole train file; normalisation statistics from the
 * training split only. Throws `DataError` (file, line, column) on malformed data.
 */
export function prepareDataset(spec: ResolvedSpec, read: Read): PreparedDataset {
  const hashes: Record<string, string> = {};
  const load = (path: string): Uint8Array => {
    let bytes: Uint8Array;
    try {
      bytes = read(path);
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(path, 1, 1, `cannot read the file (${(e as Error).message}): expected a readable file`);
    }
    hashes[path] = sha256Hex(bytes);
    return bytes;
  };
  switch (spec.data.format) {
    case 'text':
      return { ...prepareStream(spec, load), hashes };
    case 'csv':
      return { ...prepareSeries(spec, load), hashes };
    case 'jsonl':
    case 'tsv':
      return { ...prepareRecords(spec, load), hashes };
  }
}

type Prepared = Omit<PreparedDataset, 'hashes'>;

function validationFile(spec: ResolvedSpec): string | undefined {
  return typeof spec.data.validation === 'string' ? spec.data.validation : undefined;
}

function validationFraction(spec: ResolvedSpec): number {
  return typeof spec.data.validation === 'string' ? 0 : spec.data.validation.fraction;
}

function prepareStream(spec: ResolvedSpec, load: Read): Prepared {
  const { data } = spec;
  const { tokens, vocab } = readTokenStream(load(data.train), data.train, data.unit);
  const stream = (t: Int32Array): Split => ({ kind: 'stream', tokens: t });
  const valFile = validationFile(spec);
  let trainTokens = tokens;
  let validation: Split;
  if (valFile) {
    validation = stream(readTokenStream(load(valFile), valFile, data.unit, vocab).tokens);
  } else {
    const cut = tokens.length - heldOutCount(tokens.length, validationFraction(spec));
    trainTokens = tokens.subarray(0, cut);
    validation = stream(tokens.subarray(cut));
  }
  return {
    task: spec.task,
    kind: 'stream',
    inputVocab: vocab,
    outputVocab: vocab,
    train: stream(trainTokens),
    validation,
    ...(data.test !== undefined && { test: stream(readTokenStream(load(data.test), data.test, data.unit, vocab).tokens) }),
  };
}

function prepareRecords(spec: ResolvedSpec, load: Read): Prepared {
  const keys = recordKeys(spec);
  const readRecords = (path: string): RawRecord[] =>
    (spec.data.format === 'tsv' ? readTsvRecords : readJsonlRecords)(load(path), path, keys as RecordKeys);
  const trainRecords = readRecords(spec.data.train);
  const codec = learnCodec(trainRecords, keys);
  const all = encodeRecords(trainRecords, codec, keys);
  const warnings: DataWarning[] = [];
  /** A validation or test file: labels training lacks become warnings and UNSEEN_TARGET. */
  const encodeOther = (path: string): Split => {
    const unseen = new UnseenLabels();
    const examples = encodeRecords(readRecords(path), codec, keys, unseen);
    warnings.push(...unseen.warnings(codec.labels?.length ?? 0));
    return { kind: 'examples', examples, ...(unseen.size > 0 && { unseenLabels: unseen.counts }) };
  };
  const valFile = validationFile(spec);
  const examples = (e: Example[]): Split => ({ kind: 'examples', examples: e });
  let train = all;
  let validation: Split;
  if (valFile) validation = encodeOther(valFile);
  else {
    const split = stratified(spec) && codec.labels && spec.task === 'many-to-one'
      ? stratifiedSplit(all, (e) => e.label ?? -1, validationFraction(spec), spec.training.seed)
      : seededSplit(all, validationFraction(spec), spec.training.seed);
    train = split.train;
    validation = examples(split.validation);
  }
  const test = spec.data.test !== undefined ? encodeOther(spec.data.test) : undefined;
  const splits = { train: examples(train), validation, ...(test && { test }) };
  const notes = truncationNotes(spec, splits, codec.featureSize ?? 1, codec.targetSize ?? 1);
  let normalization: PreparedDataset['normalization'];
  if (codec.featureSize !== undefined && spec.data.normalize) {
    normalization = featureStatistics(train, codec.featureSize);
    for (const split of Object.values(splits)) normalizeFeatures((split as Extract<Split, { kind: 'examples' }>).examples, normalization);
  }
  return {
    task: spec.task,
    kind: 'records',
    ...codec,
    ...(normalization && { normalization }),
    ...splits,
    ...(warnings.length > 0 && { warnings }),
    ...(notes.length > 0 && { notes }),
  };
}

function stratified(spec: ResolvedSpec): boolean {
  return typeof spec.data.validation !== 'string' && spec.data.validation.stratify;
}

/** Truncates every split to the spec's maximum lengths; one note saying how many records were cut. */
function truncationNotes(spec: ResolvedSpec, splits: Record<string, Split>, featureSize: number, targetSize: number): string[] {
  const limits = lengthLimits(spec);
  const widths = { featureSize, targetSize, aligned: spec.task === 'many-to-many' };
  const counts: string[] = [];
  for (const [name, split] of Object.entries(splits)) {
    if (split.kind !== 'examples') continue;
    const cut = truncateExamples(split.examples, limits, widths);
    if (cut > 0) counts.push(`${cut} of ${split.examples.length} ${name}`);
  }
  if (counts.length === 0) return [];
  const maxima = [limits.input !== null && `${spec.task === 'seq2seq' ? 'sourceMaxLength' : 'maxLength'} ${limits.input}`,
    limits.target !== null && `targetMaxLength ${limits.target}`].filter(Boolean).join(', ');
  return [`truncated ${counts.join(', ')} records to ${maxima} (truncate "${limits.truncate}": the ${limits.truncate === 'end' ? 'end' : 'start'} of each dropped)`];
}

function prepareSeries(spec: ResolvedSpec, load: Read): Prepared {
  const { data } = spec;
  const wanted = data.columns && data.target && !data.columns.includes(data.target) ? [...data.columns, data.target] : data.columns;
  let trainColumns = readCsvColumns(load(data.train), data.train, wanted);
  if (data.target && !trainColumns.names.includes(data.target)) {
    trainColumns = readCsvColumns(load(data.train), data.train, [...trainColumns.names, data.target]);
  }
  const names = trainColumns.names;
  const options = windowOptions(spec, names.indexOf(data.target ?? names[names.length - 1]));
  const series = asSeries(trainColumns);
  const rows = series.lines.length;
  const valFile = validationFile(spec);
  const trainEnd = rows - (valFile ? 0 : heldOutCount(rows, validationFraction(spec)));
  const stats = seriesStatistics(series, trainEnd, options, data.normalize);
  const train = requireWindows(seriesWindows(series, 0, trainEnd, options, stats), series, 'training', options);
  const after = (path: string) => {
    const columns = readCsvColumns(load(path), path, names);
    return seriesWindows(appendSeries(series, columns), rows, rows + columns.lines.length, options, stats);
  };
  const validation = valFile ? after(valFile) : seriesWindows(series, trainEnd, rows, options, stats);
  const examples = (e: Example[]): Split => ({ kind: 'examples', examples: e });
  return {
    task: spec.task,
    kind: 'timeseries',
    featureSize: names.length,
    targetSize: 1,
    normalization: stats,
    train: examples(train),
    validation: examples(validation),
    ...(data.test !== undefined && { test: examples(after(data.test)) }),
  };
}
