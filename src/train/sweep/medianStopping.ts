/**
 * The median stopping rule of a sweep (`sweep.medianStopping`): from epoch `afterEpochs` on, a trial
 * whose monitored value at epoch e is worse than the median of the finished trials' values at epoch e
 * is stopped. Values are the early-stopping monitor's, lower is better (metrics that improve upwards
 * are negated, as earlyStopping.ts does). Finished trials are those that ran their course: `completed`
 * or `stopped-early`; a trial that never reached epoch e does not count at e.
 */

/** One trial's monitored value per epoch: `curve[e - 1]` is epoch e's (null: none that epoch). */
export type Curve = (number | null)[];

/** The median of the values at `epoch` (1-based) of `curves`, or undefined when none has one. */
export function medianAt(curves: readonly Curve[], epoch: number): number | undefined {
  const values = curves.map((c) => c[epoch - 1]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!values.length) return undefined;
  const middle = values.length >> 1;
  return values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

/** True when a trial at `epoch` with `value` must stop: `epoch ≥ afterEpochs` and `value` is worse than the median. */
export function stopAtMedian(value: number | undefined, epoch: number, afterEpochs: number, finished: readonly Curve[]): boolean {
  if (epoch < afterEpochs || value === undefined) return false;
  const median = medianAt(finished, epoch);
  return median !== undefined && (value > median || Number.isNaN(value));
}
