import { typescriptRowKernels, type RowKernels } from '../kernels/rowKernels';
import type { FloatArray, Merge } from '../types';

/** Width of a layer's output: 2H for a bidirectional concat, H otherwise. */
export function mergedWidth(hiddenSize: number, bidirectional: boolean, merge: Merge): number {
  return bidirectional && merge === 'concat' ? 2 * hiddenSize : hiddenSize;
}

/**
 * y = merge(f, b) row by row over n rows of H (f, b read from their state buffers at the given
 * offsets): concat [f; b] (width 2H), sum f + b, mean (f + b)/2, mul f ⊙ b. Without b, y = f.
 * The copies run in `rows` (the backend's row kernels, see `rowKernelsFor`; the same bits).
 */
export function mergeForward(
  merge: Merge, y: FloatArray, f: FloatArray, fOff: number, b: FloatArray | null, bOff: number, n: number, H: number,
  rows: RowKernels = typescriptRowKernels,
): void {
  if (!b) {
    rows.copyRows(y, 0, H, f, fOff, H, n, H);
    return;
  }
  if (merge === 'concat') {
    rows.copyRows(y, 0, 2 * H, f, fOff, H, n, H);
    rows.copyRows(y, H, 2 * H, b, bOff, H, n, H);
    return;
  }
  for (let i = 0; i < n * H; i++) {
    const x = f[fOff + i];
    const z = b[bOff + i];
    y[i] = merge === 'sum' ? x + z : merge === 'mean' ? 0.5 * (x + z) : x * z;
  }
}

/** Backward of `mergeForward`: writes ∂L/∂f into df and ∂L/∂b into db (n rows of H, offset 0). */
export function mergeBackward(
  merge: Merge, dy: FloatArray, df: FloatArray, f: FloatArray, fOff: number, db: FloatArray | null, b: FloatArray | null, bOff: number, n: number, H: number,
): void {
  if (!db || !b) {
    for (let i = 0; i < n * H; i++) df[i] = dy[i];
    return;
  }
  if (merge === 'concat') {
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < H; j++) {
        df[r * H + j] = dy[r * 2 * H + j];
        db[r * H + j] = dy[r * 2 * H + H + j];
      }
    }
    return;
  }
  for (let i = 0; i < n * H; i++) {
    const g = dy[i];
    if (merge === 'sum') {
      df[i] = g;
      db[i] = g;
    } else if (merge === 'mean') {
      df[i] = 0.5 * g;
      db[i] = 0.5 * g;
    } else {
      df[i] = g * b[bOff + i];
      db[i] = g * f[fOff + i];
    }
  }
}
