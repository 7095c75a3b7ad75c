import type { Backend } from '../kernels/backend';
import { rowKernelsFor } from '../kernels/rowKernels';
import type { FloatArray } from '../types';

/**
 * Below this many rows per one-hot column, the direct strided loops run (a table costs two
 * transposes of the block, which pay off only over enough rows: not for batch-1 or generation).
 */
export const TABLE_MIN_ROWS_PER_COLUMN = 2;

/**
 * The one-hot input path of a recurrent direction: a `tokens` segment of width V at column `col`
 * of W_ih (G·H × X). With x_t one-hot, W_ih·x_t is column col + id of W_ih, a read with stride X,
 * and ∂W_ih is added to that same column. Over T·B rows both are slow strided loops, so the block's
 * columns are transposed once per pass into a table of contiguous rows ((V + 1) × G·H, the last row
 * for ids outside [0, V), such as padding), and each of the T·B rows becomes a row copy (forward) or
 * a row add (backward) in the backend's row kernels. Every element gets the same additions in the
 * same order as the direct loops, so the results are the same bits; the table is rebuilt from the
 * weights at each pass, so it never goes stale.
 */
export class OneHotColumns {
  private table: FloatArray | null = null;
  /** ids mapped to table rows: id, or V for an id outside [0, V). */
  private tableIds = new Int32Array(0);

  constructor(private readonly backend: Backend, private readonly gh: number) {}

  /**
   * Writes out[r] = W_ih[:, col + ids[r]] (+ bias, when given) for r < rows (rows of G·H at 0); an id
   * outside [0, width) gives 0 (or the bias). `w` is W_ih (G·H × X).
   */
  project(out: FloatArray, w: FloatArray, X: number, col: number, width: number, ids: Int32Array, rows: number, bias: FloatArray | null): void {
    const gh = this.gh;
    if (rows < TABLE_MIN_ROWS_PER_COLUMN * width) {
      for (let r = 0; r < rows; r++) {
        const id = ids[r];
        const outAt = r * gh;
        const c = col + id;
        const inside = id >= 0 && id < width;
        for (let j = 0; j < gh; j++) out[outAt + j] = (inside ? w[j * X + c] : 0) + (bias ? bias[j] : 0);
      }
      return;
    }
    // Table rows are written in order and W_ih read down its columns (stride X): writing down the
    // table's columns instead (stride G·H, a power of two) would keep evicting the same cache sets.
    const table = this.tableFor(width, w);
    for (let c = 0; c < width; c++) {
      const tAt = c * gh;
      const wAt = col + c;
      if (bias) for (let j = 0; j < gh; j++) table[tAt + j] = w[j * X + wAt] + bias[j];
      else for (let j = 0; j < gh; j++) table[tAt + j] = w[j * X + wAt];
    }
    for (let j = 0; j < gh; j++) table[width * gh + j] = bias ? 0 + bias[j] : 0;
    rowKernelsFor(this.backend, out, table).gatherRows(out, 0, table, this.mapIds(ids, rows, width), rows, gh);
  }

  /** Adds out[r] += W_ih[:, col + ids[r]] for r < rows with 0 ≤ ids[r] < width (a segment after the first). */
  addProjection(out: FloatArray, w: FloatArray, X: number, col: number, width: number, ids: Int32Array, rows: number): void {
    const gh = this.gh;
    for (let r = 0; r < rows; r++) {
      const id = ids[r];
      if (id < 0 || id >= width) continue;
      const outAt = r * gh;
      const c = col + id;
      for (let j = 0; j < gh; j++) out[outAt + j] += w[j * X + c];
    }
  }

  /** ∂W_ih[:, col + ids[r]] += dXProj[r] (rows of G·H at 0) for every r with 0 ≤ ids[r] < width, in order of r. */
  accumulate(dW: FloatArray, X: number, col: number, width: number, dXProj: FloatArray, ids: Int32Array, rows: number): void {
    const gh = this.gh;
    if (rows < TABLE_MIN_ROWS_PER_COLUMN * width) {
      for (let r = 0; r < rows; r++) {
        const id = ids[r];
        if (id < 0 || id >= width) continue;
        const daAt = r * gh;
        const c = col + id;
        for (let j = 0; j < gh; j++) dW[j * X + c] += dXProj[daAt + j];
      }
      return;
    }
    // The block's gradient columns as rows, the rows of dXProj added in, then back: each element
    // is its old value plus the same terms in the same order as the direct loop.
    const table = this.tableFor(width, dW);
    for (let c = 0; c < width; c++) {
      const tAt = c * gh;
      for (let j = 0; j < gh; j++) table[tAt + j] = dW[j * X + col + c];
    }
    rowKernelsFor(this.backend, dXProj, table).scatterAddRows(table, dXProj, 0, this.mapIds(ids, rows, width), rows, gh);
    for (let c = 0; c < width; c++) {
      const tAt = c * gh;
      for (let j = 0; j < gh; j++) dW[j * X + col + c] = table[tAt + j];
    }
  }

  /** A (width + 1) × G·H table of `like`'s dtype, kept between passes (grown when a block is wider). */
  private tableFor(width: number, like: FloatArray): FloatArray {
    const n = (width + 1) * this.gh;
    const table = this.table;
    if (table && table.length >= n && table.constructor === like.constructor) return table;
    if (table) this.backend.release(table);
    this.table = this.backend.allocate(n, like instanceof Float64Array ? 'float64' : 'float32');
    return this.table;
  }

  private mapIds(ids: Int32Array, rows: number, width: number): Int32Array {
    if (this.tableIds.length < rows) this.tableIds = new Int32Array(rows);
    const mapped = this.tableIds;
    for (let r = 0; r < rows; r++) {
      const id = ids[r];
      mapped[r] = id >= 0 && id < width ? id : width;
    }
    return mapped;
  }
}
