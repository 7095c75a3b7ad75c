/**
 * `training.classWeights` → one weight per class id (the engine's `output.weights`).
 *   "balanced"        w_c = n / (K · n_c): n training targets (records, or tags for a tagger), K classes,
 *                     n_c targets of class c in the training split (scikit-learn's definition; a class
 *                     that only the held-out part has counts as 1).
 *   { label: weight } that weight; labels not named weigh 1.
 */
import type { ResolvedSpec } from '../modelSpec';
import type { Example } from './dataset';

/** A problem with the key, at a JSON Pointer of the spec (the caller positions it). */
export interface ClassWeightsIssue { path: string; message: string }

export function classWeightsFor(
  setting: ResolvedSpec['training']['classWeights'], labels: readonly string[] | undefined, train: readonly Example[],
  closest: (word: string, choices: readonly string[]) => string | undefined,
): number[] | ClassWeightsIssue | undefined {
  if (setting === null) return undefined;
  if (!labels) return { path: '/training/classWeights', message: 'expected null or no "classWeights": it applies to classifiers and taggers (records with labels)' };
  if (setting === 'balanced') {
    const counts = new Array<number>(labels.length).fill(0);
    let n = 0;
    const count = (y: number) => {
      counts[y]++;
      n++;
    };
    for (const e of train) {
      if (e.label !== undefined && e.label >= 0) count(e.label);
      for (const y of e.labels ?? []) if (y >= 0) count(y);
    }
    return counts.map((c) => n / (labels.length * Math.max(1, c)));
  }
  const ids = new Map(labels.map((l, i) => [l, i]));
  const weights = new Array<number>(labels.length).fill(1);
  for (const [label, weight] of Object.entries(setting)) {
    const id = ids.get(label);
    if (id === undefined) {
      const near = closest(label, labels);
      return {
        path: `/training/classWeights/${label.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `label "${label}" does not occur in the training data: ${near ? `did you mean "${near}"? ` : ''}expected one of ${labels.slice(0, 20).map((l) => `"${l}"`).join(', ')}${labels.length > 20 ? ', …' : ''}`,
      };
    }
    weights[id] = weight;
  }
  return weights;
}
