/**
 * CSV time series for the export checks, written as a user's files are: numbers with up to 3 decimals
 * (some in exponent form), ISO 8601 date-times with gaps, two interleaved series, blank cells.
 */
import type { Rng } from '../../../src/engine/random';

/** A number cell with up to 3 decimals, as a user's file writes it (some in exponent form). */
export const cell = (v: number, i: number) => (i % 11 === 5 ? v.toExponential(3) : String(Math.round(v * 1000) / 1000));

/** An ISO 8601 date-time cell i steps (days, with gaps and varying hours) after 2021-01-28. */
function dateCell(i: number): string {
  const day = i + Math.floor(i / 9) * 2;
  return new Date(Date.UTC(2021, 0, 28 + day, (i * 5) % 24, i % 2 ? 30 : 0)).toISOString().slice(0, 16);
}

/**
 * Two stores' rows interleaved (data.groupBy "store"), semicolon-separated with a quoted cell, a date
 * time column, blank cells to interpolate in time; `from` shifts the dates (a test file continues the series).
 */
export function storesCsv(rng: Rng, rows: number, from = 0): string {
  const lines = ['date;store;sales;"temp, C";note'];
  for (let i = from; i < from + rows; i++) {
    for (const store of ['north', 'south']) {
      const scale = store === 'north' ? 1 : 40;
      const sales = i % 13 === 3 && store === 'north' ? '' : cell(scale * (20 + 10 * Math.sin(i / 3) + rng.next()), i);
      const temp = i % 17 === 8 ? ' ' : cell(5 + 3 * Math.cos(i / 5) + rng.next() - (store === 'south' ? 2 : 0), i + 1);
      lines.push(`${dateCell(i)};"${store}";${sales};${temp};"x;${i}"`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}

