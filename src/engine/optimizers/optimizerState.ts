/**
 * Shared bookkeeping for optimizers: per-parameter moment buffers and their (de)serialisation.
 *
 * State keys are `<optimizer type>.<moment>.<param name>` (e.g. `adam.m.rnn.weight_hh_l0`) plus
 * `step`, a length-1 array holding the step count (exact in float32 up to 2^24 steps).
 */
import type { Backend } from '../kernels/backend';
import type { Param } from '../types';

export const STEP_KEY = 'step';

/** One Float32Array per (moment, param), zero-initialised, in the order of `params`. */
export class MomentBuffers {
  /** buffers[moment][paramIndex], float32, from the backend (beside the params in its memory, if it has one). */
  readonly buffers: Float32Array[][];

  constructor(
    private readonly prefix: string,
    private readonly moments: readonly string[],
    private readonly params: readonly Param[],
    backend: Backend,
  ) {
    this.buffers = moments.map(() => params.map((p) => backend.allocate(p.data.length, 'float32') as Float32Array));
  }

  key(moment: number, param: number): string {
    return `${this.prefix}.${this.moments[moment]}.${this.params[param].name}`;
  }

  /** Copies of every buffer plus the step count. */
  getState(stepCount: number): Map<string, Float32Array> {
    const state = new Map<string, Float32Array>();
    this.buffers.forEach((perParam, m) => perParam.forEach((buffer, i) => state.set(this.key(m, i), buffer.slice())));
    state.set(STEP_KEY, Float32Array.of(stepCount));
    return state;
  }

  /**
   * Loads buffers from a state made by `getState` for the same optimizer type and params; returns the
   * step count. Throws, listing the problems, on a missing, unknown or wrongly sized entry.
   */
  setState(state: Map<string, Float32Array>): number {
    const problems: string[] = [];
    const expected = new Set<string>([STEP_KEY]);
    this.buffers.forEach((perParam, m) =>
      perParam.forEach((buffer, i) => {
        const key = this.key(m, i);
        expected.add(key);
        const value = state.get(key);
        if (!value) problems.push(`missing ${key}`);
        else if (value.length !== buffer.length) problems.push(`${key} has ${value.length} values, expected ${buffer.length}`);
      }),
    );
    const step = state.get(STEP_KEY);
    if (!step || step.length !== 1 || !Number.isInteger(step[0]) || step[0] < 0) problems.push(`${STEP_KEY} must hold one non-negative integer`);
    for (const key of state.keys()) if (!expected.has(key)) problems.push(`unknown key ${key}`);
    if (problems.length > 0) throw new Error(`optimizer state does not fit this ${this.prefix} optimizer: ${problems.join('; ')}`);
    this.buffers.forEach((perParam, m) => perParam.forEach((buffer, i) => buffer.set(state.get(this.key(m, i))!)));
    return step![0];
  }
}
