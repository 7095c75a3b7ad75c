/**
 * Spec + file bytes → `PreparedDataset`: the train, validation and test splits as token streams
 * (text) or examples (JSONL, TSV, CSV), with vocabularies, labels, widths and normalisation.
 */
import type { ResolvedSpec } from '../modelSpec';
import { DataError } from './dataError';
import type { DataWarning, Example, Normalization, PreparedDataset, Split } from './dataset';
import { sha256Hex } from './fileHash';
import { featureStatistics, normalizeFeatures } from './normalization';
import { readJsonlRecords, readTsvRecords, recordKeys, type RawRecord, type RecordKeys } from './rawRecords';
import { encodeRecords, learnCodec, UnseenLabels, type RecordCodec } from './recordExamples';
import { heldOutCount, seededSplit, stratifiedSplit } from './splits';
import { readTableRecords } from './tableRecords';
import { sideOptions } from './textOptions';
import { learnTokenStream, readTokenStream } from './textStream';
import { lengthLimits, truncateExamples } from './truncation';
import type { Vocabulary } from './vocabulary';
import { prepareSeries } from './prepareSeries';
import { splitIds, vocabularyNote } from './vocabularyNotes';

type Read = (relPath: string) => Uint8Array;

/** What a stored run fixes (its `vocab.json` and `normalization.json`, widths from its network): eval and resume use it as it is. */
export interface FixedCodec extends RecordCodec {
  normalization?: Normalization;
}

/**
 * Reads and prepares every file the spec names (paths as written in the spec; `read` resolves them).
 * Vocabularies come from the training split (after any validation fraction is held out), label sets
 * from the whole train file, normalisation statistics from the training split; or all of them from
 * `fixed`, a stored run's. Throws `DataError` (file, line, column) on malformed data.
 */
export interface PrepareOptions {
  /**
   * Time series: the test file is a series of its own (`eval --data` on a new file), so its first
   * window rows serve only as context, instead of continuing the training series.
   */
  testStandsAlone?: boolean;
}

export function prepareDataset(spec: ResolvedSpec, read: Read, fixed?: FixedCodec, options: PrepareOptions = {}): PreparedDataset {
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
      return { ...prepareStream(spec, load, fixed), hashes };
    case 'csv':
      return {
        ...(spec.data.records ? prepareRecords(spec, load, fixed)
          : prepareSeries(spec, load, validationFile(spec), validationFraction(spec), options.testStandsAlone ?? false, fixed?.normalization)),
        hashes,
      };
    case 'jsonl':
    case 'tsv':
      return { ...prepareRecords(spec, load, fixed), hashes };
  }
}

type Prepared = Omit<PreparedDataset, 'hashes'>;

function validationFile(spec: ResolvedSpec): string | undefined {
  return typeof spec.data.validation === 'string' ? spec.data.validation : undefined;
}

function validationFraction(spec: ResolvedSpec): number {
  return typeof spec.data.validation === 'string' ? 0 : spec.data.validation.fraction;
}

function prepareStream(spec: ResolvedSpec, load: Read, fixed: FixedCodec | undefined): Prepared {
  const { data } = spec;
  const side = sideOptions(spec, 'input');
  const stream = (t: Int32Array): Split => ({ kind: 'stream', tokens: t });
  const valFile = validationFile(spec);
  const trainEnd = (n: number) => n - (valFile ? 0 : heldOutCount(n, validationFraction(spec)));
  let learnt: { tokens: Int32Array; vocab: Vocabulary; trainEnd: number };
  if (fixed?.inputVocab) {
    const { tokens } = readTokenStream(load(data.train), data.train, fixed.inputVocab);
    learnt = { tokens, vocab: fixed.inputVocab, trainEnd: trainEnd(tokens.length) };
  } else {
    learnt = learnTokenStream(load(data.train), data.train, side.text, side.limits, trainEnd);
  }
  const { tokens, vocab } = learnt;
  const validation = stream(valFile ? readTokenStream(load(valFile), valFile, vocab).tokens : tokens.subarray(learnt.trainEnd));
  return {
    task: spec.task,
    kind: 'stream',
    inputVocab: vocab,
    outputVocab: vocab,
    train: stream(tokens.subarray(0, learnt.trainEnd)),
    validation,
    ...(data.test !== undefined && { test: stream(readTokenStream(load(data.test), data.test, vocab).tokens) }),
    notes: [vocabularyNote('vocabulary', vocab, fixed?.inputVocab ? undefined : side.limits, splitIds(validation, 'input'))],
  };
}

/** The reader of a records file: JSONL, headerless TSV pairs, or CSV/TSV with a header (`data.records`). */
function recordReader(spec: ResolvedSpec, keys: RecordKeys, load: Read): (path: string) => RawRecord[] {
  const format = spec.data.format;
  if (spec.data.records && (format === 'csv' || format === 'tsv')) return (path) => readTableRecords(load(path), path, keys, format);
  return (path) => (format === 'tsv' ? readTsvRecords : readJsonlRecords)(load(path), path, keys);
}

function prepareRecords(spec: ResolvedSpec, load: Read, fixed: FixedCodec | undefined): Prepared {
  const keys = recordKeys(spec);
  const readRecords = recordReader(spec, keys, load);
  const trainRecords = readRecords(spec.data.train);
  const valFile = validationFile(spec);
  const parts = valFile ? { train: trainRecords, validation: [] } : splitRecords(spec, trainRecords);
  const codec = learnCodec(trainRecords, parts.train, keys, fixed);
  const warnings: DataWarning[] = [];
  /** A validation or test file: labels training lacks become warnings and UNSEEN_TARGET. */
  const encodeOther = (records: readonly RawRecord[]): Split => {
    const unseen = new UnseenLabels();
    const examples = encodeRecords(records, codec, keys, unseen);
    warnings.push(...unseen.warnings(codec.labels?.length ?? 0));
    return { kind: 'examples', examples, ...(unseen.size > 0 && { unseenLabels: unseen.counts }) };
  };
  // Read with a stored run's labels (eval --data), the train file itself may hold labels the run never saw.
  const encodeTrainFile = (records: readonly RawRecord[]): Split =>
    fixed?.labels ? encodeOther(records) : { kind: 'examples', examples: encodeRecords(records, codec, keys) };
  const train = encodeTrainFile(parts.train);
  const validation = valFile ? encodeOther(readRecords(valFile)) : encodeTrainFile(parts.validation);
  const test = spec.data.test !== undefined ? encodeOther(readRecords(spec.data.test)) : undefined;
  const splits = { train, validation, ...(test && { test }) };
  const notes = [...recordNotes(spec, codec, validation, fixed), ...truncationNotes(spec, splits, codec.featureSize ?? 1, codec.targetSize ?? 1)];
  let normalization: PreparedDataset['normalization'];
  if (codec.featureSize !== undefined && spec.data.normalize) {
    const examplesOf = (split: Split) => (split as Extract<Split, { kind: 'examples' }>).examples;
    normalization = fixed?.normalization ?? featureStatistics(examplesOf(train), codec.featureSize);
    for (const split of Object.values(splits)) normalizeFeatures(examplesOf(split), normalization);
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

/**
 * The records of a train file split into training and held-out validation: stratified by label for
 * classifiers that ask for it (a label's index of first sight stands for its class: only grouping matters).
 */
function splitRecords(spec: ResolvedSpec, records: readonly RawRecord[]): { train: RawRecord[]; validation: RawRecord[] } {
  if (stratified(spec) && spec.task === 'many-to-one' && records[0]?.label !== undefined) {
    const ids = new Map<string, number>();
    const classOf = (r: RawRecord) => {
      if (r.label === undefined) return -1;
      if (!ids.has(r.label)) ids.set(r.label, ids.size);
      return ids.get(r.label)!;
    };
    return stratifiedSplit(records, classOf, validationFraction(spec), spec.training.seed);
  }
  return seededSplit(records, validationFraction(spec), spec.training.seed);
}

/** One vocabulary line per token side (`source vocabulary …`, `target vocabulary …` for generated sequences). */
function recordNotes(spec: ResolvedSpec, codec: RecordCodec, validation: Split, fixed: FixedCodec | undefined): string[] {
  const generates = spec.task === 'seq2seq' || spec.task === 'one-to-many';
  const notes: string[] = [];
  if (codec.inputVocab) {
    const side = sideOptions(spec, spec.task === 'seq2seq' ? 'source' : 'input');
    notes.push(vocabularyNote(generates ? 'source vocabulary' : 'vocabulary', codec.inputVocab, fixed?.inputVocab ? undefined : side.limits, splitIds(validation, 'input')));
  }
  if (codec.outputVocab) {
    const side = sideOptions(spec, 'target');
    notes.push(vocabularyNote('target vocabulary', codec.outputVocab, fixed?.outputVocab ? undefined : side.limits, splitIds(validation, 'targetTokens')));
  }
  return notes;
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

/**
 * One file read with a stored run's codec alone (`eval --data FILE`): the train file is not read, so
 * evaluation works after it moved or changed. The file comes back as the `test` split. Not for CSV
 * time series, whose windows take their context from the training rows.
 */
export function prepareEvaluationFile(spec: ResolvedSpec, read: Read, fixed: FixedCodec, relPath: string): PreparedDataset {
  const alone: ResolvedSpec = { ...spec, data: { ...spec.data, train: relPath, validation: { fraction: 0, stratify: false } } };
  delete alone.data.test;
  const data = prepareDataset(alone, read, fixed);
  return { ...data, test: data.train, validation: emptySplit(data.train), notes: [] };
}

/** A split of the same kind with nothing in it. */
function emptySplit(split: Split): Split {
  return split.kind === 'stream' ? { kind: 'stream', tokens: new Int32Array(0) } : { kind: 'examples', examples: [] };
}
