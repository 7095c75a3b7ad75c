import type { ElementwiseKernels } from '../kernels/elementwiseKernels';
import type { FloatArray } from '../types';
import type { KernelExports } from './kernelExports';
import type { WasmHeap } from './wasmHeap';

/**
 * `ElementwiseKernels` on the wasm module: each call turns (array, offset) pairs into byte
 * addresses of the heap and runs one exported loop. Callers check `accepts` first.
 */
export function wasmElementwise(heap: WasmHeap, k: KernelExports): ElementwiseKernels {
  const p = (x: FloatArray, off: number): number => x.byteOffset + 4 * off;
  let statsPointer = 0;
  let stats: Float32Array = new Float32Array(0);
  return {
    accepts: (x) => heap.owns(x),
    tanhSum: (out, outOff, a, aOff, b, bOff, n) => k.tanh_sum(p(out, outOff), p(a, aOff), p(b, bOff), n),
    tanhBackward: (out, outOff, dh, dhOff, h, hOff, n) => k.tanh_backward(p(out, outOff), p(dh, dhOff), p(h, hOff), n),
    reluSum: (out, outOff, a, aOff, b, bOff, n) => k.relu_sum(p(out, outOff), p(a, aOff), p(b, bOff), n),
    reluBackward: (out, outOff, dh, dhOff, h, hOff, n) => k.relu_backward(p(out, outOff), p(dh, dhOff), p(h, hOff), n),
    lstmForward: (xp, xpOff, hp, hpOff, cPrev, cPrevOff, gates, gatesOff, c, cOff, tanhC, tanhCOff, h, hOff, H, rows) =>
      k.lstm_forward(p(xp, xpOff), p(hp, hpOff), p(cPrev, cPrevOff), p(gates, gatesOff), p(c, cOff), p(tanhC, tanhCOff), p(h, hOff), H, rows),
    lstmBackward: (gates, gatesOff, tanhC, tanhCOff, cPrev, cPrevOff, dh, dhOff, dc, dcOff, da, daOff, H, rows) =>
      k.lstm_backward(p(gates, gatesOff), p(tanhC, tanhCOff), p(cPrev, cPrevOff), p(dh, dhOff), p(dc, dcOff), p(da, daOff), H, rows),
    gruForward: (xp, xpOff, hp, hpOff, hPrev, hPrevOff, gates, gatesOff, hiddenN, hiddenNOff, h, hOff, H, rows) =>
      k.gru_forward(p(xp, xpOff), p(hp, hpOff), p(hPrev, hPrevOff), p(gates, gatesOff), p(hiddenN, hiddenNOff), p(h, hOff), H, rows),
    gruBackward: (gates, gatesOff, hiddenN, hiddenNOff, hPrev, hPrevOff, dh, dhOff, daInput, daInputOff, daHidden, daHiddenOff, H, rows) =>
      k.gru_backward(p(gates, gatesOff), p(hiddenN, hiddenNOff), p(hPrev, hPrevOff), p(dh, dhOff), p(daInput, daInputOff), p(daHidden, daHiddenOff), H, rows),
    gruCarry: (dhPrev, dhPrevOff, dh, dhOff, gates, gatesOff, H, rows) => k.gru_carry(p(dhPrev, dhPrevOff), p(dh, dhOff), p(gates, gatesOff), H, rows),
    softmaxRows(x, out, rows, O) {
      if (stats.length < 2 * rows) {
        heap.release(stats);
        stats = heap.allocate(2 * rows);
        statsPointer = stats.byteOffset;
      }
      k.softmax_rows(p(x, 0), p(out, 0), statsPointer, rows, O);
      return stats;
    },
    addRowBias: (out, off, rows, bias, n) => k.add_row_bias(p(out, off), p(bias, 0), rows, n),
    addColumnSums: (sum, m, off, rows, n) => k.add_column_sums(p(sum, 0), p(m, off), rows, n),
    scale: (x, off, n, s) => k.scale(p(x, off), n, s),
    sgdUpdate(data, grad, buffer, n, learningRate, weightDecay, momentum, nesterov) {
      if (!buffer) k.sgd_update(p(data, 0), p(grad, 0), n, learningRate, weightDecay);
      else (nesterov ? k.sgd_nesterov_update : k.sgd_momentum_update)(p(data, 0), p(grad, 0), p(buffer, 0), n, learningRate, weightDecay, momentum);
    },
    rmspropUpdate(data, grad, square, buffer, n, learningRate, alpha, epsilon, weightDecay, momentum) {
      if (!buffer) k.rmsprop_update(p(data, 0), p(grad, 0), p(square, 0), n, learningRate, alpha, epsilon, weightDecay);
      else k.rmsprop_momentum_update(p(data, 0), p(grad, 0), p(square, 0), p(buffer, 0), n, learningRate, alpha, epsilon, weightDecay, momentum);
    },
    adagradUpdate: (data, grad, sum, n, learningRate, epsilon, weightDecay) =>
      k.adagrad_update(p(data, 0), p(grad, 0), p(sum, 0), n, learningRate, epsilon, weightDecay),
    adamUpdate: (data, grad, m, v, n, beta1, beta2, l2, shrink, stepSize, sqrtBiasCorrection2, epsilon) =>
      k.adam_update(p(data, 0), p(grad, 0), p(m, 0), p(v, 0), n, beta1, beta2, l2, shrink, stepSize, sqrtBiasCorrection2, epsilon),
  };
}
