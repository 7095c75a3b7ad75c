/**
 * Predictions of a classifier or tagger batch → its confusion matrix (for `macroF1`, during training
 * and evaluation alike). Rows are those of the loss: B for many-to-one (`classLabels`), T×B for a
 * tagger (`targetTokens`, −1 after each length); UNSEEN_TARGET rows count against the predicted class.
 */
import { UNSEEN_TARGET } from '../engine/losses';
import type { Batch, FloatArray } from '../engine/types';
import type { ConfusionMatrix } from './metrics';
import { argmax } from './sampling';

/** Adds each scored row's (target, argmax of its logits) to `confusion`. `outputs`: rows×O logits. */
export function tallyPredictions(confusion: ConfusionMatrix, batch: Batch, outputs: FloatArray, O: number): void {
  const targets = batch.classLabels ?? batch.targetTokens;
  if (!targets) return;
  for (let row = 0; row < targets.length; row++) {
    const y = targets[row];
    if (y >= 0) confusion.add(y, argmax(outputs, row * O, O));
    else if (y === UNSEEN_TARGET) confusion.addUnseen(argmax(outputs, row * O, O));
  }
}

/** Classifiers (many-to-one with labels) and taggers report macroF1. */
export function reportsMacroF1(task: string, labels: readonly string[] | undefined): labels is readonly string[] {
  return labels !== undefined && (task === 'many-to-one' || task === 'many-to-many');
}
