import type { FloatArray } from '../types';
import type { Backend } from './backend';
import { elementwiseFor } from './elementwiseKernels';

/** Logistic sigmoid, written to stay finite for large |x|. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** out[off + r·n + j] += bias[j] for each of `rows` rows of width n (in the backend's kernel when it holds both). */
export function addRowBiasInto(backend: Backend, out: FloatArray, off: number, rows: number, bias: FloatArray, n: number): void {
  const kernels = elementwiseFor(backend, out, bias);
  if (kernels) return kernels.addRowBias(out, off, rows, bias, n);
  for (let r = 0; r < rows; r++) {
    const o = off + r * n;
    for (let j = 0; j < n; j++) out[o + j] += bias[j];
  }
}

/** sum[j] += Σ_r m[off + r·n + j]: the bias gradient of `rows` rows (in the backend's kernel when it holds both). */
export function addColumnSumsInto(backend: Backend, sum: FloatArray, m: FloatArray, off: number, rows: number, n: number): void {
  const kernels = elementwiseFor(backend, sum, m);
  if (kernels) return kernels.addColumnSums(sum, m, off, rows, n);
  for (let r = 0; r < rows; r++) {
    const o = off + r * n;
    for (let j = 0; j < n; j++) sum[j] += m[o + j];
  }
}

/** Σ x² over [off, off + n). */
export function sumSquares(x: FloatArray, off: number, n: number): number {
  let s = 0;
  for (let i = off; i < off + n; i++) s += x[i] * x[i];
  return s;
}
