import type { RowKernels } from '../kernels/rowKernels';
import type { FloatArray } from '../types';
import type { WasmHeap } from './wasmHeap';

/** The exports of scripts/wasm/rowsWat.mjs; pointers are byte addresses, strides and widths elements. */
export interface RowKernelExports {
  gather_rows(out: number, table: number, ids: number, rows: number, width: number): void;
  scatter_add_rows(table: number, src: number, ids: number, rows: number, width: number): void;
  add_rows(out: number, a: number, b: number, bStride: number, rows: number, width: number): void;
  copy_rows(out: number, outStride: number, src: number, srcStride: number, rows: number, width: number): void;
}

/**
 * `RowKernels` on the wasm module. Row indices usually live on the JS heap (a batch's tokens), so
 * they are copied into an index area of the wasm memory first (reused, grown when too small).
 * Callers check `accepts` first.
 */
export function wasmRows(heap: WasmHeap, k: RowKernelExports): RowKernels {
  const p = (x: FloatArray, off: number): number => x.byteOffset + 4 * off;
  let block: Float32Array | null = null;
  let indices: Int32Array = new Int32Array(0);
  /** Byte address of a copy of ids[0…rows) in the memory; each must index one of `tableRows` rows (wasm does not check). */
  const stage = (ids: Int32Array, rows: number, tableRows: number): number => {
    if (indices.length < rows) {
      if (block) heap.release(block);
      block = heap.allocate(Math.max(rows, 2 * indices.length));
      indices = new Int32Array(block.buffer, block.byteOffset, block.length);
    }
    for (let r = 0; r < rows; r++) {
      const id = ids[r];
      if (!(id >= 0 && id < tableRows)) throw new RangeError(`row index ${id} at ${r} is outside the table's ${tableRows} rows`);
      indices[r] = id;
    }
    return indices.byteOffset;
  };
  return {
    accepts: (x) => heap.owns(x),
    gatherRows: (out, outOff, table, ids, rows, width) => k.gather_rows(p(out, outOff), p(table, 0), stage(ids, rows, Math.floor(table.length / width)), rows, width),
    scatterAddRows: (table, src, srcOff, ids, rows, width) => k.scatter_add_rows(p(table, 0), p(src, srcOff), stage(ids, rows, Math.floor(table.length / width)), rows, width),
    addRows: (out, a, b, bOff, bStride, rows, width) => k.add_rows(p(out, 0), p(a, 0), p(b, bOff), bStride, rows, width),
    copyRows: (out, outOff, outStride, src, srcOff, srcStride, rows, width) =>
      k.copy_rows(p(out, outOff), outStride, p(src, srcOff), srcStride, rows, width),
  };
}
