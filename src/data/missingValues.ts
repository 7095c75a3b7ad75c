/**
 * Blank cells of a CSV series (`data.missing`):
 *   "error"        stop at the first one (file:line:column, naming the key)
 *   "drop"         drop its row
 *   "previous"     the last value above it (a blank at the top takes the first value below)
 *   "interpolate"  linear between the nearest values above and below, in the time column when there
 *                  is one, else in rows (blanks at the top or bottom take the nearest value)
 * Each filled column gives one warning with the count and the first blank cell.
 */
import type { MISSING_MODES } from '../modelSpec/schema';
import type { DataWarning } from './dataset';

export type MissingMode = (typeof MISSING_MODES)[number];

/** The hint a blank-cell error ends with. */
export const MISSING_HINT = 'or set data.missing to "drop", "previous" or "interpolate"';

/**
 * Fills the NaN entries of `values` in place. `at(row)` locates a cell for the warning; `times`
 * (one per row) are the interpolation abscissae when given.
 */
export function fillMissing(
  name: string, values: Float64Array, mode: 'previous' | 'interpolate', times: Float64Array | undefined,
  at: (row: number) => { file: string; line: number; column: number },
): DataWarning | undefined {
  const n = values.length;
  let first = -1;
  let count = 0;
  let before = -1; // the last known row
  for (let r = 0; r < n; r++) {
    if (!Number.isNaN(values[r])) {
      before = r;
      continue;
    }
    if (first < 0) first = r;
    count++;
    let after = r + 1;
    while (after < n && Number.isNaN(values[after])) after++;
    for (let k = r; k < after; k++) {
      if (before < 0 && after >= n) return undefined; // nothing to fill from: the caller's "all blank" error
      if (before < 0) values[k] = values[after];
      else if (after >= n || mode === 'previous') values[k] = values[before];
      else {
        const x = (i: number) => (times ? times[i] : i);
        const w = (x(k) - x(before)) / (x(after) - x(before));
        values[k] = values[before] + w * (values[after] - values[before]);
      }
    }
    count += after - r - 1;
    r = after - 1;
  }
  if (!count) return undefined;
  const how = mode === 'previous' ? 'the previous value' : `values interpolated linearly in ${times ? 'time' : 'rows'}`;
  return { ...at(first), message: `column "${name}": ${count} blank cell${count === 1 ? '' : 's'} filled with ${how} (data.missing "${mode}")` };
}
