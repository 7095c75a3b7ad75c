import type { FloatArray } from '../types';
import type { Backend } from './backend';

/**
 * Optional element-wise kernels a backend may provide beside `gemm` (see `Backend.elementwise`).
 * Each one does exactly what the TypeScript loop it replaces does (the cells, losses and
 * `elementwise.ts` keep those loops as the reference and for float64), up to the error bound of
 * the backend's approximations of tanh, σ and exp. Arrays are (array, offset) pairs in elements;
 * every array must be accepted by `accepts`.
 */
export interface ElementwiseKernels {
  /** True when `x` lives where these kernels work (a float32 view of the backend's memory). */
  accepts(x: FloatArray): boolean;
  /** out = tanh(a + b) over n elements (vanilla RNN forward). */
  tanhSum(out: FloatArray, outOff: number, a: FloatArray, aOff: number, b: FloatArray, bOff: number, n: number): void;
  /** out = dh ⊙ (1 − h²) over n elements (vanilla RNN backward). */
  tanhBackward(out: FloatArray, outOff: number, dh: FloatArray, dhOff: number, h: FloatArray, hOff: number, n: number): void;
  /** out = max(a + b, 0) over n elements (ReLU RNN forward; exact). */
  reluSum(out: FloatArray, outOff: number, a: FloatArray, aOff: number, b: FloatArray, bOff: number, n: number): void;
  /** out = dh ⊙ [h > 0] over n elements (ReLU RNN backward; exact). */
  reluBackward(out: FloatArray, outOff: number, dh: FloatArray, dhOff: number, h: FloatArray, hOff: number, n: number): void;
  /**
   * LSTM step of `rows` consecutive rows of H units (see LstmCell): gates [i f g o] from the
   * pre-activations xp + hp, c = f⊙c_prev + i⊙g, tanhC = tanh c, h = o⊙tanh c. The gate arrays
   * (xp, hp, gates) have rows of 4H, the others rows of H, each row right after the one before.
   */
  lstmForward(
    xp: FloatArray, xpOff: number, hp: FloatArray, hpOff: number, cPrev: FloatArray, cPrevOff: number,
    gates: FloatArray, gatesOff: number, c: FloatArray, cOff: number, tanhC: FloatArray, tanhCOff: number,
    h: FloatArray, hOff: number, H: number, rows: number,
  ): void;
  /** LSTM step backward of `rows` rows: writes da (rows of 4H) and replaces the carried ∂L/∂c (rows of H) by ∂L/∂c_{t-1}. */
  lstmBackward(
    gates: FloatArray, gatesOff: number, tanhC: FloatArray, tanhCOff: number, cPrev: FloatArray, cPrevOff: number,
    dh: FloatArray, dhOff: number, dc: FloatArray, dcOff: number, da: FloatArray, daOff: number, H: number, rows: number,
  ): void;
  /** GRU step of `rows` rows (see GruCell): gates [r z n] (rows of 3H), the cached W_hn·h + b_hn, and h (rows of H). */
  gruForward(
    xp: FloatArray, xpOff: number, hp: FloatArray, hpOff: number, hPrev: FloatArray, hPrevOff: number,
    gates: FloatArray, gatesOff: number, hiddenN: FloatArray, hiddenNOff: number, h: FloatArray, hOff: number, H: number, rows: number,
  ): void;
  /** GRU step backward of `rows` rows: input-side and hidden-side pre-activation gradients (rows of 3H). */
  gruBackward(
    gates: FloatArray, gatesOff: number, hiddenN: FloatArray, hiddenNOff: number, hPrev: FloatArray, hPrevOff: number,
    dh: FloatArray, dhOff: number, daInput: FloatArray, daInputOff: number, daHidden: FloatArray, daHiddenOff: number, H: number, rows: number,
  ): void;
  /** GRU's direct path for `rows` rows: dhPrev += dh ⊙ z, z the second H block of each gate row (rows of 3H). */
  gruCarry(dhPrev: FloatArray, dhPrevOff: number, dh: FloatArray, dhOff: number, gates: FloatArray, gatesOff: number, H: number, rows: number): void;
  /**
   * Row-wise softmax of `rows` rows of O logits at x[0…] into out[0…]. Returns each row's max and
   * partition sum z = Σ exp(x − max) as stats[2r], stats[2r+1] (a view reused by the next call).
   */
  softmaxRows(x: FloatArray, out: FloatArray, rows: number, O: number): Float32Array;
  /** out[off + r·n + j] += bias[j] for `rows` rows. */
  addRowBias(out: FloatArray, off: number, rows: number, bias: FloatArray, n: number): void;
  /** sum[j] += Σ_r m[off + r·n + j]. */
  addColumnSums(sum: FloatArray, m: FloatArray, off: number, rows: number, n: number): void;
  /** x[off…off+n) *= s */
  scale(x: FloatArray, off: number, n: number, s: number): void;
  /**
   * One SGD update of n entries, as the loop of optimizers/sgd.ts: g = ∇ + λθ; with a momentum
   * buffer b = μb + g and g = b (or g + μb, Nesterov); θ −= η g.
   */
  sgdUpdate(data: FloatArray, grad: FloatArray, buffer: FloatArray | null, n: number, learningRate: number, weightDecay: number, momentum: number, nesterov: boolean): void;
  /**
   * One RMSprop update, as optimizers/rmsprop.ts: g = ∇ + λθ, s = αs + (1−α)g², d = g / (√s + ε);
   * with a momentum buffer b = μb + d and θ −= η b, else θ −= η d.
   */
  rmspropUpdate(
    data: FloatArray, grad: FloatArray, square: FloatArray, buffer: FloatArray | null, n: number,
    learningRate: number, alpha: number, epsilon: number, weightDecay: number, momentum: number,
  ): void;
  /** One Adagrad update, as optimizers/adagrad.ts: g = ∇ + λθ, s += g², θ −= η g / (√s + ε). */
  adagradUpdate(data: FloatArray, grad: FloatArray, sum: FloatArray, n: number, learningRate: number, epsilon: number, weightDecay: number): void;
  /**
   * One Adam/AdamW update of n entries, as the loop of optimizers/adam.ts: g = ∇ + l2·θ,
   * m = β1 m + (1−β1) g, v = β2 v + (1−β2) g², θ = shrink·θ − stepSize·m / (√v / sqrtBiasCorrection2 + ε).
   */
  adamUpdate(
    data: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, n: number,
    beta1: number, beta2: number, l2: number, shrink: number, stepSize: number, sqrtBiasCorrection2: number, epsilon: number,
  ): void;
}

/**
 * The backend's element-wise kernels when they accept every array given (float32 views of its
 * memory), else null: then the TypeScript loop runs (float64, or a backend without kernels).
 * The backend is always passed in: which kernels run never depends on a lookup by memory.
 * Fixed parameters rather than `...arrays`: it is called once per time step, which must not allocate.
 */
export function elementwiseFor(backend: Backend, a: FloatArray, b?: FloatArray, c?: FloatArray, d?: FloatArray): ElementwiseKernels | null {
  const kernels = backend.elementwise;
  if (!kernels || !kernels.accepts(a)) return null;
  if ((b && !kernels.accepts(b)) || (c && !kernels.accepts(c)) || (d && !kernels.accepts(d))) return null;
  return kernels;
}
