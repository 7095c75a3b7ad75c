/**
 * The time column of a CSV series (`data.time`): ISO 8601 dates and date-times, or plain numbers
 * (years, indices, epoch seconds). Dates become milliseconds of their wall-clock time as written
 * (`Date.UTC` of the fields; a zone offset is accepted and not applied), so that calendar features
 * are those of the written date. The column must be ascending; gaps are described in a note.
 *
 * Calendar features (`data.calendar`), each a sin/cos pair of its phase φ ∈ [0, 1):
 *   dayOfWeek   (weekday, Monday 0) / 7        dayOfMonth  (day − 1) / days in the month
 *   dayOfYear   (day of year − 1) / days in the year      month  (month − 1) / 12
 *   hour        (hours + minutes/60 + seconds/3600) / 24
 */
import { CALENDAR_FEATURES } from '../modelSpec/schema';
import { DataError } from './dataError';
import { showValue } from '../format/showValue';

export type CalendarFeature = (typeof CALENDAR_FEATURES)[number];
export type TimeKind = 'date' | 'number';

const ISO = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DAY_MS = 86400000;

/** A time cell → its value and kind, or undefined when it is neither an ISO 8601 date nor a number. */
export function parseTimeCell(cell: string): { value: number; kind: TimeKind } | undefined {
  const text = cell.trim();
  if (NUMBER.test(text)) return Number.isFinite(Number(text)) ? { value: Number(text), kind: 'number' } : undefined;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day = 1, hour = 0, minute = 0] = [m[1], m[2], m[3], m[4], m[5]].map((f) => (f === undefined ? undefined : Number(f)));
  const second = m[6] === undefined ? 0 : Number(m[6].replace(',', '.'));
  if (month! < 1 || month! > 12 || day < 1 || day > daysInMonth(year!, month!) || hour > 23 || minute > 59 || second >= 60) return undefined;
  return { value: Date.UTC(year!, month! - 1, day, hour, minute, 0) + Math.round(second * 1000), kind: 'date' };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The times of a column's cells; every cell of the first cell's kind, strictly ascending. */
export function readTimeCells(
  name: string, cells: readonly string[], at: (row: number) => { file: string; line: number; column: number },
): { kind: TimeKind; times: Float64Array } {
  const times = new Float64Array(cells.length);
  let kind: TimeKind = 'number';
  cells.forEach((cell, r) => {
    const parsed = parseTimeCell(cell);
    if (!parsed || (r > 0 && parsed.kind !== kind)) {
      const { file, line, column } = at(r);
      const expected = r > 0 && kind === 'number' ? 'a number like the first row\'s' : r > 0 ? 'an ISO 8601 date like the first row\'s' : 'an ISO 8601 date (2020-01-31, 2020-01-31T09:30) or a number';
      throw new DataError(file, line, column, `time column "${name}": expected ${expected}, got ${cell.trim() ? showValue(cell) : 'an empty cell'}`);
    }
    if (r === 0) kind = parsed.kind;
    times[r] = parsed.value;
    if (r > 0 && times[r] <= times[r - 1]) {
      const { file, line, column } = at(r);
      throw new DataError(file, line, column,
        `time column "${name}": ${showValue(cell)} is not after ${showValue(cells[r - 1])} on the row before: expected times in ascending order (sort the file by "${name}")`);
    }
  });
  return { kind, times };
}

/** Calendar units a date step is counted in: months and years vary in length. */
function monthIndex(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/**
 * One line on the time column: its range, its usual step and its gaps (steps longer than the usual
 * one: how many, and the largest, with the line after it).
 */
export function describeTimeGaps(name: string, kind: TimeKind, times: Float64Array, lines: Int32Array, cells: (row: number) => string): string {
  const n = times.length;
  if (n < 2) return `time column "${name}": 1 row`;
  const diffs = Array.from({ length: n - 1 }, (_, i) => times[i + 1] - times[i]);
  const median = [...diffs].sort((a, b) => a - b)[Math.floor(diffs.length / 2)];
  // Monthly and yearly dates step by calendar units; anything else by the median difference.
  const unit = kind === 'date' && median >= 28 * DAY_MS && median <= 31 * DAY_MS ? 1
    : kind === 'date' && median >= 365 * DAY_MS && median <= 366 * DAY_MS ? 12 : 0;
  const steps = (i: number) => (unit ? (monthIndex(times[i + 1]) - monthIndex(times[i])) / unit : diffs[i] / median);
  let gaps = 0;
  let largest = -1;
  for (let i = 0; i < n - 1; i++) {
    if (steps(i) > 1.5) {
      gaps++;
      if (largest < 0 || steps(i) > steps(largest)) largest = i;
    }
  }
  const stepText = unit === 1 ? '1 month' : unit === 12 ? '1 year' : kind === 'date' ? duration(median) : String(median);
  const range = `${n} rows from ${cells(0).trim()} to ${cells(n - 1).trim()}, step ${stepText}`;
  if (!gaps) return `time column "${name}": ${range}, no gaps`;
  const span = unit === 1 ? plural(Math.round(steps(largest)), 'month') : unit === 12 ? plural(Math.round(steps(largest)), 'year')
    : kind === 'date' ? duration(diffs[largest]) : String(diffs[largest]);
  return `time column "${name}": ${range}; ${plural(gaps, 'gap')}, the largest ${span} (from ${cells(largest).trim()} to ${cells(largest + 1).trim()}, line ${lines[largest + 1]})`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A millisecond span in the largest whole unit that divides it (days, hours, minutes, seconds). */
function duration(ms: number): string {
  for (const [unit, size] of [['day', DAY_MS], ['hour', 3600000], ['minute', 60000], ['second', 1000]] as const) {
    if (ms >= size && ms % size === 0) return plural(ms / size, unit);
  }
  return `${ms} ms`;
}

/** The phase φ ∈ [0, 1) of a calendar feature at wall-clock time `ms`. */
export function calendarPhase(feature: CalendarFeature, ms: number): number {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  switch (feature) {
    case 'dayOfWeek': return ((d.getUTCDay() + 6) % 7) / 7;
    case 'dayOfMonth': return (d.getUTCDate() - 1) / daysInMonth(year, d.getUTCMonth() + 1);
    case 'dayOfYear': {
      const days = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
      return Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / DAY_MS) / days;
    }
    case 'month': return d.getUTCMonth() / 12;
    case 'hour': return (d.getUTCHours() + d.getUTCMinutes() / 60 + (d.getUTCSeconds() + d.getUTCMilliseconds() / 1000) / 3600) / 24;
  }
}

/** The 2K input features of K calendar features at each time: [sin 2πφ₁, cos 2πφ₁, sin 2πφ₂, …] per row. */
export function calendarColumns(features: readonly CalendarFeature[], times: Float64Array): Float64Array[] {
  return features.flatMap((feature) => {
    const sin = new Float64Array(times.length);
    const cos = new Float64Array(times.length);
    times.forEach((ms, r) => {
      const angle = 2 * Math.PI * calendarPhase(feature, ms);
      sin[r] = Math.sin(angle);
      cos[r] = Math.cos(angle);
    });
    return [sin, cos];
  });
}
