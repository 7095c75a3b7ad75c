/**
 * A forecast's values taken apart by target and step, for the CLI's tables and the results view.
 * The values of several targets or steps are windows × forecastSteps × targets, row-major (`shape`):
 * value (w, s, y) sits at index (w·k + s)·Y + y. Errors are in original units.
 */

/** The predictions of `eval --json` (naive optional, as the results view may read older lines). */
export interface ForecastValues {
  actual: number[]; predicted: number[]; naive?: number[]; seasonalNaive?: number[];
  shape?: readonly number[];
  targets?: string[];
}

export interface ForecastSlice { actual: number[]; predicted: number[]; naive?: number[]; seasonalNaive?: number[] }

export interface ForecastCell {
  target: string;
  /** 1-based. */
  step: number;
  rmse: number;
  naiveRmse?: number;
  /** Over the points that have a value one season back; absent without a season or any such point. */
  seasonalNaiveRmse?: number;
}

/** Steps and targets of the values: [k, Y] ([1, 1] without a shape). */
export function forecastDims(p: ForecastValues): { steps: number; targets: number } {
  return p.shape ? { steps: p.shape[1], targets: p.shape[2] } : { steps: 1, targets: 1 };
}

/** The series of target `y` (0-based) at step `s` (0-based; both default 0): one value per window. */
export function forecastSlice(p: ForecastValues, s = 0, y = 0): ForecastSlice {
  const { steps, targets } = forecastDims(p);
  const stride = steps * targets;
  const offset = s * targets + y;
  const pick = (values: number[]) => (stride === 1 ? values : values.filter((_, i) => i % stride === offset));
  return {
    actual: pick(p.actual), predicted: pick(p.predicted),
    ...(p.naive && { naive: pick(p.naive) }),
    ...(p.seasonalNaive && { seasonalNaive: pick(p.seasonalNaive) }),
  };
}

/** RMSE of `predicted` against `actual` over the points where `predicted` is a number (NaN when none). */
export function rmseOf(actual: readonly number[], predicted: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(predicted[i])) continue;
    sum += (predicted[i] - actual[i]) ** 2;
    count++;
  }
  return count ? Math.sqrt(sum / count) : NaN;
}

/** The errors of one slice (or of several concatenated). */
function cellOf(target: string, step: number, slices: ForecastSlice[]): ForecastCell {
  const all = (get: (slice: ForecastSlice) => number[] | undefined) => slices.flatMap((slice) => get(slice) ?? []);
  const actual = all((x) => x.actual);
  const seasonal = slices[0].seasonalNaive ? rmseOf(actual, all((x) => x.seasonalNaive)) : NaN;
  return {
    target, step, rmse: rmseOf(actual, all((x) => x.predicted)),
    ...(slices[0].naive && { naiveRmse: rmseOf(actual, all((x) => x.naive)) }),
    ...(Number.isFinite(seasonal) && { seasonalNaiveRmse: seasonal }),
  };
}

/**
 * RMSE per target and step, in target-major order; `targetNames` names the targets when the values
 * do not (one target). `step: 0` rows give a target's errors over all its steps (only when k > 1).
 */
export function forecastBreakdown(p: ForecastValues, targetNames: readonly string[] = []): ForecastCell[] {
  const { steps, targets } = forecastDims(p);
  const name = (y: number) => p.targets?.[y] ?? targetNames[y] ?? (targets === 1 ? 'target' : `target ${y + 1}`);
  const cells: ForecastCell[] = [];
  for (let y = 0; y < targets; y++) {
    const slices = Array.from({ length: steps }, (_, s) => forecastSlice(p, s, y));
    slices.forEach((slice, s) => cells.push(cellOf(name(y), s + 1, [slice])));
    if (steps > 1) cells.push(cellOf(name(y), 0, slices));
  }
  return cells;
}
