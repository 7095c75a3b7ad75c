/**
 * Data-parallel training splits a batch of B sequences into shards of consecutive sequences
 * [b0, b1), one per thread. Every batch tensor is time-major `outer × B × inner` (outer = T, T2 or 1;
 * inner = features, values or 1), so a shard is `outer` contiguous runs of `(b1 − b0)·inner` elements.
 *
 * The loss is a mean over counted targets, L = Σ_k S_k / W with S_k, W_k the shard sums and weights
 * (W = Σ_k W_k). Each shard's backward yields g_k = ∂(S_k / W_k), so the batch gradient is
 *   g = Σ_k (W_k / W)·g_k,
 * summed in shard order: for a fixed shard count the result is bit-identical across runs; another
 * shard count changes only the order (and grouping) of the float sums.
 */
import type { Batch, FloatArray } from '../types';

/** The first and one-past-last sequence of each shard: `shards` near-equal ranges (the first ones one larger). */
export function shardRanges(batchSize: number, shards: number): Array<[number, number]> {
  const n = Math.max(1, Math.min(shards, batchSize));
  const base = Math.floor(batchSize / n);
  const extra = batchSize % n;
  const ranges: Array<[number, number]> = [];
  let b0 = 0;
  for (let k = 0; k < n; k++) {
    const b1 = b0 + base + (k < extra ? 1 : 0);
    ranges.push([b0, b1]);
    b0 = b1;
  }
  return ranges;
}

/** The optional per-sequence tensors of a Batch, in a fixed order (the mailbox layout follows it). */
export const BATCH_TENSORS = [
  'lengths', 'tokens', 'features', 'classLabels', 'targetValues', 'targetTokens',
  'decoderInput', 'decoderTarget', 'decoderLengths', 'initVectors',
] as const;
export type BatchTensor = (typeof BATCH_TENSORS)[number];

/** T, T2 or 1: how many time-major blocks of B rows `name` has in `batch`. */
export function outerSteps(batch: Batch, name: BatchTensor, perSequenceValues: boolean): number {
  switch (name) {
    case 'tokens': case 'features': case 'targetTokens':
      return batch.steps;
    case 'decoderInput': case 'decoderTarget':
      return batch.decoderSteps ?? 0;
    case 'targetValues':
      return perSequenceValues ? 1 : batch.steps;
    default:
      return 1;
  }
}

/**
 * Copies sequences [b0, b1) of `source` (outer × B × inner) to `target` at `targetOffset`, as a
 * compact outer × (b1 − b0) × inner block. No allocation.
 */
export function copyShardRows(
  source: ArrayLike<number>, target: { [i: number]: number }, targetOffset: number,
  outer: number, batchSize: number, inner: number, b0: number, b1: number,
): void {
  const run = (b1 - b0) * inner;
  for (let t = 0; t < outer; t++) copyRun(source, (t * batchSize + b0) * inner, target, targetOffset + t * run, run);
}

/** The reverse of `copyShardRows`: a compact shard block back into rows [b0, b1) of `target` (outer × B × inner). */
export function scatterShardRows(
  source: ArrayLike<number>, sourceOffset: number, target: { [i: number]: number },
  outer: number, batchSize: number, inner: number, b0: number, b1: number,
): void {
  const run = (b1 - b0) * inner;
  for (let t = 0; t < outer; t++) copyRun(source, sourceOffset + t * run, target, (t * batchSize + b0) * inner, run);
}

/** target[to…to+n) = source[from…from+n): one memory copy between typed arrays, else element by element. */
function copyRun(source: ArrayLike<number>, from: number, target: { [i: number]: number }, to: number, n: number): void {
  if (ArrayBuffer.isView(source) && ArrayBuffer.isView(target)) {
    (target as Float32Array).set((source as Float32Array).subarray(from, from + n), to);
    return;
  }
  for (let i = 0; i < n; i++) target[to + i] = source[from + i];
}

/**
 * g ← Σ_k scale_k·g_k into `into` (length n), in k order: `into` holds shard 0's gradient on entry.
 * `others[k − 1]` holds shard k's gradient from `offset` on.
 */
export function reduceGradientsInto(
  into: FloatArray, n: number, scales: readonly number[], others: readonly ArrayLike<number>[], offset: number,
): void {
  const s0 = scales[0];
  if (scales.length === 1) {
    for (let i = 0; i < n; i++) into[i] *= s0;
    return;
  }
  // shards 0 and 1 in one pass, then each further shard
  const g1 = others[0];
  const s1 = scales[1];
  for (let i = 0; i < n; i++) into[i] = s0 * into[i] + s1 * g1[offset + i];
  for (let k = 2; k < scales.length; k++) {
    const g = others[k - 1];
    const s = scales[k];
    for (let i = 0; i < n; i++) into[i] += s * g[offset + i];
  }
}
