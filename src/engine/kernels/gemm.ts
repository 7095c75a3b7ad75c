import type { FloatArray } from '../types';

/**
 * Strided matrix multiply, the one kernel every matmul of the engine goes through:
 *
 *   out[i, j] (+)= Σ_k A[i, k] · B[k, j]     for i < M, j < N, k < K
 *
 * with A[i, k] = a[aOff + i·aRow + k·aCol], B[k, j] = b[bOff + k·bRow + j·bCol] and
 * out[i, j] = out[outOff + i·outRow + j]. Strides express the three forms the engine needs without
 * transposed copies (row-major, PyTorch weight layout W: N×K):
 *   plain       A·B      aRow=K, aCol=1   bRow=N, bCol=1
 *   B transposed A·Wᵀ    aRow=K, aCol=1   bRow=1, bCol=K     (input and recurrent projections)
 *   A transposed Aᵀ·B    aRow=1, aCol=M   bRow=N, bCol=1     (weight gradients over T·B rows)
 *
 * A 4×4 register tile (16 scalar accumulators) keeps the loads per multiply-add at 1/2; edges fall
 * back to 1×4 and 1×1 loops. The inner k loop is not unrolled. No allocation.
 */
export function gemmStrided(
  out: FloatArray, outOff: number, outRow: number,
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  M: number, K: number, N: number, accumulate: boolean,
): void {
  // Long sums (weight gradients over T·B rows) run in blocks of K_BLOCK, so that the panels of A
  // and B one block of tiles reads stay in cache instead of streaming from memory per tile.
  if (K === 0) {
    if (!accumulate) for (let i = 0; i < M; i++) out.fill(0, outOff + i * outRow, outOff + i * outRow + N);
    return;
  }
  for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
    const kc = Math.min(K_BLOCK, K - k0);
    const acc = accumulate || k0 > 0;
    const ao = aOff + k0 * aCol;
    const bo = bOff + k0 * bRow;
    // Contiguous forms get kernels whose inner loops step by 1; anything else takes the strided one.
    if (aCol === 1 && bCol === 1) gemmNN(out, outOff, outRow, a, ao, aRow, b, bo, bRow, M, kc, N, acc);
    else if (aCol === 1 && bRow === 1) gemmNT(out, outOff, outRow, a, ao, aRow, b, bo, bCol, M, kc, N, acc);
    else if (aRow === 1 && bCol === 1) gemmTN(out, outOff, outRow, a, ao, aCol, b, bo, bRow, M, kc, N, acc);
    else gemmBlock(out, outOff, outRow, a, ao, aRow, aCol, b, bo, bRow, bCol, M, kc, N, acc);
  }
}

/** out (+)= A·B with A[i,k] = a[aOff + i·lda + k], B[k,j] = b[bOff + k·ldb + j]. */
function gemmNN(out: FloatArray, outOff: number, ldo: number, a: FloatArray, aOff: number, lda: number, b: FloatArray, bOff: number, ldb: number, M: number, K: number, N: number, accumulate: boolean): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let j = 0; j < N4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pb = bOff + j;
      for (let k = 0; k < K; k++) {
        const b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
        const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
        pb += ldb;
      }
      store4x4(out, outOff + i * ldo + j, ldo, accumulate, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
    }
  }
  if (M4 < M || N4 < N) edges(out, outOff, ldo, a, aOff, lda, 1, b, bOff, ldb, 1, M, K, N, M4, N4, accumulate);
}

/** out (+)= A·Bᵀ with A[i,k] = a[aOff + i·lda + k], B stored N×K: b[bOff + j·ldb + k]. */
function gemmNT(out: FloatArray, outOff: number, ldo: number, a: FloatArray, aOff: number, lda: number, b: FloatArray, bOff: number, ldb: number, M: number, K: number, N: number, accumulate: boolean): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let j = 0; j < N4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      const b0r = bOff + j * ldb, b1r = b0r + ldb, b2r = b1r + ldb, b3r = b2r + ldb;
      for (let k = 0; k < K; k++) {
        const b0 = b[b0r + k], b1 = b[b1r + k], b2 = b[b2r + k], b3 = b[b3r + k];
        const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
      }
      store4x4(out, outOff + i * ldo + j, ldo, accumulate, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
    }
  }
  if (M4 < M || N4 < N) edges(out, outOff, ldo, a, aOff, lda, 1, b, bOff, 1, ldb, M, K, N, M4, N4, accumulate);
}

/** out (+)= Aᵀ·B with A stored K×M: a[aOff + k·lda + i], B[k,j] = b[bOff + k·ldb + j]. */
function gemmTN(out: FloatArray, outOff: number, ldo: number, a: FloatArray, aOff: number, lda: number, b: FloatArray, bOff: number, ldb: number, M: number, K: number, N: number, accumulate: boolean): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    for (let j = 0; j < N4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pa = aOff + i;
      let pb = bOff + j;
      for (let k = 0; k < K; k++) {
        const b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
        const x0 = a[pa], x1 = a[pa + 1], x2 = a[pa + 2], x3 = a[pa + 3];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
        pa += lda;
        pb += ldb;
      }
      store4x4(out, outOff + i * ldo + j, ldo, accumulate, c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33);
    }
  }
  if (M4 < M || N4 < N) edges(out, outOff, ldo, a, aOff, 1, lda, b, bOff, ldb, 1, M, K, N, M4, N4, accumulate);
}

function store4x4(
  out: FloatArray, o: number, ldo: number, accumulate: boolean,
  c00: number, c01: number, c02: number, c03: number, c10: number, c11: number, c12: number, c13: number,
  c20: number, c21: number, c22: number, c23: number, c30: number, c31: number, c32: number, c33: number,
): void {
  const o1 = o + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
  if (accumulate) {
    out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
    out[o1] += c10; out[o1 + 1] += c11; out[o1 + 2] += c12; out[o1 + 3] += c13;
    out[o2] += c20; out[o2 + 1] += c21; out[o2 + 2] += c22; out[o2 + 3] += c23;
    out[o3] += c30; out[o3 + 1] += c31; out[o3 + 2] += c32; out[o3 + 3] += c33;
  } else {
    out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
    out[o1] = c10; out[o1 + 1] = c11; out[o1 + 2] = c12; out[o1 + 3] = c13;
    out[o2] = c20; out[o2 + 1] = c21; out[o2 + 2] = c22; out[o2 + 3] = c23;
    out[o3] = c30; out[o3 + 1] = c31; out[o3 + 2] = c32; out[o3 + 3] = c33;
  }
}

/** The right columns [N4, N) of rows [0, M4) and all of rows [M4, M), through the strided kernel. */
function edges(
  out: FloatArray, outOff: number, ldo: number, a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number, M: number, K: number, N: number, M4: number, N4: number, accumulate: boolean,
): void {
  if (N4 < N && M4 > 0) gemmBlock(out, outOff + N4, ldo, a, aOff, aRow, aCol, b, bOff + N4 * bCol, bRow, bCol, M4, K, N - N4, accumulate);
  for (let i = M4; i < M; i++) {
    if (bCol === 1) rowTimesRows(out, outOff + i * ldo, a, aOff + i * aRow, aCol, b, bOff, bRow, K, N, accumulate);
    else rowDotRows(out, outOff + i * ldo, a, aOff + i * aRow, aCol, b, bOff, bCol, K, N, accumulate);
  }
}

/**
 * One output row (batch-1 products, and the rows past the last 4×4 tile) when B's rows are
 * contiguous (B[k, j] = b[bOff + k·ldb + j]): 1×8 register tiles along the row.
 */
function rowTimesRows(out: FloatArray, o: number, a: FloatArray, ar: number, aCol: number, b: FloatArray, bOff: number, ldb: number, K: number, N: number, accumulate: boolean): void {
  const N8 = N - (N % 8);
  for (let j = 0; j < N8; j += 8) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
    let pa = ar;
    let pb = bOff + j;
    for (let k = 0; k < K; k++) {
      const x = a[pa];
      c0 += x * b[pb]; c1 += x * b[pb + 1]; c2 += x * b[pb + 2]; c3 += x * b[pb + 3];
      c4 += x * b[pb + 4]; c5 += x * b[pb + 5]; c6 += x * b[pb + 6]; c7 += x * b[pb + 7];
      pa += aCol;
      pb += ldb;
    }
    const q = o + j;
    if (accumulate) {
      out[q] += c0; out[q + 1] += c1; out[q + 2] += c2; out[q + 3] += c3; out[q + 4] += c4; out[q + 5] += c5; out[q + 6] += c6; out[q + 7] += c7;
    } else {
      out[q] = c0; out[q + 1] = c1; out[q + 2] = c2; out[q + 3] = c3; out[q + 4] = c4; out[q + 5] = c5; out[q + 6] = c6; out[q + 7] = c7;
    }
  }
  if (N8 < N) edgeColumns(out, o, a, ar, aCol, b, bOff, ldb, 1, K, N8, N, accumulate);
}

/** One output row when B is stored transposed (B[k, j] = b[bOff + j·ldb + k]): four dot products at a time. */
function rowDotRows(out: FloatArray, o: number, a: FloatArray, ar: number, aCol: number, b: FloatArray, bOff: number, ldb: number, K: number, N: number, accumulate: boolean): void {
  const N4 = N - (N % 4);
  for (let j = 0; j < N4; j += 4) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    const b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    let pa = ar;
    for (let k = 0; k < K; k++) {
      const x = a[pa];
      c0 += x * b[b0 + k]; c1 += x * b[b1 + k]; c2 += x * b[b2 + k]; c3 += x * b[b3 + k];
      pa += aCol;
    }
    const q = o + j;
    if (accumulate) {
      out[q] += c0; out[q + 1] += c1; out[q + 2] += c2; out[q + 3] += c3;
    } else {
      out[q] = c0; out[q + 1] = c1; out[q + 2] = c2; out[q + 3] = c3;
    }
  }
  if (N4 < N) edgeColumns(out, o, a, ar, aCol, b, bOff, 1, ldb, K, N4, N, accumulate);
}

const K_BLOCK = 128;

function gemmBlock(
  out: FloatArray, outOff: number, outRow: number,
  a: FloatArray, aOff: number, aRow: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number,
  M: number, K: number, N: number, accumulate: boolean,
): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = aOff + i * aRow;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    const o0 = outOff + i * outRow;
    const o1 = o0 + outRow;
    const o2 = o1 + outRow;
    const o3 = o2 + outRow;
    for (let j = 0; j < N4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pb = bOff + j * bCol;
      let pa = 0;
      for (let k = 0; k < K; k++) {
        const b0 = b[pb], b1 = b[pb + bCol], b2 = b[pb + 2 * bCol], b3 = b[pb + 3 * bCol];
        const x0 = a[a0 + pa], x1 = a[a1 + pa], x2 = a[a2 + pa], x3 = a[a3 + pa];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
        pb += bRow;
        pa += aCol;
      }
      if (accumulate) {
        out[o0 + j] += c00; out[o0 + j + 1] += c01; out[o0 + j + 2] += c02; out[o0 + j + 3] += c03;
        out[o1 + j] += c10; out[o1 + j + 1] += c11; out[o1 + j + 2] += c12; out[o1 + j + 3] += c13;
        out[o2 + j] += c20; out[o2 + j + 1] += c21; out[o2 + j + 2] += c22; out[o2 + j + 3] += c23;
        out[o3 + j] += c30; out[o3 + j + 1] += c31; out[o3 + j + 2] += c32; out[o3 + j + 3] += c33;
      } else {
        out[o0 + j] = c00; out[o0 + j + 1] = c01; out[o0 + j + 2] = c02; out[o0 + j + 3] = c03;
        out[o1 + j] = c10; out[o1 + j + 1] = c11; out[o1 + j + 2] = c12; out[o1 + j + 3] = c13;
        out[o2 + j] = c20; out[o2 + j + 1] = c21; out[o2 + j + 2] = c22; out[o2 + j + 3] = c23;
        out[o3 + j] = c30; out[o3 + j + 1] = c31; out[o3 + j + 2] = c32; out[o3 + j + 3] = c33;
      }
    }
    for (let r = 0; r < 4; r++) {
      edgeColumns(out, outOff + (i + r) * outRow, a, aOff + (i + r) * aRow, aCol, b, bOff, bRow, bCol, K, N4, N, accumulate);
    }
  }
  for (let i = M4; i < M; i++) {
    const ar = aOff + i * aRow;
    const or = outOff + i * outRow;
    for (let j = 0; j < N4; j += 4) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      let pb = bOff + j * bCol;
      let pa = ar;
      for (let k = 0; k < K; k++) {
        const x = a[pa];
        c0 += x * b[pb]; c1 += x * b[pb + bCol]; c2 += x * b[pb + 2 * bCol]; c3 += x * b[pb + 3 * bCol];
        pb += bRow;
        pa += aCol;
      }
      if (accumulate) {
        out[or + j] += c0; out[or + j + 1] += c1; out[or + j + 2] += c2; out[or + j + 3] += c3;
      } else {
        out[or + j] = c0; out[or + j + 1] = c1; out[or + j + 2] = c2; out[or + j + 3] = c3;
      }
    }
    edgeColumns(out, or, a, ar, aCol, b, bOff, bRow, bCol, K, N4, N, accumulate);
  }
}

/** Columns [from, to) of one output row, one dot product each. */
function edgeColumns(
  out: FloatArray, or: number, a: FloatArray, ar: number, aCol: number,
  b: FloatArray, bOff: number, bRow: number, bCol: number, K: number, from: number, to: number, accumulate: boolean,
): void {
  for (let j = from; j < to; j++) {
    let c = 0;
    let pb = bOff + j * bCol;
    let pa = ar;
    for (let k = 0; k < K; k++) {
      c += a[pa] * b[pb];
      pb += bRow;
      pa += aCol;
    }
    if (accumulate) out[or + j] += c;
    else out[or + j] = c;
  }
}
