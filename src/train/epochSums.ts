/**
 * The training metrics of one epoch, summed batch by batch: the mean loss, the hit rate and (for
 * classifiers and taggers) the confusion matrix behind `macroF1`. The sums so far are saved in
 * state.json (`partialEpoch`) when a run is cancelled, so a resumed epoch reports the same values.
 */
import type { PreparedDataset } from '../data';
import type { ForwardResult } from '../engine/model';
import type { Batch, NetworkConfig } from '../engine/types';
import type { PartialEpoch } from './checkpoint';
import { reportsMacroF1, tallyPredictions } from './classTally';
import type { Metrics } from './events';
import { ConfusionMatrix, LossAccumulator } from './metrics';

export class EpochSums {
  readonly losses = new LossAccumulator();
  private readonly confusion?: ConfusionMatrix;

  constructor(private readonly data: PreparedDataset, private readonly network: NetworkConfig, saved?: PartialEpoch) {
    const classes = network.output.kind === 'classes' && data.train.kind === 'examples';
    if (classes && reportsMacroF1(data.task, data.labels)) this.confusion = new ConfusionMatrix(data.labels);
    if (!saved) return;
    // state.json of runs older than `weight`/`unseen`: unweighted sums, every label seen.
    Object.assign(this.losses, { lossSum: saved.lossSum, count: saved.count, correct: saved.correct, weight: saved.weight ?? saved.count, unseen: saved.unseen ?? 0 });
    if (saved.confusion) this.confusion?.merge(saved.confusion);
  }

  add(batch: Batch, result: ForwardResult): void {
    this.losses.add(result);
    if (this.confusion) tallyPredictions(this.confusion, batch, result.outputs, this.network.output.size);
  }

  /** For state.json. */
  toState(): PartialEpoch {
    const { lossSum, count, correct, weight, unseen } = this.losses;
    return { lossSum, count, correct, weight, unseen, ...(this.confusion && { confusion: { matrix: this.confusion.matrix, unseenPredicted: this.confusion.unseenPredicted } }) };
  }

  metrics(): Metrics {
    const metrics: Metrics = { loss: this.losses.loss };
    if (this.network.output.kind === 'classes' && this.data.train.kind === 'examples') {
      metrics[this.data.task === 'many-to-one' ? 'accuracy' : 'tokenAccuracy'] = this.losses.hitRate;
    }
    if (this.confusion) metrics.macroF1 = this.confusion.macroF1();
    return metrics;
  }
}
