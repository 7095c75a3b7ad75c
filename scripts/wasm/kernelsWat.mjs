// The whole kernel module as WebAssembly text. It imports one shared memory (env.memory), which
// the engine creates and grows (src/engine/wasm/wasmHeap.ts).
import { cellsWat } from './cellsWat.mjs';
import { dotGemm, packedGemm, rowMajorGemm } from './gemmWat.mjs';
import { elementwiseWat } from './elementwiseWat.mjs';
import { optimizerWat } from './optimizerWat.mjs';
import { rowsWat } from './rowsWat.mjs';

/** WAT of the kernel module; `fma` selects f32x4.relaxed_madd over mul + add. */
export function kernelsWat(fma) {
  const funcs = [
    rowMajorGemm('nn', fma), rowMajorGemm('tn', fma), dotGemm(fma), ...packedGemm(fma), ...elementwiseWat(fma), ...cellsWat(fma), ...optimizerWat(fma), ...rowsWat(),
  ];
  return `(module\n(import "env" "memory" (memory 1 65536 shared))\n${funcs.join('\n')}\n)\n`;
}
