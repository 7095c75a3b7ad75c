/**
 * Time-series forecast errors in original units, over Y targets and k forecast steps (s = 1 … k):
 *   one target, one step   rmse, naiveRmse                       (as before targets and steps)
 *   one target, k steps    rmse and naiveRmse over all k·n points, rmse@<s> per step
 *   several targets        rmse.<column> per target (over its steps),
 *                          nrmse = mean over targets of rmse.<column> / σ_column (σ: training std of its levels)
 * The naive forecast repeats the last observed level of each target.
 */
import type { PreparedDataset } from '../data';
import type { Metrics } from './events';
import type { PredictionSeries } from './metrics';

/** The metric names a forecast reports (validation and test splits), for early stopping. */
export function forecastMetricNames(targets: readonly string[], forecastSteps: number): string[] {
  if (targets.length > 1) return [...targets.map((t) => `rmse.${t}`), 'nrmse'];
  return ['rmse', 'naiveRmse', ...(forecastSteps > 1 ? Array.from({ length: forecastSteps }, (_, s) => `rmse@${s + 1}`) : [])];
}

/** Whether a forecast metric improves downwards (all of them do). */
export function isForecastErrorMetric(name: string): boolean {
  return name === 'nrmse' || /^rmse[.@]/.test(name);
}

export class ForecastErrors {
  private readonly squared: Float64Array;
  private readonly naiveSquared: Float64Array;
  private count = 0;
  readonly series?: PredictionSeries;

  /** `targets`: column names; `std`: each target's training std (original units). */
  constructor(private readonly targets: readonly string[], private readonly forecastSteps: number, private readonly std: readonly number[], keepSeries = false) {
    this.squared = new Float64Array(forecastSteps * targets.length);
    this.naiveSquared = new Float64Array(forecastSteps * targets.length);
    if (keepSeries) {
      this.series = { actual: [], predicted: [], naive: [] };
      if (targets.length > 1 || forecastSteps > 1) Object.assign(this.series, { shape: [0, forecastSteps, targets.length], targets: [...targets] });
    }
  }

  static forData(data: PreparedDataset, targets: readonly string[], keepSeries: boolean): ForecastErrors {
    const k = data.normalization?.forecastSteps ?? 1;
    return new ForecastErrors(targets, k, data.targetStd ?? targets.map(() => 1), keepSeries);
  }

  /** One forecast point: step s (0-based) of target y. Call for every (s, y) of a window, in order. */
  add(s: number, y: number, predicted: number, naive: number, actual: number): void {
    const i = s * this.targets.length + y;
    this.squared[i] += (predicted - actual) ** 2;
    this.naiveSquared[i] += (naive - actual) ** 2;
    if (i === 0) {
      this.count++;
      if (this.series?.shape) this.series.shape[0]++;
    }
    this.series?.actual.push(actual);
    this.series?.predicted.push(predicted);
    this.series?.naive.push(naive);
  }

  metrics(): Metrics {
    const Y = this.targets.length;
    const k = this.forecastSteps;
    const rmseOf = (sums: Float64Array, pick: (s: number, y: number) => boolean) => {
      let total = 0;
      let points = 0;
      for (let s = 0; s < k; s++) {
        for (let y = 0; y < Y; y++) {
          if (!pick(s, y)) continue;
          total += sums[s * Y + y];
          points += this.count;
        }
      }
      return Math.sqrt(total / points);
    };
    if (Y > 1) {
      const perTarget = this.targets.map((_, y) => rmseOf(this.squared, (_s, y2) => y2 === y));
      const metrics: Metrics = Object.fromEntries(this.targets.map((t, y) => [`rmse.${t}`, perTarget[y]]));
      metrics.nrmse = perTarget.reduce((sum, r, y) => sum + r / this.std[y], 0) / Y;
      return metrics;
    }
    const metrics: Metrics = { rmse: rmseOf(this.squared, () => true), naiveRmse: rmseOf(this.naiveSquared, () => true) };
    if (k > 1) for (let s = 0; s < k; s++) metrics[`rmse@${s + 1}`] = rmseOf(this.squared, (s2) => s2 === s);
    return metrics;
  }
}
