import type { FloatArray } from '../types';
import type { Backend } from './backend';

/**
 * A matrix view of a flat array, no copy: element (i, j) is data[offset + i·stride + j], or in a
 * transposed view data[offset + j·stride + i]; `rows` × `cols` is the shape as read. Products take
 * views, so a call reads as the line of maths it implements: with the batch as rows,
 *   hProj = W_hh · h_{t-1}   for every sequence   is   matMulInto(backend, hProj, hPrev, W_hh.T)
 * Weights are PyTorch-shaped (W_hh: G·H × H), activations B × width.
 */
export class Matrix {
  constructor(
    readonly data: FloatArray,
    readonly offset: number,
    readonly rows: number,
    readonly cols: number,
    readonly stride: number = cols,
    readonly transposed: boolean = false,
  ) {}

  /** The transpose, as a view of the same data. */
  get T(): Matrix {
    return new Matrix(this.data, this.offset, this.cols, this.rows, this.stride, !this.transposed);
  }

  /** Columns [from, from + width) of a row-major view (e.g. the block of W_ih that one input segment reads). */
  columns(from: number, width: number): Matrix {
    if (this.transposed || from < 0 || from + width > this.cols) throw new RangeError(`columns ${from}…${from + width} of ${shapeOf(this)}`);
    return new Matrix(this.data, this.offset + from, this.rows, width, this.stride);
  }
}

/** `rows` consecutive rows of `cols` values at `offset` (a batch of activations, a weight matrix). */
export function rowsAt(data: FloatArray, offset: number, rows: number, cols: number): Matrix {
  return new Matrix(data, offset, rows, cols);
}

function shapeOf(m: Matrix): string {
  return `${m.rows}×${m.cols}${m.transposed ? ' (transposed)' : ''}`;
}

/**
 * out = a · b, or out += a · b with `accumulate`, through the backend's strided product
 * (`Backend.gemm`). `out` is a row-major view; a and b may be transposed views. Throws on shapes
 * that do not chain (out M×N, a M×K, b K×N).
 */
export function matMulInto(backend: Backend, out: Matrix, a: Matrix, b: Matrix, accumulate = false): void {
  if (out.transposed || a.rows !== out.rows || b.cols !== out.cols || a.cols !== b.rows) {
    throw new RangeError(`matMulInto: ${shapeOf(out)} = ${shapeOf(a)} · ${shapeOf(b)} does not chain`);
  }
  backend.gemm(
    out.data, out.offset, out.stride,
    a.data, a.offset, a.transposed ? 1 : a.stride, a.transposed ? a.stride : 1,
    b.data, b.offset, b.transposed ? 1 : b.stride, b.transposed ? b.stride : 1,
    out.rows, a.cols, out.cols, accumulate,
  );
}
