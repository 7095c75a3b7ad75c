/**
 * The CSV time-series part of the dataset preview: each used column against the time column (or the
 * row number), blank or unreadable cells as null, gaps of the time column, and where validation and
 * test rows start (the tail held out of the train file, or the rows of the validation and test
 * files, which continue it). With `data.groupBy` the first series is shown.
 */
import { targetNames, type ResolvedSpec } from '../../modelSpec';
import { isNumberCell, numericColumns, parseCsvRows } from '../csvTable';
import { DataError } from '../dataError';
import { heldOutCount } from '../splits';
import { parseTimeCell } from '../timeColumn';
import { decodeUtf8 } from '../utf8';
import type { SeriesPreview } from './previewTypes';

type Read = (relPath: string) => Uint8Array;

/** Points plotted per column at most (every `stride`-th row beyond). */
const MAX_POINTS = 4000;
const MAX_GAPS = 200;

interface Rows { x: number[]; cells: string[][]; firstLine: number }

export function seriesPreview(spec: ResolvedSpec, read: Read): SeriesPreview {
  const { data } = spec;
  const train = decodeUtf8(read(data.train), data.train);
  const { header, rows: allRows } = parseCsvRows(train, data.train, data.delimiter);
  const targets = targetNames(data.target);
  const names = data.columns
    ? [...data.columns, ...targets.filter((t) => !data.columns!.includes(t))]
    : numericColumns(header, allRows).filter((name) => name !== data.time && name !== data.groupBy);
  const groupIndex = data.groupBy === undefined ? -1 : header.indexOf(data.groupBy);
  const seriesIds = new Set(groupIndex < 0 ? [''] : allRows.map((r) => r.record[groupIndex] ?? ''));
  const shown = [...seriesIds][0];
  const ofShown = (file: string, text: string): Rows => {
    const parsed = file === data.train ? { header, rows: allRows } : parseCsvRows(text, file, data.delimiter);
    const rows = groupIndex < 0 ? parsed.rows : parsed.rows.filter((r) => (r.record[parsed.header.indexOf(data.groupBy!)] ?? '') === shown);
    const timeIndex = data.time === undefined ? -1 : parsed.header.indexOf(data.time);
    const indices = names.map((name) => {
      const i = parsed.header.indexOf(name);
      if (i < 0) throw new DataError(file, 1, 1, `no column "${name}" in the header: expected one of ${parsed.header.map((h) => `"${h}"`).join(', ')}`);
      return i;
    });
    return {
      x: rows.map((r, k) => (timeIndex < 0 ? k : parseTimeCell(r.record[timeIndex] ?? '')?.value ?? NaN)),
      cells: rows.map((r) => indices.map((i) => r.record[i] ?? '')),
      firstLine: rows[0]?.info.lines ?? 1,
    };
  };
  const parts: { split: 'train' | 'validation' | 'test'; rows: Rows }[] = [{ split: 'train', rows: ofShown(data.train, train) }];
  if (typeof data.validation === 'string') parts.push({ split: 'validation', rows: ofShown(data.validation, decodeUtf8(read(data.validation), data.validation)) });
  if (data.test !== undefined) parts.push({ split: 'test', rows: ofShown(data.test, decodeUtf8(read(data.test), data.test)) });

  const x: number[] = [];
  const cells: string[][] = [];
  const boundaries: SeriesPreview['boundaries'] = [];
  for (const { split, rows } of parts) {
    // Rows without a time continue the row count.
    const offset = data.time === undefined ? x.length : 0;
    if (split !== 'train' && rows.x.length) boundaries.push({ split, x: rows.x[0] + offset });
    for (let i = 0; i < rows.x.length; i++) {
      x.push(rows.x[i] + offset);
      cells.push(rows.cells[i]);
    }
  }
  if (typeof data.validation !== 'string') {
    const trainRows = parts[0].rows.x.length;
    const held = heldOutCount(trainRows, data.validation.fraction);
    if (held > 0) boundaries.unshift({ split: 'validation', x: x[trainRows - held] });
  }
  const timeKind = data.time === undefined ? 'row' : (parseTimeCell(allRows[0]?.record[header.indexOf(data.time)] ?? '')?.kind ?? 'number');
  const stride = Math.max(1, Math.ceil(x.length / MAX_POINTS));
  const kept = x.map((_, i) => i).filter((i) => i % stride === 0);
  return {
    x: { name: data.time ?? 'row', kind: timeKind, values: kept.map((i) => x[i]) },
    columns: names.map((name, c) => {
      let missing = 0;
      for (const row of cells) if (!isNumberCell(row[c])) missing++;
      return { name, missing, values: kept.map((i) => (isNumberCell(cells[i][c]) ? Number(cells[i][c]) : null)) };
    }),
    gaps: timeGaps(x),
    boundaries,
    ...(groupIndex >= 0 && { series: { shown, count: seriesIds.size } }),
    stride,
  };
}

/** Steps of an ascending time axis more than 1.5 times its median step (a month of 31 days is not a gap). */
export function timeGaps(x: readonly number[]): { from: number; to: number }[] {
  const steps = x.slice(1).map((v, i) => v - x[i]).filter((d) => Number.isFinite(d) && d > 0).sort((a, b) => a - b);
  if (steps.length === 0) return [];
  const usual = steps[Math.floor(steps.length / 2)];
  const gaps: { from: number; to: number }[] = [];
  for (let i = 1; i < x.length && gaps.length < MAX_GAPS; i++) if (x[i] - x[i - 1] > 1.5 * usual) gaps.push({ from: x[i - 1], to: x[i] });
  return gaps;
}
