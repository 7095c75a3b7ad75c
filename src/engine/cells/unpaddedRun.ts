/**
 * How many consecutive sequences from b on are unpadded at step t (b itself must be): the cells hand
 * such a run of rows to one kernel call, since its rows lie one after the other in every buffer.
 */
export function unpaddedRun(lengths: Int32Array, batchSize: number, t: number, b: number): number {
  let end = b + 1;
  while (end < batchSize && t < lengths[end]) end++;
  return end - b;
}
