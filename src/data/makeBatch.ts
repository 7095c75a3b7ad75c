/**
 * Examples → one engine `Batch`, time-major, padded to the longest sequence:
 *   tokens      T×B ids, `<pad>` (0) after each length          (token inputs)
 *   features    T×B×X values, 0 after each length                (feature inputs)
 *   classLabels B ids                                            (many-to-one classification)
 *   targetValues B×Y (many-to-one) or T×B×Y (aligned)            (regression)
 *   targetTokens T×B ids, −1 after each length                   (aligned tagging)
 *   decoderInput  T2×B `<bos> y_1 … y_n`, `<pad>` after          (seq2seq, one-to-many)
 *   decoderTarget T2×B `y_1 … y_n <eos>`, −1 after; T2 = longest n + 1
 *   initVectors B×V                                              (one-to-many)
 * One-to-many has no input sequence: `steps` is 0 and every length 0.
 */
import type { Batch } from '../engine/types';
import type { Example, PreparedDataset } from './dataset';

export function makeBatch(examples: readonly Example[], data: PreparedDataset): Batch {
  const B = examples.length;
  if (B === 0) throw new RangeError('makeBatch needs at least one example');
  const T = examples.reduce((m, e) => Math.max(m, e.steps), 0);
  const lengths = Int32Array.from(examples, (e) => e.steps);
  const batch: Batch = { batchSize: B, steps: T, lengths };
  const first = examples[0];
  if (T > 0 && first.input instanceof Int32Array) {
    const tokens = new Int32Array(T * B);
    examples.forEach((e, b) => {
      for (let t = 0; t < e.steps; t++) tokens[t * B + b] = e.input[t];
    });
    batch.tokens = tokens;
  } else if (T > 0) {
    const X = data.featureSize ?? first.input.length / Math.max(1, first.steps);
    const features = new Float32Array(T * B * X);
    examples.forEach((e, b) => {
      for (let t = 0; t < e.steps; t++) features.set(e.input.subarray(t * X, (t + 1) * X), (t * B + b) * X);
    });
    batch.features = features;
  }
  if (first.label !== undefined) batch.classLabels = Int32Array.from(examples, (e) => e.label ?? -1);
  if (first.labels) {
    const targetTokens = new Int32Array(T * B).fill(-1);
    examples.forEach((e, b) => e.labels!.forEach((label, t) => (targetTokens[t * B + b] = label)));
    batch.targetTokens = targetTokens;
  }
  if (first.target) batch.targetValues = targetValues(examples, data, T);
  if (first.targetTokens) addDecoder(batch, examples, data);
  if (first.initVector) {
    const V = first.initVector.length;
    const initVectors = new Float32Array(B * V);
    examples.forEach((e, b) => initVectors.set(e.initVector!, b * V));
    batch.initVectors = initVectors;
  }
  return batch;
}

/** B×Y when each example has one target row; T×B×Y when it has one per step (aligned). */
function targetValues(examples: readonly Example[], data: PreparedDataset, T: number): Float32Array {
  const B = examples.length;
  const Y = data.targetSize ?? examples[0].target!.length;
  const aligned = data.task === 'many-to-many';
  const out = new Float32Array((aligned ? T : 1) * B * Y);
  examples.forEach((e, b) => {
    const target = e.target!;
    if (!aligned) out.set(target, b * Y);
    else for (let t = 0; t < e.steps; t++) out.set(target.subarray(t * Y, (t + 1) * Y), (t * B + b) * Y);
  });
  return out;
}

function addDecoder(batch: Batch, examples: readonly Example[], data: PreparedDataset): void {
  const vocab = data.outputVocab;
  if (!vocab || vocab.bos < 0) throw new Error('generated targets need an output vocabulary with <bos> and <eos>');
  const B = examples.length;
  const T2 = examples.reduce((m, e) => Math.max(m, e.targetTokens!.length), 0) + 1;
  const decoderInput = new Int32Array(T2 * B);
  const decoderTarget = new Int32Array(T2 * B).fill(-1);
  const decoderLengths = new Int32Array(B);
  examples.forEach((e, b) => {
    const y = e.targetTokens!;
    decoderInput[b] = vocab.bos;
    for (let t = 0; t < y.length; t++) {
      decoderInput[(t + 1) * B + b] = y[t];
      decoderTarget[t * B + b] = y[t];
    }
    decoderTarget[y.length * B + b] = vocab.eos;
    decoderLengths[b] = y.length + 1;
  });
  Object.assign(batch, { decoderSteps: T2, decoderInput, decoderTarget, decoderLengths });
}
