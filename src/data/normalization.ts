/** Per-feature z-scoring of record features with training statistics. */
import type { Example, Normalization } from './dataset';

/**
 * Mean and standard deviation (population, σ = 0 replaced by 1) of each of `featureSize`
 * features over every step of `examples`.
 */
export function featureStatistics(examples: readonly Example[], featureSize: number): Normalization {
  const sum = new Float64Array(featureSize);
  const sumSquares = new Float64Array(featureSize);
  let count = 0;
  for (const e of examples) {
    for (let i = 0; i < e.input.length; i++) {
      const x = e.input[i];
      sum[i % featureSize] += x;
      sumSquares[i % featureSize] += x * x;
    }
    count += e.steps;
  }
  const mean = Array.from(sum, (s) => (count ? s / count : 0));
  const std = Array.from(sumSquares, (s2, f) => {
    const variance = count ? s2 / count - mean[f] * mean[f] : 0;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}

/** x ← (x − mean[f]) / std[f] in place, for each example's feature input. */
export function normalizeFeatures(examples: readonly Example[], statistics: Normalization): void {
  const F = statistics.mean.length;
  for (const e of examples) {
    const input = e.input as Float32Array;
    for (let i = 0; i < input.length; i++) input[i] = (input[i] - statistics.mean[i % F]) / statistics.std[i % F];
  }
}
