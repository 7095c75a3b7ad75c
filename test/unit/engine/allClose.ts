/** numpy-style closeness checks for the golden tests. */
import { strict as assert } from 'node:assert';
import type { RecurrentState } from '../../../src/engine/model';
import type { DType } from '../../../src/engine/types';

/** float32 runs: the tolerance; float64 runs the very same code, so it must agree far more closely. */
export const GOLDEN_TOLERANCE: Record<DType, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-4, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-9 },
};

/**
 * Asserts `|actual − expected| ≤ atol + rtol·|expected|` entrywise (numpy's `allclose`), and on
 * failure names the worst entry (largest excess over its allowance) and how many entries fail.
 * A null expected entry (a fixture's "not meaningful", e.g. a padded row) is not compared.
 */
export function assertAllClose(
  actual: ArrayLike<number>, expected: ArrayLike<number | null>, label: string, tol: { rtol: number; atol: number },
): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  let failing = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (e === null) continue;
    const diff = Math.abs(a - e);
    const excess = Number.isNaN(diff) ? Infinity : diff - (tol.atol + tol.rtol * Math.abs(e));
    if (excess > 0) {
      failing++;
      if (worst < 0 || excess > worstExcess) { worst = i; worstExcess = excess; }
    }
  }
  if (failing > 0) {
    const a = actual[worst];
    const e = expected[worst] as number;
    assert.fail(`${label}: ${failing}/${expected.length} entries off; worst [${worst}] = ${a}, expected ${e} ` +
      `(|diff| ${Math.abs(a - e).toExponential(3)}, rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

/** Final states per layer×direction (B×H each; the engine's may be longer views) against h_n and c_n. */
export function assertFinalStates(
  actual: RecurrentState, h_n: number[][], c_n: number[][] | undefined, tol: { rtol: number; atol: number },
): void {
  for (const [label, states, expected] of [['h_n', actual.h, h_n], ['c_n', actual.c, c_n]] as const) {
    if (!expected) continue;
    assert.ok(states, `${label} missing from finalState`);
    assert.equal(states.length, expected.length, `${label}: layer×direction count`);
    expected.forEach((e, i) => assertAllClose(states[i].subarray(0, e.length), e, `${label}[${i}]`, tol));
  }
}
