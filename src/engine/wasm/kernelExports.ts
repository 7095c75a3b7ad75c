/** The functions the kernel module exports (scripts/wasm/*.mjs); pointers are byte addresses. */
export interface KernelExports {
  gemm_nn(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, M: number, K: number, N: number, acc: number): void;
  gemm_nt(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, M: number, K: number, N: number, acc: number): void;
  gemm_tn(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, M: number, K: number, N: number, acc: number): void;
  /** C (+)= A·B from packed panels (scripts/wasm/gemmWat.mjs packedGemm); lda, ldb unused; M a multiple of 4. */
  gemm_pk(c: number, ldc: number, a: number, lda: number, b: number, ldb: number, M: number, K: number, N: number, acc: number): void;
  pack_a(dst: number, a: number, lda: number, K: number, M: number): void;
  pack_b(dst: number, b: number, ldb: number, K: number, N: number): void;
  tanh_sum(out: number, a: number, b: number, n: number): void;
  tanh_backward(out: number, dh: number, h: number, n: number): void;
  relu_sum(out: number, a: number, b: number, n: number): void;
  relu_backward(out: number, dh: number, h: number, n: number): void;
  lstm_forward(xp: number, hp: number, cp: number, gates: number, c: number, tc: number, h: number, H: number, rows: number): void;
  lstm_backward(gates: number, tc: number, cp: number, dh: number, dc: number, dx: number, H: number, rows: number): void;
  gru_forward(xp: number, hp: number, hprev: number, gates: number, hn: number, h: number, H: number, rows: number): void;
  gru_backward(gates: number, hn: number, hprev: number, dh: number, dx: number, dhid: number, H: number, rows: number): void;
  gru_carry(dhp: number, dh: number, gates: number, H: number, rows: number): void;
  softmax_rows(x: number, out: number, stats: number, rows: number, O: number): void;
  add_row_bias(out: number, bias: number, rows: number, width: number): void;
  add_column_sums(sum: number, m: number, rows: number, width: number): void;
  scale(x: number, n: number, s: number): void;
  sgd_update(data: number, grad: number, n: number, learningRate: number, weightDecay: number): void;
  sgd_momentum_update(data: number, grad: number, buffer: number, n: number, learningRate: number, weightDecay: number, momentum: number): void;
  sgd_nesterov_update(data: number, grad: number, buffer: number, n: number, learningRate: number, weightDecay: number, momentum: number): void;
  rmsprop_update(data: number, grad: number, square: number, n: number, learningRate: number, alpha: number, epsilon: number, weightDecay: number): void;
  rmsprop_momentum_update(data: number, grad: number, square: number, buffer: number, n: number,
    learningRate: number, alpha: number, epsilon: number, weightDecay: number, momentum: number): void;
  adagrad_update(data: number, grad: number, sum: number, n: number, learningRate: number, epsilon: number, weightDecay: number): void;
  adam_update(data: number, grad: number, m: number, v: number, n: number,
    beta1: number, beta2: number, l2: number, shrink: number, stepSize: number, sqrtBiasCorrection2: number, epsilon: number): void;
}
