/**
 * Raw records → `Example`s: vocabularies from the training split, label sets from the train file (or
 * both from a stored run), ids, feature vectors.
 * Every record of a file must share the first training record's kinds and widths; a mismatch is a
 * `DataError` at the record's value.
 */
import { UNSEEN_TARGET } from '../engine/losses';
import { DataError } from './dataError';
import type { DataWarning, Example } from './dataset';
import type { RawRecord, RecordKeys } from './rawRecords';
import type { RawSequence } from './sequenceValue';
import { countTokens, Vocabulary } from './vocabulary';

/** What the train file fixes for every split. */
export interface RecordCodec {
  inputVocab?: Vocabulary;
  outputVocab?: Vocabulary;
  /** Class names for classifiers and taggers, by id. */
  labels?: string[];
  featureSize?: number;
  targetSize?: number;
  initVectorSize?: number;
}

/**
 * Learns the codec: vocabularies from the `training` split's records (their counts decide `minCount`
 * and `maxVocabulary`), labels and widths from `all` the train file's records. With `fixed` (a stored
 * run's vocabularies and labels), those are taken as they are and only the widths are read.
 */
export function learnCodec(all: readonly RawRecord[], training: readonly RawRecord[], keys: RecordKeys, fixed?: RecordCodec): RecordCodec {
  const first = all[0];
  const codec: RecordCodec = {};
  const inputSide = keys.sides[keys.task === 'seq2seq' ? 'source' : 'input'];
  const inputKey = keys.task === 'seq2seq' ? keys.source : keys.input;
  if (first.input?.kind === 'tokens') {
    const counts = new Map<string, number>();
    for (const r of training) if (r.input?.kind === 'tokens') countTokens(counts, r.input.tokens);
    codec.inputVocab = fixed?.inputVocab ?? Vocabulary.fromCounts(counts, { ...inputSide.text, unit: first.input.unit }, false, inputSide.limits);
  } else if (first.input?.kind === 'features') {
    codec.featureSize = fixed?.featureSize ?? first.input.width;
  }
  if (first.output) {
    const counts = new Map<string, number>();
    for (const r of training) countTokens(counts, r.output ?? []);
    codec.outputVocab = fixed?.outputVocab ?? Vocabulary.fromCounts(counts, keys.sides.target.text, true, keys.sides.target.limits);
  }
  if (fixed?.labels) {
    codec.labels = [...fixed.labels];
  } else if (first.label !== undefined || first.labels) {
    const seen = new Set<string>();
    for (const r of all) {
      if (r.label !== undefined) seen.add(r.label);
      for (const l of r.labels ?? []) seen.add(l);
    }
    codec.labels = sortLabels([...seen]);
  }
  if (first.value) codec.targetSize = fixed?.targetSize ?? first.value.length;
  if (first.initVector) codec.initVectorSize = fixed?.initVectorSize ?? first.initVector.length;
  for (const r of all) checkShape(r, codec, inputKey, keys);
  return codec;
}

/** Numeric labels in numeric order ("2" before "10"), otherwise code-point order. */
function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return labels.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function checkShape(r: RawRecord, codec: RecordCodec, inputKey: string, keys: RecordKeys): void {
  const at = (key: string, message: string) => new DataError(r.file, r.line, r.columnOf(key), message);
  if (r.input) {
    const tokens = codec.inputVocab !== undefined;
    if (tokens !== (r.input.kind === 'tokens')) {
      throw at(inputKey, `expected ${tokens ? 'tokens (a string or an array of strings)' : 'numbers'} as in the first training record, got ${r.input.kind === 'tokens' ? 'tokens' : 'numbers'}`);
    }
    if (r.input.kind === 'features' && r.input.width !== codec.featureSize) {
      throw at(inputKey, `expected ${codec.featureSize} feature(s) per step as in the first training record, got ${r.input.width}`);
    }
  }
  if (r.value && r.value.length !== codec.targetSize) {
    throw at(keys.target, `expected ${codec.targetSize} target value(s) as in the first training record, got ${r.value.length}`);
  }
  if (r.initVector && r.initVector.length !== codec.initVectorSize) {
    throw at(keys.input, `expected a vector of ${codec.initVectorSize} numbers as in the first training record, got ${r.initVector.length}`);
  }
}

/**
 * Labels of a validation or test file that training lacks: their counts and first positions. Such a
 * target is encoded as UNSEEN_TARGET (out of the loss, wrong in the metrics).
 */
export class UnseenLabels {
  readonly counts: Record<string, number> = {};
  private readonly first = new Map<string, DataWarning>();

  add(label: string, file: string, line: number, column: number): void {
    this.counts[label] = (this.counts[label] ?? 0) + 1;
    if (!this.first.has(label)) this.first.set(label, { file, line, column, message: '' });
  }

  get size(): number {
    return this.first.size;
  }

  /** One warning per label, at its first occurrence, with its total count in the file. */
  warnings(trainingLabels: number): DataWarning[] {
    return [...this.first].map(([label, at]) => {
      const n = this.counts[label];
      return { ...at, message: `label "${label}" is not among the ${trainingLabels} training labels (counted as wrong): ${n} occurrence${n === 1 ? '' : 's'} in this file` };
    });
  }
}

/**
 * Encodes records with the codec learnt from the train file. A label the codec lacks is an error,
 * unless `unseen` collects it (validation and test files).
 */
export function encodeRecords(records: readonly RawRecord[], codec: RecordCodec, keys: RecordKeys, unseen?: UnseenLabels): Example[] {
  const inputKey = keys.task === 'seq2seq' ? keys.source : keys.input;
  const labelIds = new Map((codec.labels ?? []).map((label, id) => [label, id]));
  return records.map((r) => {
    checkShape(r, codec, inputKey, keys);
    const classOf = (label: string, key: string, index?: number) => {
      const id = labelIds.get(label);
      if (id !== undefined) return id;
      const column = r.columnOf(key, index === undefined ? [] : [index]);
      if (!unseen) {
        throw new DataError(r.file, r.line, column,
          `label "${label}" does not occur in the training data: expected one of ${codec.labels!.slice(0, 20).map((l) => `"${l}"`).join(', ')}`);
      }
      unseen.add(label, r.file, r.line, column);
      return UNSEEN_TARGET;
    };
    const example: Example = { input: new Float32Array(0), steps: 0, line: r.line, file: r.file };
    if (r.input) {
      example.input = encodeSequence(r.input, codec);
      example.steps = r.input.kind === 'tokens' ? r.input.tokens.length : r.input.steps;
    }
    if (r.label !== undefined) example.label = classOf(r.label, keys.label);
    if (r.labels) example.labels = Int32Array.from(r.labels, (l, i) => classOf(l, keys.labels, i));
    if (r.value) example.target = Float32Array.from(r.value);
    if (r.initVector) example.initVector = Float32Array.from(r.initVector);
    if (r.output) example.targetTokens = codec.outputVocab!.encode(r.output);
    return example;
  });
}

function encodeSequence(sequence: RawSequence, codec: RecordCodec): Int32Array | Float32Array {
  return sequence.kind === 'tokens' ? codec.inputVocab!.encode(sequence.tokens) : Float32Array.from(sequence.values);
}
