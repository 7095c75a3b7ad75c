/**
 * What `rnn-lab init` and the New Model wizard propose for a CSV time series beyond its columns:
 * - `calendar` and `season` from the time column's step (its granularity):
 *     hourly → ["hour", "dayOfWeek"], season 24      daily → ["dayOfWeek", "dayOfYear"], season 7
 *     weekly → ["dayOfYear"], season 52             monthly → ["month"], season 12
 *     quarterly → ["month"], season 4               yearly dates and plain numbers → nothing
 *   each only when the series spans two of its cycles;
 * - `groupBy`: the column naming each row's series, when there is one (`seriesColumn`);
 * - `missing: "interpolate"` for a few scattered blank cells (`missingMode`).
 */
import type { ModelSpec } from '../modelSpec';
import { isNumberCell } from './csvTable';
import { parseTimeCell, type CalendarFeature } from './timeColumn';

const HOUR_MS = 3600000;
const DAY_MS = 24 * HOUR_MS;

export type Granularity = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/**
 * The calendar features that fit each step, with their cycle in rows, and the season length. A
 * feature (or season) is proposed only when the series spans at least two of its cycles: a phase
 * seen once in training would be met for the first time in the validation tail.
 */
const BY_GRANULARITY: Record<Granularity, { calendar: [CalendarFeature, number][]; season?: number }> = {
  hour: { calendar: [['hour', 24], ['dayOfWeek', 168]], season: 24 },
  day: { calendar: [['dayOfWeek', 7], ['dayOfYear', 365]], season: 7 },
  week: { calendar: [['dayOfYear', 52]], season: 52 },
  month: { calendar: [['month', 12]], season: 12 },
  quarter: { calendar: [['month', 4]], season: 4 },
  year: { calendar: [] },
};

/**
 * The usual step of a date column: the median of the positive differences between consecutive
 * times of one series (`series[r]` names row r's series, whose rows may interleave with others').
 * Undefined for plain numbers, or a step that is none of the units above.
 */
export function timeGranularity(cells: readonly string[], series?: readonly string[]): Granularity | undefined {
  const last = new Map<string, number>(); // each series' latest time, so interleaved series count too
  const diffs: number[] = [];
  cells.forEach((cell, r) => {
    const time = parseTimeCell(cell);
    if (time?.kind !== 'date') return;
    const id = series?.[r] ?? '';
    const before = last.get(id);
    if (before !== undefined && time.value > before) diffs.push(time.value - before);
    last.set(id, time.value);
  });
  if (!diffs.length) return undefined;
  const median = diffs.sort((x, y) => x - y)[Math.floor(diffs.length / 2)];
  if (median === HOUR_MS) return 'hour';
  if (median === DAY_MS) return 'day';
  if (median === 7 * DAY_MS) return 'week';
  if (median >= 28 * DAY_MS && median <= 31 * DAY_MS) return 'month';
  if (median >= 89 * DAY_MS && median <= 92 * DAY_MS) return 'quarter';
  if (median >= 365 * DAY_MS && median <= 366 * DAY_MS) return 'year';
  return undefined;
}

/**
 * `calendar` (when any fits) and `season` (when the step implies one) for a time column's step, on
 * series of `rows` rows.
 */
export function seasonalKeys(granularity: Granularity | undefined, rows: number): Partial<ModelSpec['data']> {
  if (!granularity) return {};
  const { calendar, season } = BY_GRANULARITY[granularity];
  const features = calendar.filter(([, cycle]) => rows >= 2 * cycle).map(([feature]) => feature);
  return { ...(features.length && { calendar: features }), ...(season !== undefined && rows >= 2 * season && { season }) };
}

const SERIES_NAMES = /^(id|series|series_?id|unique_?id|store|store_?id|shop|sensor|sensor_?id|station|station_?id|item|item_?id|product|product_?id|sku|site|location|region|country|city|symbol|ticker|device|device_?id|meter|meter_?id|group)$/i;

/**
 * The column naming each row's series, if any (never a date column):
 * - a non-numeric column of at least two values, each in one contiguous block of at least two rows
 *   (the last block may be cut short by the sample), unless a date column ascends through the whole
 *   file (then the blocks are periods of one series), or
 * - a column named like an id (store, sensor, series, …) with few distinct values (at least two, and
 *   on average at least four rows each), whatever their order.
 */
export function seriesColumn(header: readonly string[], rows: readonly string[][]): string | undefined {
  const cellsOf = (i: number) => rows.map((r) => (r[i] ?? '').trim());
  const candidates = header.map((name, i) => ({ name, cells: cellsOf(i) })).filter(({ cells }) => cells.every((c) => c !== ''));
  // one series in time order (a date column strictly ascending over the whole file): a column of
  // blocks is a label that changes over time (a phase, a regime), not a series id
  const timeOrdered = candidates.some(({ cells }) => cells.every((c, r) => {
    const time = parseTimeCell(c);
    return time?.kind === 'date' && (r === 0 || time.value > parseTimeCell(cells[r - 1])!.value);
  }));
  const contiguous = !timeOrdered && candidates.find(({ cells }) => {
    if (cells.some((c) => isNumberCell(c) || parseTimeCell(c) !== undefined)) return false;
    const blocks: { id: string; length: number }[] = [];
    for (const cell of cells) {
      if (blocks.length && blocks[blocks.length - 1].id === cell) blocks[blocks.length - 1].length++;
      else blocks.push({ id: cell, length: 1 });
    }
    const ids = new Set(blocks.map((b) => b.id));
    return ids.size >= 2 && ids.size === blocks.length && blocks.slice(0, -1).every((b) => b.length >= 2);
  });
  if (contiguous) return contiguous.name;
  return candidates.find(({ name, cells }) => {
    const ids = new Set(cells).size;
    return SERIES_NAMES.test(name) && ids >= 2 && ids * 4 <= cells.length;
  })?.name;
}

/** The largest share of blank cells in a column for which `init` proposes interpolation. */
const INTERPOLATE_SHARE = 0.05;

/**
 * `data.missing` for the value columns' cells (`columns[c][r]`, one series after another): absent
 * (the "error" default) when there are no blanks; "interpolate" when a column is at most 5% blank
 * with no blank run longer than the usual `window` / 4 rows (at least 1), so that no filled stretch
 * is long enough to be learned as a pattern; otherwise absent, so the first blank is an error whose
 * hint names `data.missing` and the user decides.
 */
export function missingMode(columns: readonly (readonly string[])[], window: number): Partial<ModelSpec['data']> {
  const longestRun = Math.max(1, Math.floor(window / 4));
  let blanks = 0;
  for (const cells of columns) {
    let run = 0;
    let count = 0;
    for (const cell of cells) {
      run = cell.trim() === '' ? run + 1 : 0;
      if (run > longestRun) return {};
      if (run) count++;
    }
    if (count > INTERPOLATE_SHARE * cells.length) return {};
    blanks += count;
  }
  return blanks ? { missing: 'interpolate' } : {};
}
