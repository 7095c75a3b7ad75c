/** Histogram and percentiles of sequence lengths, for the dataset preview. */
import type { CountEntry, LengthStats } from './previewTypes';

const PERCENTILES = [50, 90, 95, 99];
const MAX_BINS = 24;

/** Nearest-rank percentile of sorted values: the smallest value with at least p% of values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * Lengths → stats with at most 24 equal-width integer bins [from, to) (the last also holds the maximum);
 * `limit` counts the lengths above it. Undefined for no lengths.
 */
export function lengthStats(lengths: ArrayLike<number>, unit: string, of: string, limit?: { key: string; value: number }): LengthStats | undefined {
  if (lengths.length === 0) return undefined;
  const sorted = Float64Array.from(lengths).sort();
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  let sum = 0;
  for (const n of sorted) sum += n;
  const width = Math.max(1, Math.ceil((max - min + 1) / MAX_BINS));
  const bins = Math.max(1, Math.ceil((max - min + 1) / width));
  const histogram = Array.from({ length: bins }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const n of sorted) histogram[Math.min(bins - 1, Math.floor((n - min) / width))].count++;
  let over = 0;
  if (limit) for (const n of sorted) if (n > limit.value) over++;
  return {
    unit, of, count: sorted.length, min, max, mean: sum / sorted.length,
    percentiles: PERCENTILES.map((p) => ({ p, value: percentile(sorted, p) })),
    histogram,
    ...(limit && { limit: { ...limit, over } }),
  };
}

/** Occurrences of each id, named, most frequent first (ties by name); ids below 0 (unseen) are skipped. */
export function countIds(ids: Iterable<number>, names: readonly string[]): CountEntry[] {
  const counts = new Float64Array(names.length);
  for (const id of ids) if (id >= 0 && id < counts.length) counts[id]++;
  return names.map((name, i) => ({ name, count: counts[i] }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The class-balance line: most frequent over least frequent (present classes), a warning above 3:1. */
export function classBalance(counts: CountEntry[]): { counts: CountEntry[]; ratio: number; warning?: string } {
  const present = counts.filter((c) => c.count > 0);
  if (present.length < 2) return { counts, ratio: 1 };
  const most = present[0];
  const least = present[present.length - 1];
  const ratio = most.count / least.count;
  if (ratio <= 3) return { counts, ratio };
  return {
    counts, ratio,
    warning: `the classes are imbalanced ${ratio.toFixed(1)}:1 ("${most.name}" ${most.count}, "${least.name}" ${least.count}): ` +
      'consider "training.classWeights": "balanced", which weighs each class by n / (K · n_c)',
  };
}
