import type { DType, FloatArray } from '../types';
import type { ElementwiseKernels } from './elementwiseKernels';
import { gemmStrided } from './gemm';
import type { RowKernels } from './rowKernels';

/**
 * What a compute backend provides. Cells, layers and the model reach matrix products and memory
 * only through this, so a faster backend (e.g. WebAssembly SIMD over one wasm memory) replaces the
 * TypeScript kernels without touching them.
 */
export interface Backend {
  /** Shown in bench output, run summaries and the dashboard. */
  readonly name: string;
  /** The strided product of `gemmStrided` (see there for the exact contract). */
  gemm: typeof gemmStrided;
  /** Zero-filled storage for parameters and arenas; the backend decides where it lives. */
  allocate(length: number, dtype: DType): FloatArray;
  /**
   * Gives back an array `allocate` returned, which its owner no longer uses (no view of it may be
   * used after), so that the backend can reuse its memory (the wasm heap does; elsewhere the
   * garbage collector frees it and this does nothing). Arrays not from this backend's memory are ignored.
   */
  release(array: FloatArray): void;
  /** Bytes of memory the backend holds itself (a wasm memory's size); 0 where arrays live on the JS heap. */
  memoryBytes(): number;
  /**
   * Optional faster element-wise loops (activations, gates, softmax, bias sums). Where absent, or
   * where `accepts` refuses an array (float64), the TypeScript loops of the cells and losses run.
   */
  readonly elementwise?: ElementwiseKernels;
  /** Optional faster row copies, adds, gathers and scatters (exact); where absent or refused, `typescriptRowKernels` run. */
  readonly rows?: RowKernels;
}

/** The reference backend: plain TypeScript loops over ordinary typed arrays. */
export const typescriptBackend: Backend = {
  name: 'ts',
  gemm: gemmStrided,
  allocate: (length, dtype) => (dtype === 'float64' ? new Float64Array(length) : new Float32Array(length)),
  release: () => {},
  memoryBytes: () => 0,
};
