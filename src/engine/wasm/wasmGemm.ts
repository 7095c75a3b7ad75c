import { gemmStrided } from '../kernels/gemm';
import type { KernelExports } from './kernelExports';
import type { WasmHeap } from './wasmHeap';

/**
 * Long sums run in blocks of K_BLOCK, so that the A and B panels one pass of tiles reads (256 rows
 * of at most a few hundred floats) stay in the 512 KB L2 instead of streaming from memory per tile.
 */
const K_BLOCK = 256;

/**
 * Aᵀ·B over more than one K block, with M a multiple of 4, both sides at least PACK_MIN_SIDE and
 * one at least PACK_MIN_LONG (weight gradients over T·B rows of a wide layer), runs on packed
 * panels: each block of A and B is copied into contiguous panels (pack_a, pack_b), then gemm_pk.
 * Measured on the bench configs' weight gradients (bench/gemmKernels.mjs): 5–11% faster where a
 * row is 256 floats or more (such power-of-two strides crowd each k step into a few cache sets),
 * 1–2% slower at 128 × 128, and up to 25% slower where a side is narrow (the copy is not repaid).
 */
const PACK_MIN_SIDE = 64;
const PACK_MIN_LONG = 256;

/** Whether wasmGemm runs this Aᵀ·B (M×K · K×N) on packed panels. */
export function packsTransposedA(M: number, K: number, N: number): boolean {
  return K > K_BLOCK && M % 4 === 0 && Math.min(M, N) >= PACK_MIN_SIDE && Math.max(M, N) >= PACK_MIN_LONG;
}

/**
 * `gemmStrided`'s contract (kernels/gemm.ts) on the wasm kernels. The three contiguous forms
 * (plain, B transposed, A transposed) run in wasm; other strides, float64 arrays and K = 0 take
 * the TypeScript kernel. Operands that are not views of the heap (e.g. a batch's features) are
 * copied into its staging area first, and a foreign `out` is copied back after.
 */
export function wasmGemm(heap: WasmHeap, kernels: KernelExports): typeof gemmStrided {
  return function gemm(out, outOff, outRow, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate) {
    if (M === 0 || N === 0) return;
    const form = aCol === 1 && bCol === 1 ? kernels.gemm_nn : aCol === 1 && bRow === 1 ? kernels.gemm_nt : aRow === 1 && bCol === 1 ? kernels.gemm_tn : null;
    const lda = form === kernels.gemm_tn ? aCol : aRow;
    const ldb = form === kernels.gemm_nt ? bCol : bRow;
    if (!form || K === 0 || !(out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array)) {
      gemmStrided(out, outOff, outRow, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate);
      return;
    }
    // Extents [off, off + span) of each operand; foreign ones are staged one after another.
    const outSpan = (M - 1) * outRow + N;
    const aSpan = (M - 1) * aRow + (K - 1) * aCol + 1;
    const bSpan = (K - 1) * bRow + (N - 1) * bCol + 1;
    const foreignOut = !heap.owns(out);
    const foreignA = !heap.owns(a);
    const foreignB = !heap.owns(b);
    const packed = form === kernels.gemm_tn && packsTransposedA(M, K, N);
    const packFloats = packed ? K_BLOCK * (M + N) + 4 : 0; // + 4: room to align the panels
    // (no closure here: allocating one per call cost more than a small product)
    let stage = 0;
    if (foreignOut || foreignA || foreignB || packed) {
      stage = heap.staging(4 * ((foreignOut ? outSpan : 0) + (foreignA ? aSpan : 0) + (foreignB ? bSpan : 0) + packFloats));
    }
    const pc = foreignOut ? stageCopy(heap, out, outOff, outSpan, stage) : out.byteOffset + 4 * outOff;
    if (foreignOut) stage += 4 * outSpan;
    const pa = foreignA ? stageCopy(heap, a, aOff, aSpan, stage) : a.byteOffset + 4 * aOff;
    if (foreignA) stage += 4 * aSpan;
    const pb = foreignB ? stageCopy(heap, b, bOff, bSpan, stage) : b.byteOffset + 4 * bOff;
    if (foreignB) stage += 4 * bSpan;
    // packed panels of A (M×kc) and B (kc×N) after the staged operands
    const packA = Math.ceil(stage / 16) * 16;
    const packB = packA + 4 * K_BLOCK * M;
    for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
      const kc = Math.min(K_BLOCK, K - k0);
      const acc = accumulate || k0 > 0 ? 1 : 0;
      if (packed) {
        kernels.pack_a(packA, pa + 4 * k0 * aCol, lda, kc, M);
        kernels.pack_b(packB, pb + 4 * k0 * bRow, ldb, kc, N);
        kernels.gemm_pk(pc, outRow, packA, 0, packB, 0, M, kc, N, acc);
      } else {
        form(pc, outRow, pa + 4 * k0 * aCol, lda, pb + 4 * k0 * bRow, ldb, M, kc, N, acc);
      }
    }
    if (foreignOut) out.set(heap.view(pc, outSpan), outOff);
  };
}

/** Copies x[off, off + span) to byte `pointer` of the heap; returns the pointer. */
function stageCopy(heap: WasmHeap, x: Float32Array, off: number, span: number, pointer: number): number {
  heap.view(pointer, span).set(x.subarray(off, off + span));
  return pointer;
}
