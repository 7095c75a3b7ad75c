import type { FloatArray } from '../types';
import type { Backend } from './backend';

/**
 * Copies and adds of whole rows of `width` values, by row stride or by row index: the one-hot
 * input path and the per-step gradient assembly of the recurrent layers (see
 * layers/oneHotInput.ts, layers/recurrentDirection.ts). Arrays are (array, offset) pairs in
 * elements; rows of `out`, `a`, `src` and `table` are contiguous unless a stride is given. Each
 * output element is a copy or one addition, so every implementation gives the same bits.
 */
export interface RowKernels {
  /** True when `x` lives where these kernels work. */
  accepts(x: FloatArray): boolean;
  /** out[outOff + r·width + j] = table[ids[r]·width + j] for r < rows; every id indexes a row of `table`. */
  gatherRows(out: FloatArray, outOff: number, table: FloatArray, ids: Int32Array, rows: number, width: number): void;
  /** table[ids[r]·width + j] += src[srcOff + r·width + j] for r < rows, in order of r. */
  scatterAddRows(table: FloatArray, src: FloatArray, srcOff: number, ids: Int32Array, rows: number, width: number): void;
  /** out[r·width + j] = a[r·width + j] + b[bOff + r·bStride + j] (out and a from offset 0). */
  addRows(out: FloatArray, a: FloatArray, b: FloatArray, bOff: number, bStride: number, rows: number, width: number): void;
  /** out[outOff + r·outStride + j] = src[srcOff + r·srcStride + j] */
  copyRows(out: FloatArray, outOff: number, outStride: number, src: FloatArray, srcOff: number, srcStride: number, rows: number, width: number): void;
}

/** The reference loops, for any typed arrays (float64 included). */
export const typescriptRowKernels: RowKernels = {
  accepts: () => true,
  gatherRows(out, outOff, table, ids, rows, width) {
    for (let r = 0; r < rows; r++) {
      const o = outOff + r * width;
      const t = ids[r] * width;
      for (let j = 0; j < width; j++) out[o + j] = table[t + j];
    }
  },
  scatterAddRows(table, src, srcOff, ids, rows, width) {
    for (let r = 0; r < rows; r++) {
      const s = srcOff + r * width;
      const t = ids[r] * width;
      for (let j = 0; j < width; j++) table[t + j] += src[s + j];
    }
  },
  addRows(out, a, b, bOff, bStride, rows, width) {
    for (let r = 0; r < rows; r++) {
      const o = r * width;
      const s = bOff + r * bStride;
      for (let j = 0; j < width; j++) out[o + j] = a[o + j] + b[s + j];
    }
  },
  copyRows(out, outOff, outStride, src, srcOff, srcStride, rows, width) {
    for (let r = 0; r < rows; r++) {
      const o = outOff + r * outStride;
      const s = srcOff + r * srcStride;
      for (let j = 0; j < width; j++) out[o + j] = src[s + j];
    }
  },
};

/**
 * The backend's row kernels when they accept every array given, else the TypeScript loops.
 * Fixed parameters rather than `...arrays`: it is called once per time step, which must not allocate.
 */
export function rowKernelsFor(backend: Backend, a: FloatArray, b: FloatArray, c?: FloatArray): RowKernels {
  const kernels = backend.rows;
  if (!kernels || !kernels.accepts(a) || !kernels.accepts(b) || (c && !kernels.accepts(c))) return typescriptRowKernels;
  return kernels;
}
