/**
 * Weight initialisers. Every one writes into a caller-owned row-major array and draws only from the
 * given `Rng`, so the same seed gives bit-identical weights.
 *
 * Recurrent weights are stacked per gate as PyTorch stores them: `W_hh` is `g·H × H` with g = 1
 * (RNN), 4 (LSTM, order i|f|g|o) or 3 (GRU, order r|z|n). `orthogonalInit` and `identityInit`
 * treat each `H × H` gate block separately, so every gate's recurrent map is orthogonal (or the
 * identity), rather than the tall stacked matrix as a whole.
 */
import type { FloatArray } from './types';
import type { Rng } from './random';

/** out[i] ~ U(−bound, bound). */
export function uniformInit(out: FloatArray, bound: number, rng: Rng): void {
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * bound;
}

/**
 * Glorot (Xavier) uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)), so that Var = 2 / (fanIn + fanOut).
 * For a PyTorch `out×in` weight, fanIn = in and fanOut = out.
 */
export function glorotUniform(out: FloatArray, fanIn: number, fanOut: number, rng: Rng): void {
  if (!(fanIn > 0 && fanOut > 0)) throw new RangeError(`glorotUniform needs positive fans, got ${fanIn}, ${fanOut}`);
  uniformInit(out, Math.sqrt(6 / (fanIn + fanOut)), rng);
}

/**
 * Orthogonal initialisation of a `rows × cols` matrix, scaled by `gain`.
 * When rows = g·cols (stacked gate matrices), each `cols × cols` block is an independent orthogonal
 * matrix Q (QᵀQ = I). Otherwise the whole matrix is made semi-orthogonal as torch.nn.init.orthogonal_
 * does: orthonormal columns when rows > cols, orthonormal rows when rows < cols.
 *
 * Each block is the Q of A = QR for A with N(0, 1) entries (drawn row-major from `rng`), with the
 * signs fixed so that diag(R) > 0; this makes Q Haar-distributed. The QR is modified Gram–Schmidt
 * with one re-orthogonalisation pass ("twice is enough"), in float64.
 */
export function orthogonalInit(out: FloatArray, rows: number, cols: number, rng: Rng, gain = 1): void {
  checkShape(out, rows, cols, 'orthogonalInit');
  if (rows % cols === 0) {
    for (let block = 0; block < rows / cols; block++) {
      writeSemiOrthogonal(out, block * cols * cols, cols, cols, rng, gain);
    }
  } else {
    writeSemiOrthogonal(out, 0, rows, cols, rng, gain);
  }
}

/**
 * `scale · I` in every `cols × cols` block of a `rows × cols` matrix (IRNN: Le, Jaitly & Hinton 2015):
 * out[i][j] = scale when j = i mod cols, else 0.
 */
export function identityInit(out: FloatArray, rows: number, cols: number, scale = 1): void {
  checkShape(out, rows, cols, 'identityInit');
  out.fill(0);
  for (let i = 0; i < rows; i++) out[i * cols + (i % cols)] = scale;
}

function checkShape(out: FloatArray, rows: number, cols: number, where: string): void {
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0) || out.length !== rows * cols) {
    throw new RangeError(`${where}: array of length ${out.length} is not ${rows}×${cols}`);
  }
}

/**
 * Writes a semi-orthogonal `rows × cols` matrix (times gain) at out[offset…]. With n = max(rows, cols)
 * and k = min(rows, cols), orthonormalises the k columns of an n × k normal matrix and writes it
 * as is (rows ≥ cols) or transposed (rows < cols).
 */
function writeSemiOrthogonal(out: FloatArray, offset: number, rows: number, cols: number, rng: Rng, gain: number): void {
  const n = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  // Column-major n×k: column j at q[j*n … j*n+n-1]. Entries drawn in the row-major order of the n×k matrix.
  const q = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) q[j * n + i] = rng.normal();
  for (let j = 0; j < k; j++) {
    const qj = j * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        const qp = p * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[qp + i] * q[qj + i];
        for (let i = 0; i < n; i++) q[qj + i] -= dot * q[qp + i];
      }
    }
    // Dividing by the positive norm makes R_jj > 0: the sign fix of torch's q *= sign(diag(r)).
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[qj + i] * q[qj + i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[qj + i] /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[offset + r * cols + c] = gain * (rows >= cols ? q[c * n + r] : q[r * n + c]);
    }
  }
}

/**
 * PyTorch's default initialisation of a parameter, by its canonical name: nn.RNN/LSTM/GRU draw every
 * weight and bias from U(±1/√H), H the layer's own hidden size (rows / `gates`; a seq2seq decoder's
 * is the encoder's merged width); nn.Linear (head, init, skip projections) draws its weight with
 * kaiming_uniform(a=√5), which is U(±1/√fan_in), and its bias from U(±1/√fan_in); nn.Embedding N(0, 1).
 * `fanInOf(biasName)` gives a Linear bias its weight's fan_in.
 */
export function pytorchDefaultInit(name: string, out: FloatArray, shape: readonly number[], gates: number,
  fanInOf: (biasName: string) => number, rng: Rng): void {
  if (/\.(weight|bias)_(ih|hh)_l\d/.test(name)) uniformInit(out, 1 / Math.sqrt(shape[0] / gates), rng);
  else if (name.endsWith('embedding.weight')) for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  else if (shape.length === 2) uniformInit(out, 1 / Math.sqrt(shape[1]), rng);
  else uniformInit(out, 1 / Math.sqrt(fanInOf(name)), rng);
}
