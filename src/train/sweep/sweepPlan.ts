/**
 * The trials of a sweep, decided before any training:
 *   grid    the full product of the parameters' values (an `int` range is the list of its integers),
 *           in key order with the last key varying fastest, capped at `trials`;
 *   random  `trials` points, each parameter drawn in key order from one Rng seeded with `sweep.seed`
 *           (default `training.seed`): a list uniformly, `uniform` and `logUniform` with both ends
 *           reachable, `int` an integer from low to high inclusive.
 * Every trial trains with the spec's own `training.seed`: trials differ only in their parameters.
 */
import { Rng } from '../../engine/random';
import type { ModelSpec } from '../../modelSpec/schema';
import { rangeOf, type SweepParameter } from '../../modelSpec/sweepParameters';

export type SweepSpec = NonNullable<ModelSpec['sweep']>;
export type ParameterValues = Record<string, unknown>;

/** Trials of a random search when `sweep.trials` is absent. */
export const DEFAULT_RANDOM_TRIALS = 10;

export interface PlannedTrial {
  /** 1-based. */
  trial: number;
  parameters: ParameterValues;
}

export interface SweepPlan {
  method: 'grid' | 'random';
  /** The seed of the draws (random search); the grid records the spec's seed too, unused. */
  seed: number;
  trials: PlannedTrial[];
  /** Grid: how many combinations exist before the `trials` cap. */
  combinations?: number;
}

/** The plan of `sweep`; `trainingSeed` is the spec's `training.seed` (default 1). */
export function planSweep(sweep: SweepSpec, trainingSeed: number): SweepPlan {
  const method = sweep.method ?? 'grid';
  const seed = sweep.seed ?? trainingSeed;
  const entries = Object.entries(sweep.parameters);
  if (method === 'random') {
    const rng = new Rng(seed);
    const count = sweep.trials ?? DEFAULT_RANDOM_TRIALS;
    const trials = Array.from({ length: count }, (_, i) => ({
      trial: i + 1,
      parameters: Object.fromEntries(entries.map(([key, parameter]) => [key, draw(parameter, rng)])),
    }));
    return { method, seed, trials };
  }
  const lists = entries.map(([key, parameter]) => [key, gridValues(parameter)] as const);
  const combinations = lists.reduce((n, [, values]) => n * values.length, 1);
  const count = Math.min(combinations, sweep.trials ?? combinations);
  const trials: PlannedTrial[] = [];
  for (let index = 0; index < count; index++) {
    const parameters: ParameterValues = {};
    let rest = index;
    for (let k = lists.length - 1; k >= 0; k--) {
      const [key, values] = lists[k];
      parameters[key] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    trials.push({ trial: index + 1, parameters: Object.fromEntries(entries.map(([key]) => [key, parameters[key]])) });
  }
  return { method, seed, trials, combinations };
}

/** A grid's values of one parameter: a list as written, an `int` range as its integers. */
function gridValues(parameter: SweepParameter): unknown[] {
  const range = rangeOf(parameter);
  if (!range) return parameter as unknown[];
  const [kind, low, high] = range;
  if (kind !== 'int') throw new RangeError(`a grid cannot enumerate a "${kind}" range`);
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

/** One random draw of a parameter. */
export function draw(parameter: SweepParameter, rng: Rng): unknown {
  const range = rangeOf(parameter);
  if (!range) {
    const list = parameter as unknown[];
    return list[rng.int(list.length)];
  }
  const [kind, low, high] = range;
  if (kind === 'int') return low + rng.int(high - low + 1);
  // u in [0, 1] with both ends reachable, as the range's ends are both included.
  const u = rng.nextUint32() / 0xffffffff;
  const value = kind === 'uniform' ? low + u * (high - low) : Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
  return Math.min(high, Math.max(low, Number(value.toPrecision(6))));
}
