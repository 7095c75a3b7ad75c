/** Held-out validation from the train file: a seeded subset for records, the tail for streams and series. */
import { Rng } from '../engine/random';

/** Number held out from `n` items: round(f·n), at least 1 when f > 0 and n ≥ 2, leaving at least 1. */
export function heldOutCount(n: number, fraction: number): number {
  if (fraction <= 0 || n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
}

/**
 * Splits `items` into train and validation by a seeded shuffle of their indices; both parts keep
 * file order. The same seed, fraction and count always give the same split.
 */
export function seededSplit<T>(items: readonly T[], fraction: number, seed: number): { train: T[]; validation: T[] } {
  const order = Int32Array.from(items, (_, i) => i);
  new Rng(seed).shuffle(order);
  const held = new Uint8Array(items.length);
  const count = heldOutCount(items.length, fraction);
  for (let k = 0; k < count; k++) held[order[k]] = 1;
  return { train: items.filter((_, i) => !held[i]), validation: items.filter((_, i) => held[i]) };
}
