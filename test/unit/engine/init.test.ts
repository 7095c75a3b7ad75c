import { strict as assert } from 'node:assert';
import { Rng } from '../../../src/engine/random';
import { glorotUniform, identityInit, orthogonalInit, uniformInit } from '../../../src/engine/init';

/** Max |(BᵀB)_ij − δ_ij| over a rows×cols block B (rows ≥ cols) starting at out[offset]. */
function columnOrthonormalityError(out: Float64Array | Float32Array, offset: number, rows: number, cols: number): number {
  let worst = 0;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < cols; j++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += out[offset + r * cols + i] * out[offset + r * cols + j];
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

describe('weight initialisers', () => {
  it('uniformInit draws from U(-bound, bound) with variance bound²/3', () => {
    const out = new Float64Array(50_000);
    uniformInit(out, 0.3, new Rng(1));
    let sumSq = 0;
    for (const x of out) {
      assert.ok(Math.abs(x) <= 0.3);
      sumSq += x * x;
    }
    assert.ok(Math.abs(sumSq / out.length - 0.09 / 3) < 0.001);
  });

  it('glorotUniform has variance 2 / (fanIn + fanOut) and is deterministic', () => {
    const fanIn = 64;
    const fanOut = 192;
    const out = new Float32Array(fanIn * fanOut * 4);
    glorotUniform(out, fanIn, fanOut, new Rng(5));
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    let sumSq = 0;
    for (const x of out) {
      assert.ok(Math.abs(x) <= bound + 1e-7);
      sumSq += x * x;
    }
    const variance = sumSq / out.length;
    assert.ok(Math.abs(variance / (2 / (fanIn + fanOut)) - 1) < 0.03, `variance ${variance}`);
    const again = new Float32Array(out.length);
    glorotUniform(again, fanIn, fanOut, new Rng(5));
    assert.deepEqual(again, out);
  });

  for (const [cell, gates] of [['rnn', 1], ['gru', 3], ['lstm', 4]] as const) {
    it(`orthogonalInit makes every H×H gate block of a ${cell} W_hh orthogonal (QᵀQ ≈ I and QQᵀ ≈ I)`, () => {
      const hidden = 24;
      const out = new Float64Array(gates * hidden * hidden);
      orthogonalInit(out, gates * hidden, hidden, new Rng(17));
      for (let g = 0; g < gates; g++) {
        const offset = g * hidden * hidden;
        assert.ok(columnOrthonormalityError(out, offset, hidden, hidden) < 1e-12);
        const transposed = new Float64Array(hidden * hidden);
        for (let r = 0; r < hidden; r++) for (let c = 0; c < hidden; c++) transposed[c * hidden + r] = out[offset + r * hidden + c];
        assert.ok(columnOrthonormalityError(transposed, 0, hidden, hidden) < 1e-12);
      }
      if (gates > 1) {
        // Blocks are independent draws, not copies.
        assert.notDeepEqual(out.subarray(0, hidden * hidden), out.subarray(hidden * hidden, 2 * hidden * hidden));
      }
    });
  }

  it('orthogonalInit applies the gain and stays orthogonal in float32 for a larger H', () => {
    const hidden = 128;
    const out = new Float32Array(4 * hidden * hidden);
    orthogonalInit(out, 4 * hidden, hidden, new Rng(2), 0.5);
    const unscaled = Float32Array.from(out, (x) => x / 0.5);
    for (let g = 0; g < 4; g++) assert.ok(columnOrthonormalityError(unscaled, g * hidden * hidden, hidden, hidden) < 1e-5);
  });

  it('orthogonalInit is semi-orthogonal for shapes that are not stacked square blocks', () => {
    const tall = new Float64Array(7 * 5);
    orthogonalInit(tall, 7, 5, new Rng(3));
    assert.ok(columnOrthonormalityError(tall, 0, 7, 5) < 1e-12);
    const wide = new Float64Array(3 * 8);
    orthogonalInit(wide, 3, 8, new Rng(3));
    const wideT = new Float64Array(8 * 3);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 8; c++) wideT[c * 3 + r] = wide[r * 8 + c];
    assert.ok(columnOrthonormalityError(wideT, 0, 8, 3) < 1e-12);
    assert.throws(() => orthogonalInit(new Float64Array(10), 3, 3, new Rng(1)), RangeError);
  });

  it('orthogonalInit blocks are Haar-like: diagonal entries have mean ≈ 0 (sign fix applied)', () => {
    // With diag(R) > 0 the Q factor of a Gaussian matrix is Haar-distributed: E[Q_ii] = 0 and E[Q_ij²] = 1/n.
    // A QR without the sign fix (e.g. plain Householder) biases the diagonal, which this would catch.
    const n = 8;
    const out = new Float64Array(400 * n * n);
    orthogonalInit(out, 400 * n, n, new Rng(4));
    let diagSum = 0;
    let sq = 0;
    for (let b = 0; b < 400; b++) {
      for (let i = 0; i < n; i++) {
        diagSum += out[b * n * n + i * n + i];
        sq += out[b * n * n + i * n + ((i + 1) % n)] ** 2;
      }
    }
    assert.ok(Math.abs(diagSum / (400 * n)) < 0.03, `mean diagonal ${diagSum / (400 * n)}`);
    assert.ok(Math.abs(sq / (400 * n) - 1 / n) < 0.02);
  });

  it('identityInit puts scale·I in every square block', () => {
    const out = new Float32Array(3 * 4 * 4).fill(9);
    identityInit(out, 12, 4, 0.5);
    for (let r = 0; r < 12; r++) {
      for (let c = 0; c < 4; c++) assert.equal(out[r * 4 + c], c === r % 4 ? 0.5 : 0);
    }
  });
});
