/**
 * Time-series forecast errors in original units, over Y targets and k forecast steps (s = 1 … k):
 *   one target, one step   rmse, naiveRmse                       (as before targets and steps)
 *   one target, k steps    rmse and naiveRmse over all k·n points, rmse@<s> per step
 *   several targets        rmse.<column> per target (over its steps),
 *                          nrmse = mean over targets of rmse.<column> / σ_column (σ: training std of its levels)
 * The naive forecast repeats the last observed level of each target. With `data.season` p, the
 * seasonal naive forecast (the latest value a whole number of seasons before the target) gives
 * `seasonalNaiveRmse` (one target) or `seasonalNaiveRmse.<column>`, over the points that have one.
 */
import type { PreparedDataset } from '../data';
import type { Metrics } from './events';
import type { PredictionSeries } from './metrics';

/** The metric names a forecast reports (validation and test splits), for early stopping. */
export function forecastMetricNames(targets: readonly string[], forecastSteps: number, seasonal = false): string[] {
  if (targets.length > 1) return [...targets.map((t) => `rmse.${t}`), 'nrmse', ...(seasonal ? targets.map((t) => `seasonalNaiveRmse.${t}`) : [])];
  return ['rmse', 'naiveRmse', ...(forecastSteps > 1 ? Array.from({ length: forecastSteps }, (_, s) => `rmse@${s + 1}`) : []), ...(seasonal ? ['seasonalNaiveRmse'] : [])];
}

/** Whether a forecast metric improves downwards (all of them do). */
export function isForecastErrorMetric(name: string): boolean {
  return name === 'nrmse' || /^(rmse|seasonalNaiveRmse)[.@]/.test(name) || name === 'seasonalNaiveRmse';
}

/** Whether the data's examples carry a seasonal naive forecast (`data.season`). */
export function hasSeasonalNaive(data: PreparedDataset): boolean {
  const split = data.train;
  return split.kind === 'examples' && split.examples[0]?.seasonal !== undefined;
}

export class ForecastErrors {
  private readonly squared: Float64Array;
  private readonly naiveSquared: Float64Array;
  private readonly seasonalSquared: Float64Array;
  private readonly seasonalCount: Float64Array;
  private count = 0;
  readonly series?: PredictionSeries;

  /** `targets`: column names; `std`: each target's training std (original units). */
  constructor(
    private readonly targets: readonly string[], private readonly forecastSteps: number, private readonly std: readonly number[],
    keepSeries = false, private readonly seasonal = false,
  ) {
    this.squared = new Float64Array(forecastSteps * targets.length);
    this.naiveSquared = new Float64Array(forecastSteps * targets.length);
    this.seasonalSquared = new Float64Array(targets.length);
    this.seasonalCount = new Float64Array(targets.length);
    if (keepSeries) {
      this.series = { actual: [], predicted: [], naive: [], ...(seasonal && { seasonalNaive: [] }) };
      if (targets.length > 1 || forecastSteps > 1) Object.assign(this.series, { shape: [0, forecastSteps, targets.length], targets: [...targets] });
    }
  }

  static forData(data: PreparedDataset, targets: readonly string[], keepSeries: boolean): ForecastErrors {
    const k = data.normalization?.forecastSteps ?? 1;
    return new ForecastErrors(targets, k, data.targetStd ?? targets.map(() => 1), keepSeries, hasSeasonalNaive(data));
  }

  /**
   * One forecast point: step s (0-based) of target y, with the seasonal naive forecast when there is
   * a season (NaN: none observed). Call for every (s, y) of a window, in order.
   */
  add(s: number, y: number, predicted: number, naive: number, actual: number, seasonalNaive = NaN): void {
    const i = s * this.targets.length + y;
    this.squared[i] += (predicted - actual) ** 2;
    this.naiveSquared[i] += (naive - actual) ** 2;
    if (!Number.isNaN(seasonalNaive)) {
      this.seasonalSquared[y] += (seasonalNaive - actual) ** 2;
      this.seasonalCount[y]++;
    }
    this.series?.seasonalNaive?.push(seasonalNaive);
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
    const seasonalRmse = (y: number) => Math.sqrt(this.seasonalSquared[y] / this.seasonalCount[y]);
    if (Y > 1) {
      const perTarget = this.targets.map((_, y) => rmseOf(this.squared, (_s, y2) => y2 === y));
      const metrics: Metrics = Object.fromEntries(this.targets.map((t, y) => [`rmse.${t}`, perTarget[y]]));
      metrics.nrmse = perTarget.reduce((sum, r, y) => sum + r / this.std[y], 0) / Y;
      if (this.seasonal) this.targets.forEach((t, y) => (metrics[`seasonalNaiveRmse.${t}`] = seasonalRmse(y)));
      return metrics;
    }
    const metrics: Metrics = { rmse: rmseOf(this.squared, () => true), naiveRmse: rmseOf(this.naiveSquared, () => true) };
    if (k > 1) for (let s = 0; s < k; s++) metrics[`rmse@${s + 1}`] = rmseOf(this.squared, (s2) => s2 === s);
    if (this.seasonal) metrics.seasonalNaiveRmse = seasonalRmse(0);
    return metrics;
  }
}
