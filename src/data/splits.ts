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

/**
 * Stratified: the same seeded shuffle of indices; the heldOutCount(n, f) held-out items are shared
 * among the classes in proportion to their sizes (⌊f·n_c⌋ each, the rest to the largest remainders,
 * ties to the class met first in shuffled order), and each class holds out the first of its items in
 * shuffled order. Both parts keep file order.
 */
export function stratifiedSplit<T>(items: readonly T[], classOf: (item: T) => number, fraction: number, seed: number): { train: T[]; validation: T[] } {
  const order = Int32Array.from(items, (_, i) => i);
  new Rng(seed).shuffle(order);
  const byClass = new Map<number, number[]>();
  for (const i of order) {
    const c = classOf(items[i]);
    const members = byClass.get(c) ?? [];
    members.push(i);
    byClass.set(c, members);
  }
  const classes = [...byClass.values()];
  const shares = classes.map((members) => fraction * members.length);
  const quota = shares.map(Math.floor);
  let left = heldOutCount(items.length, fraction) - quota.reduce((a, b) => a + b, 0);
  const byRemainder = classes.map((_, k) => k).sort((a, b) => (shares[b] - quota[b]) - (shares[a] - quota[a]) || a - b);
  for (let k = 0; left > 0 && k < byRemainder.length; k++, left--) quota[byRemainder[k]]++;
  const held = new Uint8Array(items.length);
  classes.forEach((members, k) => members.slice(0, quota[k]).forEach((i) => (held[i] = 1)));
  return { train: items.filter((_, i) => !held[i]), validation: items.filter((_, i) => held[i]) };
}
