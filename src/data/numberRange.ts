/**
 * The numbers a dataset may hold. The model computes in float32, and a JSONL or CSV number is stored
 * as one, so a value beyond ±3.4028235e38 would become ±Infinity (and JSON reads 1e400 as Infinity
 * already): such a value is a data error at its cell, never a silent Infinity or NaN in training.
 */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** True for a number the model can hold: finite and within float32's range. */
export function isModelNumber(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= FLOAT32_MAX;
}

/** The reason for a number beyond that range, as written (`raw`: the cell's or the JSON token's text). */
export function beyondRange(raw: string): string {
  return `${raw} is beyond the range of numbers (±3.4e38, float32, which the model computes in): expected a finite number`;
}
