/**
 * Divergence beyond NaN: SGD at a far too high learning rate can blow the loss up to 1e13 without
 * ever reaching Infinity. The run's first batch (measured before any update) sets the baseline; a
 * batch whose loss exceeds `lossFactor` × baseline is "exploded", and `patienceBatches` exploded
 * batches in a row (or a whole epoch of them, when an epoch is shorter) stop the run as diverged. A spike that recovers within the patience (a high but
 * working learning rate) resets the count. The state lives in state.json so a resumed run trips at
 * the same batch as an uninterrupted one.
 */

/** `training.divergence` of a resolved spec; null: off (also for runs stored before the key existed, src/modelSpec/storedSpec.ts). */
export interface DivergenceOptions { lossFactor: number; patienceBatches: number }

export interface DivergenceState {
  /** The loss of the run's first batch; null until it is measured. */
  baselineLoss: number | null;
  /** Exploded batches in a row, up to now. */
  batchesAbove: number;
}

export function initialDivergenceState(): DivergenceState {
  return { baselineLoss: null, batchesAbove: 0 };
}

export class DivergenceDetector {
  private readonly patience: number;

  constructor(private readonly options: DivergenceOptions | null | undefined, readonly state: DivergenceState, batchesPerEpoch: number) {
    this.patience = Math.max(1, Math.min(options?.patienceBatches ?? 1, batchesPerEpoch));
  }

  /** Records one batch's (finite) loss; returns what exploded once the run counts as diverged. */
  observe(loss: number): string | undefined {
    const { options, state } = this;
    if (!options) return undefined;
    if (state.baselineLoss === null) {
      state.baselineLoss = loss;
      return undefined;
    }
    // A baseline of 0 cannot be scaled; such a run is only stopped by NaN/Inf.
    if (!(state.baselineLoss > 0)) return undefined;
    const limit = options.lossFactor * state.baselineLoss;
    state.batchesAbove = loss > limit ? state.batchesAbove + 1 : 0;
    if (state.batchesAbove < this.patience) return undefined;
    return `the loss exploded: ${formatLoss(loss)}, above ${options.lossFactor} × the first batch's loss ` +
      `(${formatLoss(state.baselineLoss)}) for ${state.batchesAbove} batches in a row`;
  }

  /** True while the latest batches are exploded: such weights are never kept as best. */
  get exploding(): boolean {
    return this.state.batchesAbove > 0;
  }
}

function formatLoss(loss: number): string {
  return Math.abs(loss) >= 1e4 ? loss.toExponential(2) : loss.toPrecision(4);
}
