/**
 * Metric definitions (issue 3), with their JSON names:
 *   loss            mean over counted targets, in nats (cross-entropy) or normalised units² (MSE)
 *   accuracy        many-to-one classification: share of argmax hits
 *   tokenAccuracy   tagging: share of argmax hits over counted steps
 *   bitsPerChar     language models: loss / ln 2 (`bitsPerToken` for word-level models)
 *   perplexity      exp(loss)
 *   rmse            regression, in original units: sqrt(mean((ŷ − y)²))
 *   naiveRmse       the last-value baseline on the same targets
 *   sequenceAccuracy  seq2seq: exact matches under greedy decoding / sequences
 *   tokenErrorRate  seq2seq: Σ Levenshtein(hyp, ref) / Σ |ref| (corpus level)
 * and the classifier report of `rnn-lab eval` (contract "Evaluation output"):
 *   confusion matrix C[true][predicted] (counts), and per class c
 *   precision_c = C[c][c] / Σ_i C[i][c]   recall_c = C[c][c] / Σ_j C[c][j]   (0 when the sum is 0)
 *   f1_c = 2·precision_c·recall_c / (precision_c + recall_c)                  support_c = Σ_j C[c][j]
 *   macroF1 = mean of f1_c over the training classes (classifiers and taggers, also in training metrics)
 * Targets whose label training lacks (issue 10) count as wrong in accuracy and tokenAccuracy, are
 * left out of the loss, and add to the predicted class's column (a false positive) in C.
 */
import type { Metrics } from './events';

/** What one forward pass adds to a split's sums (a `ForwardResult` has these fields). */
export interface LossCounts { loss: number; count: number; correct: number; weight: number; unseen: number }

/**
 * Sums that turn into the mean loss and hit rate over a split. The loss is weighted by each batch's
 * `weight` (Σ w_y with class weights, else the target count); the hit rate counts targets whose
 * label training lacks (`unseen`) as wrong: correct / (count + unseen).
 */
export class LossAccumulator {
  lossSum = 0;
  count = 0;
  correct = 0;
  weight = 0;
  unseen = 0;

  add(result: LossCounts): void {
    this.unseen += result.unseen;
    if (result.count === 0) return;
    this.lossSum += result.loss * result.weight;
    this.count += result.count;
    this.correct += result.correct;
    this.weight += result.weight;
  }

  get loss(): number {
    return this.weight === 0 ? NaN : this.lossSum / this.weight;
  }

  get hitRate(): number {
    const scored = this.count + this.unseen;
    return scored === 0 ? NaN : this.correct / scored;
  }
}

/** The values a regression model was scored on, in order, in original units. */
export interface PredictionSeries {
  actual: number[]; predicted: number[]; naive: number[];
  /** Several targets or forecast steps: the values are windows × forecastSteps × targets, row-major. */
  shape?: [number, number, number];
  targets?: string[];
  /** With `data.season`: the seasonal naive forecast of each value (NaN where none was observed). */
  seasonalNaive?: number[];
}

/**
 * Squared errors of a model and of the naive last-value baseline, in original units; with
 * `keepSeries`, also the values themselves (`series`).
 */
export class RmseAccumulator {
  private squared = 0;
  private naiveSquared = 0;
  private count = 0;
  readonly series?: PredictionSeries;

  constructor(keepSeries = false) {
    if (keepSeries) this.series = { actual: [], predicted: [], naive: [] };
  }

  add(predicted: number, naive: number, actual: number): void {
    this.squared += (predicted - actual) ** 2;
    this.naiveSquared += (naive - actual) ** 2;
    this.count++;
    this.series?.actual.push(actual);
    this.series?.predicted.push(predicted);
    this.series?.naive.push(naive);
  }

  metrics(): { rmse: number; naiveRmse: number } {
    return { rmse: Math.sqrt(this.squared / this.count), naiveRmse: Math.sqrt(this.naiveSquared / this.count) };
  }
}

/** Language-model metrics from a mean cross-entropy in nats. */
export function languageModelMetrics(meanNats: number, unit: 'char' | 'word'): Metrics {
  const bits = meanNats / Math.LN2;
  return unit === 'word'
    ? { loss: meanNats, bitsPerToken: bits, perplexity: Math.exp(meanNats) }
    : { loss: meanNats, bitsPerChar: bits, perplexity: Math.exp(meanNats) };
}

/** Edit distance (insertions, deletions, substitutions all cost 1), O(|a|·|b|) time, O(|b|) memory. */
export function levenshtein(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j] + 1, current[j - 1] + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** Sums for `sequenceAccuracy` and `tokenErrorRate` over decoded sequences. */
export class DecodingAccumulator {
  private exact = 0;
  private sequences = 0;
  private edits = 0;
  private referenceLength = 0;

  add(hypothesis: ArrayLike<number>, reference: ArrayLike<number>): void {
    const distance = levenshtein(hypothesis, reference);
    this.sequences++;
    if (distance === 0) this.exact++;
    this.edits += distance;
    this.referenceLength += reference.length;
  }

  metrics(): { sequenceAccuracy: number; tokenErrorRate: number } {
    return { sequenceAccuracy: this.exact / this.sequences, tokenErrorRate: this.edits / Math.max(1, this.referenceLength) };
  }
}

/** Precision, recall, F1 and support of one class (JSON names of the contract). */
export interface ClassScores { label: string; precision: number; recall: number; f1: number; support: number }

/**
 * Counts of (true class, predicted class) pairs: `matrix[actual][predicted]`, over the training
 * classes. A target whose label training lacks has no row: it is a false negative of its own class
 * (which is not among those averaged) and a false positive of the class predicted (`unseenPredicted`).
 */
export class ConfusionMatrix {
  readonly matrix: number[][];
  /** unseenPredicted[c]: targets with a label training lacks that were predicted as class c. */
  readonly unseenPredicted: number[];

  constructor(readonly labels: readonly string[]) {
    this.matrix = labels.map(() => new Array<number>(labels.length).fill(0));
    this.unseenPredicted = new Array<number>(labels.length).fill(0);
  }

  add(actual: number, predicted: number): void {
    this.matrix[actual][predicted]++;
  }

  addUnseen(predicted: number): void {
    this.unseenPredicted[predicted]++;
  }

  /** Per-class scores (header equations); a class never predicted, or absent, scores 0 there. */
  perClass(): ClassScores[] {
    return this.labels.map((label, c) => {
      const hits = this.matrix[c][c];
      const support = this.matrix[c].reduce((s, n) => s + n, 0);
      const predicted = this.matrix.reduce((s, row) => s + row[c], 0) + this.unseenPredicted[c];
      const precision = predicted === 0 ? 0 : hits / predicted;
      const recall = support === 0 ? 0 : hits / support;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { label, precision, recall, f1, support };
    });
  }

  /** macroF1 = mean of f1_c over the training classes (every one, present in the split or not). */
  macroF1(): number {
    const scores = this.perClass();
    return scores.length === 0 ? NaN : scores.reduce((s, c) => s + c.f1, 0) / scores.length;
  }

  /** Adds another matrix's counts (same labels). */
  merge(counts: { matrix: number[][]; unseenPredicted?: number[] }): void {
    counts.matrix.forEach((row, i) => row.forEach((n, j) => (this.matrix[i][j] += n)));
    counts.unseenPredicted?.forEach((n, j) => (this.unseenPredicted[j] += n));
  }

  toJSON(): { labels: string[]; matrix: number[][] } {
    return { labels: [...this.labels], matrix: this.matrix.map((row) => [...row]) };
  }
}

/**
 * The `limit` items with the highest loss, highest first; among equal losses the earlier added
 * ranks first. `describe` is called only for items that enter the list, so building a preview
 * costs nothing for the rest.
 */
export class WorstExamples<T extends { loss: number }> {
  private readonly kept: T[] = [];

  constructor(private readonly limit = 10) {}

  add(loss: number, describe: () => T): void {
    if (this.kept.length === this.limit && !(loss > this.kept[this.kept.length - 1].loss)) return;
    let at = this.kept.length;
    while (at > 0 && this.kept[at - 1].loss < loss) at--;
    this.kept.splice(at, 0, describe());
    if (this.kept.length > this.limit) this.kept.pop();
  }

  get items(): T[] {
    return [...this.kept];
  }
}
