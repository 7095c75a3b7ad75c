/**
 * CSV time series → `PreparedDataset`: the value columns (the time column apart), calendar features,
 * blank cells per `data.missing`, windows per split, z-score statistics from the training rows.
 * Validation and test files append to the training rows, so their first windows take their context
 * from the end of the training series; a test file that stands alone (`eval --data`) gives its own
 * context: its first window rows are only inputs.
 */
import { targetNames, type ResolvedSpec } from '../spec';
import { readCsvColumns, type CsvColumns } from './csvTable';
import { DataError } from './dataError';
import type { DataWarning, Example, PreparedDataset, Split } from './dataset';
import { heldOutCount } from './splits';
import { describeTimeGaps } from './timeColumn';
import { appendSeries, asSeries, requireWindows, seriesStatistics, seriesWindows, targetLevelStd, windowOptions } from './timeSeries';

type Read = (relPath: string) => Uint8Array;

export function prepareSeries(
  spec: ResolvedSpec, load: Read, validationFile: string | undefined, validationFraction: number, testStandsAlone: boolean,
): Omit<PreparedDataset, 'hashes'> {
  const { data } = spec;
  const calendar = data.calendar ?? [];
  const warnings: DataWarning[] = [];
  const notes: string[] = [];
  const read = (path: string, columns: readonly string[] | undefined): CsvColumns => {
    const table = readCsvColumns(load(path), path, { columns, time: data.time, delimiter: data.delimiter, missing: data.missing });
    if (table.time && calendar.length && table.time.kind !== 'date') {
      throw new DataError(path, table.lines[0], 1, `data.calendar needs dates in the time column "${table.time.name}", got ${table.time.cells[0].trim()}: expected ISO 8601 dates such as 2020-01-31`);
    }
    if (table.time) notes.push(`${path}: ${describeTimeGaps(table.time.name, table.time.kind, table.time.times, table.lines, (r) => table.time!.cells[r])}`);
    warnings.push(...table.warnings);
    return table;
  };
  // The targets are inputs too: listed columns, then any target they lack.
  const targets = targetNames(data.target);
  const wanted = data.columns && [...data.columns, ...targets.filter((t) => !data.columns!.includes(t))];
  let trainColumns = read(data.train, wanted);
  const lacking = targets.filter((t) => !trainColumns.names.includes(t));
  if (lacking.length) {
    notes.length = 0;
    warnings.length = 0;
    trainColumns = read(data.train, [...trainColumns.names, ...lacking]);
  }
  const names = trainColumns.names;
  const options = windowOptions(spec, (targets.length ? targets : [names[names.length - 1]]).map((t) => names.indexOf(t)));
  const series = asSeries(trainColumns, calendar);
  const rows = series.lines.length;
  const trainEnd = rows - (validationFile ? 0 : heldOutCount(rows, validationFraction));
  const stats = {
    ...seriesStatistics(series, trainEnd, options, data.normalize),
    ...(data.time !== undefined && { time: data.time }),
    ...(calendar.length && { calendar: [...calendar] }),
  };
  const train = requireWindows(seriesWindows(series, 0, trainEnd, options, stats), series, 'training', options);
  const after = (path: string) => {
    const more = asSeries(read(path, names), calendar);
    return seriesWindows(appendSeries(series, more), rows, rows + more.lines.length, options, stats);
  };
  const validation = validationFile ? after(validationFile) : seriesWindows(series, trainEnd, rows, options, stats);
  const alone = (path: string) => {
    const own = asSeries(read(path, names), calendar);
    return requireWindows(seriesWindows(own, 0, own.lines.length, options, stats), own, 'evaluation', options);
  };
  const test = data.test === undefined ? undefined : testStandsAlone ? alone(data.test) : after(data.test);
  const examples = (e: Example[]): Split => ({ kind: 'examples', examples: e });
  return {
    task: spec.task,
    kind: 'timeseries',
    featureSize: names.length + series.calendar.length,
    targetSize: options.targetColumns.length * (options.task === 'many-to-one' ? options.forecastSteps : 1),
    targetStd: targetLevelStd(series, trainEnd, options),
    normalization: stats,
    train: examples(train),
    validation: examples(validation),
    ...(test && { test: examples(test) }),
    ...(warnings.length && { warnings }),
    ...(notes.length && { notes }),
  };
}
