import type { Backend } from '../kernels/backend';
import { kernelModule, type WasmVariant } from './kernelModule';
import type { KernelExports } from './kernelExports';
import { wasmElementwise } from './wasmElementwise';
import { wasmGemm } from './wasmGemm';
import { wasmRows, type RowKernelExports } from './wasmRows';
import { WasmHeap } from './wasmHeap';
import { webAssemblyApi } from './webAssemblyApi';

/**
 * A backend on the WebAssembly SIMD kernels: float32 tensors are views of one wasm memory (see
 * WasmHeap), products and element-wise loops run in wasm without copies. float64 requests get
 * ordinary Float64Arrays, which every kernel hands to the TypeScript reference (gradient checks).
 * Each call makes a new memory: give each model (or training run) its own backend, so that its
 * memory goes when the model does. Returns null where the variant does not validate.
 */
export function createWasmBackend(variant: WasmVariant): Backend | null {
  const module = kernelModule(variant);
  const api = webAssemblyApi();
  if (!module || !api) return null;
  const heap = new WasmHeap();
  const instance = new api.Instance(module, { env: { memory: heap.memory } });
  const exports = instance.exports as unknown as KernelExports;
  const elementwise = wasmElementwise(heap, exports);
  return {
    name: variant,
    gemm: wasmGemm(heap, exports),
    allocate: (length, dtype) => (dtype === 'float64' ? new Float64Array(length) : heap.allocate(length)),
    release: (array) => heap.release(array),
    memoryBytes: () => heap.memory.buffer.byteLength,
    elementwise,
    rows: wasmRows(heap, instance.exports as unknown as RowKernelExports),
  };
}
