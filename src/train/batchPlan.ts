/**
 * Which records form each batch of an epoch (`data.batching`), from the epoch's seeded Rng alone, so
 * that a resumed epoch (even mid-epoch) replays the same batches.
 *   random  a seeded shuffle of the records, cut into batches of `batchSize` in order.
 *   bucket  a seeded shuffle of the records; pools of BUCKET_POOL_BATCHES·batchSize consecutive
 *           records are each sorted by length (stable) and cut into batches, so a batch holds
 *           records of similar length; then a seeded shuffle of all the batches (torchtext's
 *           BucketIterator, as a careful PyTorch script batches ragged text).
 * A batch is padded to its longest record: padding fraction = Σ_b (T_b·|b| − Σ lengths) / Σ_b T_b·|b|.
 */
import type { Example } from '../data';
import { Rng } from '../engine/random';

/** Batches per sorting pool: large enough to find similar lengths, small enough to keep batches varied. */
export const BUCKET_POOL_BATCHES = 50;

export type Batching = 'bucket' | 'random';

/** Record indices of each batch of one epoch. `lengths[i]`: steps of record i. */
export function epochBatches(lengths: ArrayLike<number>, batchSize: number, batching: Batching, seed: number): Int32Array[] {
  const count = lengths.length;
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  rng.shuffle(order);
  if (batching === 'random') return cut(order, batchSize);
  const pool = BUCKET_POOL_BATCHES * batchSize;
  const batches: Int32Array[] = [];
  for (let from = 0; from < count; from += pool) {
    const sorted = Int32Array.from(order.subarray(from, Math.min(from + pool, count)));
    // Stable sort by length (ties keep their shuffled order).
    const ranked = Array.from(sorted, (index, position) => ({ index, position }));
    ranked.sort((a, b) => lengths[a.index] - lengths[b.index] || a.position - b.position);
    batches.push(...cut(Int32Array.from(ranked, (r) => r.index), batchSize));
  }
  const batchOrder = Int32Array.from(batches, (_, i) => i);
  rng.shuffle(batchOrder);
  return Array.from(batchOrder, (i) => batches[i]);
}

function cut(order: Int32Array, batchSize: number): Int32Array[] {
  const batches: Int32Array[] = [];
  for (let from = 0; from < order.length; from += batchSize) batches.push(order.subarray(from, Math.min(from + batchSize, order.length)));
  return batches;
}

/** Padded steps / all steps of `batches` (each padded to its longest record). */
export function paddingFraction(batches: readonly Int32Array[], lengths: ArrayLike<number>): number {
  let padded = 0;
  let all = 0;
  for (const batch of batches) {
    let longest = 0;
    let used = 0;
    for (const i of batch) {
      longest = Math.max(longest, lengths[i]);
      used += lengths[i];
    }
    all += longest * batch.length;
    padded += longest * batch.length - used;
  }
  return all === 0 ? 0 : padded / all;
}

/** Steps a record adds to a batch: its input, plus its generated target (seq2seq, one-to-many). */
export function recordLength(example: Example): number {
  return example.steps + (example.targetTokens?.length ?? 0);
}

/** `epochBatches` over examples, by their lengths. */
export function recordEpochBatches(examples: readonly Example[], batchSize: number, batching: Batching, seed: number): Int32Array[] {
  return epochBatches(examples.map(recordLength), batchSize, batching, seed);
}

/** The info line on the padding of an epoch's batches (none for an empty split). */
export function batchingNote(examples: readonly Example[], batches: readonly Int32Array[], batching: Batching): string[] {
  if (examples.length === 0) return [];
  const padding = paddingFraction(batches, examples.map(recordLength));
  return [`batching "${batching}": ${(100 * padding).toFixed(1)}% of the steps of a training epoch are padding`];
}
