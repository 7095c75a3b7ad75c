/**
 * What one data-parallel shard receives and returns, laid out in shared memory (SharedArrayBuffer),
 * so that a step hands work to the threads with a few copies and an `Atomics.notify`, never with a
 * structured-clone message.
 *
 * Request (word-indexed; Int32 and Float32 views of one buffer):
 *   header  batchSize, steps, decoderSteps | −1, lossFrom | −1, flags, dropout seed, state count,
 *           state row width, then (offset, length | −1) for each of BATCH_TENSORS, then the
 *           offsets of the initial h and c blocks
 *   data    each present tensor as a compact outer × b × inner block of the shard's b sequences
 * Result (Float64 header, then Float32 words):
 *   header  loss sum, count, correct, weight, unseen, norm rows × columns (main, encoder)
 *   data    every parameter's gradient (in model.params order), the outputs (rows × O), the final
 *           h and c blocks, the hidden-gradient norms (main, then encoder)
 * A buffer too small for a request is replaced by a larger one (see `ensureWords`); the owner tells
 * the other side of the new buffer before the step that needs it.
 */
import type { RecurrentState } from '../../engine/model';
import { BATCH_TENSORS, copyShardRows, outerSteps } from '../../engine/parallel/batchShards';
import type { Batch } from '../../engine/types';

const FLOAT_TENSORS = new Set(['features', 'targetValues', 'initVectors']);

const H_BATCH = 0;
const H_STEPS = 1;
const H_DECODER_STEPS = 2;
const H_LOSS_FROM = 3;
const H_FLAGS = 4;
const H_SEED = 5;
const H_STATE_COUNT = 6;
const H_STATE_WIDTH = 7;
const H_TENSORS = 8;
const H_STATE_H = H_TENSORS + 2 * BATCH_TENSORS.length;
const H_STATE_C = H_STATE_H + 1;
const REQUEST_DATA = H_STATE_C + 1;

const FLAG_TRAINING = 1;
const FLAG_COLLECT = 2;
const FLAG_STATE_H = 4;
const FLAG_STATE_C = 8;

/** A growable shared buffer with Int32, Float32 and Float64 views. */
export class SharedWords {
  buffer: SharedArrayBuffer;
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;

  constructor(words: number) {
    this.buffer = new SharedArrayBuffer(roundWords(words) * 4);
    this.views();
  }

  /** Adopts a buffer the other side made. */
  static of(buffer: SharedArrayBuffer): SharedWords {
    const words = Object.create(SharedWords.prototype) as SharedWords;
    words.buffer = buffer;
    words.views();
    return words;
  }

  /** Replaces the buffer by a larger one when it holds fewer than `words`; true when it did. */
  ensureWords(words: number): boolean {
    if (words <= this.i32.length) return false;
    this.buffer = new SharedArrayBuffer(roundWords(Math.max(words, 2 * this.i32.length)) * 4);
    this.views();
    return true;
  }

  private views(): void {
    this.i32 = new Int32Array(this.buffer);
    this.f32 = new Float32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
  }
}

/** Whole 8-byte units, so that the Float64 view covers the buffer. */
function roundWords(words: number): number {
  return Math.ceil(Math.max(words, 64) / 2) * 2;
}

export interface ShardRequest {
  batch: Batch;
  b0: number;
  b1: number;
  initialState: RecurrentState | undefined;
  training: boolean;
  collect: boolean;
  seed: number;
  /** many-to-one: `targetValues` is B×Y, not T×B×Y. */
  perSequenceValues: boolean;
  /** H of the stack whose state is carried. */
  stateWidth: number;
}

/** Words `encodeRequest` needs for this shard. */
export function requestWords(r: ShardRequest): number {
  const b = r.b1 - r.b0;
  let words = REQUEST_DATA;
  for (const name of BATCH_TENSORS) {
    const data = r.batch[name];
    if (data) words += (data.length / r.batch.batchSize) * b;
  }
  const s = r.initialState;
  if (s) words += (s.h.length + (s.c?.length ?? 0)) * b * r.stateWidth;
  return words;
}

/** Writes the shard into `box` (which must hold `requestWords(r)`). */
export function encodeRequest(box: SharedWords, r: ShardRequest): void {
  const { batch, b0, b1 } = r;
  const B = batch.batchSize;
  const b = b1 - b0;
  const head = box.i32;
  head[H_BATCH] = b;
  head[H_STEPS] = batch.steps;
  head[H_DECODER_STEPS] = batch.decoderSteps ?? -1;
  head[H_LOSS_FROM] = batch.lossFrom ?? -1;
  const s = r.initialState;
  head[H_FLAGS] = (r.training ? FLAG_TRAINING : 0) | (r.collect ? FLAG_COLLECT : 0) | (s ? FLAG_STATE_H : 0) | (s?.c ? FLAG_STATE_C : 0);
  head[H_SEED] = r.seed | 0;
  head[H_STATE_COUNT] = s ? s.h.length : 0;
  head[H_STATE_WIDTH] = r.stateWidth;
  let offset = REQUEST_DATA;
  BATCH_TENSORS.forEach((name, i) => {
    const data = batch[name];
    if (!data) {
      head[H_TENSORS + 2 * i] = 0;
      head[H_TENSORS + 2 * i + 1] = -1;
      return;
    }
    const outer = outerSteps(batch, name, r.perSequenceValues);
    const inner = outer === 0 ? 0 : data.length / (outer * B);
    const length = outer * b * inner;
    head[H_TENSORS + 2 * i] = offset;
    head[H_TENSORS + 2 * i + 1] = length;
    copyShardRows(data, FLOAT_TENSORS.has(name) ? box.f32 : box.i32, offset, outer, B, inner, b0, b1);
    offset += length;
  });
  head[H_STATE_H] = offset;
  if (s) offset = encodeState(box.f32, offset, s.h, B, r.stateWidth, b0, b1);
  head[H_STATE_C] = offset;
  if (s?.c) encodeState(box.f32, offset, s.c, B, r.stateWidth, b0, b1);
}

function encodeState(into: Float32Array, offset: number, blocks: ArrayLike<number>[], B: number, H: number, b0: number, b1: number): number {
  for (const block of blocks) {
    copyShardRows(block, into, offset, 1, B, H, b0, b1);
    offset += (b1 - b0) * H;
  }
  return offset;
}

export interface DecodedRequest {
  batch: Batch;
  initialState: RecurrentState | undefined;
  training: boolean;
  collect: boolean;
  seed: number;
}

/** Views of a request in `box` (valid until the next request is written). */
export function decodeRequest(box: SharedWords): DecodedRequest {
  const head = box.i32;
  const b = head[H_BATCH];
  const batch = { batchSize: b, steps: head[H_STEPS] } as Batch;
  if (head[H_DECODER_STEPS] >= 0) batch.decoderSteps = head[H_DECODER_STEPS];
  if (head[H_LOSS_FROM] >= 0) batch.lossFrom = head[H_LOSS_FROM];
  BATCH_TENSORS.forEach((name, i) => {
    const offset = head[H_TENSORS + 2 * i];
    const length = head[H_TENSORS + 2 * i + 1];
    if (length < 0) return;
    (batch as unknown as Record<string, unknown>)[name] = (FLOAT_TENSORS.has(name) ? box.f32 : box.i32).subarray(offset, offset + length);
  });
  const flags = head[H_FLAGS];
  const count = head[H_STATE_COUNT];
  const n = b * head[H_STATE_WIDTH];
  const blocks = (start: number) => Array.from({ length: count }, (_, j) => box.f32.subarray(start + j * n, start + (j + 1) * n));
  const initialState = flags & FLAG_STATE_H
    ? { h: blocks(head[H_STATE_H]), ...(flags & FLAG_STATE_C && { c: blocks(head[H_STATE_C]) }) }
    : undefined;
  return { batch, initialState, training: (flags & FLAG_TRAINING) !== 0, collect: (flags & FLAG_COLLECT) !== 0, seed: head[H_SEED] >>> 0 };
}

// ----- results -----

/** Float64 header entries of a result. */
export const R_LOSS_SUM = 0;
export const R_COUNT = 1;
export const R_CORRECT = 2;
export const R_WEIGHT = 3;
export const R_UNSEEN = 4;
export const R_NORM_ROWS = 5;
export const R_NORM_COLUMNS = 6;
export const R_ENCODER_NORM_ROWS = 7;
export const R_ENCODER_NORM_COLUMNS = 8;
/** First Float32 word of a result's data (after 16 doubles). */
export const RESULT_DATA = 32;

/** Where each part of a result lies, in Float32 words. */
export interface ResultLayout {
  gradients: number;
  outputs: number;
  finalH: number;
  finalC: number;
  norms: number;
  end: number;
}

export function resultLayout(parameters: number, outputs: number, stateBlocks: number, stateLength: number, lstm: boolean, norms: number): ResultLayout {
  const gradients = RESULT_DATA;
  const outputsAt = gradients + parameters;
  const finalH = outputsAt + outputs;
  const finalC = finalH + stateBlocks * stateLength;
  const normsAt = finalC + (lstm ? stateBlocks * stateLength : 0);
  return { gradients, outputs: outputsAt, finalH, finalC, norms: normsAt, end: normsAt + norms };
}

/** Writes rows × columns norms (number[][]) at `offset`; returns the offset after them. */
export function writeNorms(into: Float32Array, offset: number, norms: number[][] | undefined): number {
  if (!norms) return offset;
  for (const row of norms) for (let t = 0; t < row.length; t++) into[offset++] = row[t];
  return offset;
}
