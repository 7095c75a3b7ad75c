import { strict as assert } from 'node:assert';
import { gradientCheck } from '../../../src/engine/gradientCheck';
import { Rng } from '../../../src/engine/random';
import type { Param } from '../../../src/engine/types';

/**
 * A small network-like function of W (R×C), b (R) and a large vector u (N):
 *   y = tanh(W x + b),  L = Σ_r y_r² + (0.5 / N) Σ_j u_j² · s_j   (x and s fixed)
 * with dL/dW_rc = 2 y_r (1 − y_r²) x_c, dL/db_r = 2 y_r (1 − y_r²), dL/du_j = u_j s_j / N.
 * The loss stays O(1), as a mean loss does, so that rounding in L(θ ± ε) stays far below the tolerance.
 */
function makeProblem(rows = 3, cols = 4, large = 300) {
  const rng = new Rng(5);
  const draw = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
  const param = (name: string, shape: number[], n: number): Param => ({ name, shape, data: draw(n), grad: new Float64Array(n) });
  const w = param('w', [rows, cols], rows * cols);
  const b = param('b', [rows], rows);
  const u = param('u', [large], large);
  const x = draw(cols);
  const s = Float64Array.from({ length: large }, (_, j) => 1 + (j % 5));
  const y = new Float64Array(rows);

  const forward = (): number => {
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      let z = b.data[r];
      for (let c = 0; c < cols; c++) z += w.data[r * cols + c] * x[c];
      y[r] = Math.tanh(z);
      loss += y[r] * y[r];
    }
    for (let j = 0; j < large; j++) loss += (0.5 * u.data[j] * u.data[j] * s[j]) / large;
    return loss;
  };
  /** Adds the gradient into .grad; `bug` plants an error in one place. */
  const backward = (bug?: 'w-entry' | 'b-sign' | 'u-scale') => () => {
    forward();
    for (let r = 0; r < rows; r++) {
      const dz = 2 * y[r] * (1 - y[r] * y[r]);
      b.grad[r] += bug === 'b-sign' ? -dz : dz;
      for (let c = 0; c < cols; c++) w.grad[r * cols + c] += dz * x[c];
    }
    if (bug === 'w-entry') w.grad[5] *= 1.001;
    for (let j = 0; j < large; j++) u.grad[j] += ((u.data[j] * s[j]) / large) * (bug === 'u-scale' ? 1.01 : 1);
  };
  return { params: [w, b, u], forward, backward };
}

describe('gradientCheck', () => {
  it('accepts a correct gradient: every row within the default 1e-5 tolerance', () => {
    const { params, forward, backward } = makeProblem();
    const rows = gradientCheck(params, forward, backward());
    assert.deepEqual(rows.map((r) => [r.name, r.checked, r.ok]), [['w', 12, true], ['b', 3, true], ['u', 64, true]]);
    for (const row of rows) assert.ok(row.maxRelativeError > 0 && row.maxRelativeError < 1e-5, `${row.name}: ${row.maxRelativeError}`);
  });

  it('flags exactly the param with a wrong gradient', () => {
    for (const [bug, culprit] of [['w-entry', 'w'], ['b-sign', 'b'], ['u-scale', 'u']] as const) {
      const { params, forward, backward } = makeProblem();
      const rows = gradientCheck(params, forward, backward(bug));
      for (const row of rows) assert.equal(row.ok, row.name !== culprit, `${bug}: ${JSON.stringify(row)}`);
    }
    // A relative error of 1e-3 in one entry of twelve is caught, and measured.
    const { params, forward, backward } = makeProblem();
    const w = gradientCheck(params, forward, backward('w-entry'))[0];
    assert.ok(Math.abs(w.maxRelativeError - 0.001 / 1.001) < 1e-6, String(w.maxRelativeError));
  });

  it('zeroes the grads before calling analytic once, and restores every param exactly', () => {
    const { params, forward, backward } = makeProblem();
    const before = params.map((p) => Float64Array.from(p.data));
    for (const p of params) p.grad.fill(123);
    let calls = 0;
    const analytic = backward();
    const rows = gradientCheck(params, forward, () => {
      calls++;
      analytic();
    });
    assert.equal(calls, 1);
    assert.ok(rows.every((r) => r.ok));
    params.forEach((p, k) => assert.deepEqual(p.data, before[k]));
  });

  it('samples a seeded subset of large params, the same for the same seed', () => {
    const { params, forward, backward } = makeProblem(2, 2, 500);
    const touched = (seed: number): number[] => {
      const seen = new Set<number>();
      const u = params[2].data;
      const original = Float64Array.from(u);
      gradientCheck(params, () => {
        for (let j = 0; j < u.length; j++) if (u[j] !== original[j]) seen.add(j);
        return forward();
      }, backward(), { maxEntriesPerParam: 20, rng: new Rng(seed) });
      return [...seen].sort((a, c) => a - c);
    };
    const first = touched(1);
    assert.equal(first.length, 20);
    assert.deepEqual(touched(1), first);
    assert.notDeepEqual(touched(2), first);
  });

  it('fails a row whose loss turns non-finite', () => {
    const { params, forward, backward } = makeProblem(2, 2, 3);
    const rows = gradientCheck(params, () => (params[1].data[0] === 0 ? 0 : forward() * Number.NaN), backward());
    assert.ok(rows.every((r) => !r.ok && Number.isNaN(r.maxRelativeError)));
  });
});
