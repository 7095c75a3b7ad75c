/**
 * CSV time series → `PreparedDataset`: the value columns (the time and series columns apart),
 * calendar features, blank cells per `data.missing`, windows per split, z-score statistics from the
 * training rows. With `data.groupBy` each series is windowed on its own (no window crosses two),
 * the validation tail is the last fraction of each, and `normalize: "perSeries"` gives each its own
 * statistics (`Normalization.series`). Validation and test files append to the training rows of
 * the same series, so their first windows take their context from the end of it; a test file that
 * stands alone (`eval --data`), or a series training lacks, gives its own context: its first window
 * rows are only inputs. A stored run's statistics (`stored`: eval, resume) are used as they are.
 */
import { targetNames, type ResolvedSpec } from '../modelSpec';
import { readCsvGroups, type CsvColumns } from './csvTable';
import { DataError } from './dataError';
import type { DataWarning, Example, Normalization, PreparedDataset, Split } from './dataset';
import { heldOutCount } from './splits';
import { describeTimeGaps } from './timeColumn';
import {
  appendSeries, asSeries, requireWindows, seriesStatistics, seriesWindows, targetLevelStd, windowOptions,
  type Series, type SeriesPart,
} from './timeSeries';

type Read = (relPath: string) => Uint8Array;
interface Group { id: string; columns: CsvColumns }

export function prepareSeries(
  spec: ResolvedSpec, load: Read, validationFile: string | undefined, validationFraction: number, testStandsAlone: boolean,
  stored?: Normalization,
): Omit<PreparedDataset, 'hashes'> {
  const { data } = spec;
  const calendar = data.calendar ?? [];
  const grouped = data.groupBy !== undefined;
  const warnings: DataWarning[] = [];
  const notes: string[] = [];
  const read = (path: string, columns: readonly string[] | undefined): Group[] => {
    const groups = readCsvGroups(load(path), path, { columns, time: data.time, group: data.groupBy, delimiter: data.delimiter, missing: data.missing });
    for (const { columns: table } of groups) {
      const kind = groups[0].columns.time?.kind;
      if (table.time && ((calendar.length && table.time.kind !== 'date') || table.time.kind !== kind)) {
        const expected = calendar.length ? 'ISO 8601 dates such as 2020-01-31 (data.calendar needs dates)' : `times of one kind (the first series has ${kind === 'date' ? 'dates' : 'numbers'})`;
        throw new DataError(path, table.lines[0], 1, `time column "${table.time.name}": got ${table.time.cells[0].trim()}: expected ${expected}`);
      }
      warnings.push(...table.warnings);
    }
    const timeNote = timeNotes(groups);
    if (timeNote) notes.push(`${path}: ${timeNote}`);
    return groups;
  };
  // The targets are inputs too: listed columns, then any target they lack.
  const targets = targetNames(data.target);
  const wanted = data.columns && [...data.columns, ...targets.filter((t) => !data.columns!.includes(t))];
  let trainGroups = read(data.train, wanted);
  const lacking = targets.filter((t) => !trainGroups[0].columns.names.includes(t));
  if (lacking.length) {
    notes.length = 0;
    warnings.length = 0;
    trainGroups = read(data.train, [...trainGroups[0].columns.names, ...lacking]);
  }
  const names = trainGroups[0].columns.names;
  const options = windowOptions(spec, (targets.length ? targets : [names[names.length - 1]]).map((t) => names.indexOf(t)));
  const train = new Map<string, SeriesPart>(trainGroups.map(({ id, columns }) => {
    const series = asSeries(columns, calendar);
    const rows = series.lines.length;
    return [id, { series, end: rows - (validationFile ? 0 : heldOutCount(rows, validationFraction)) }];
  }));
  // A stored run's statistics (eval, resume) as they are; else the training rows'.
  const pooled: Normalization = stored ?? {
    ...seriesStatistics([...train.values()], options, data.normalize !== false),
    ...(data.time !== undefined && { time: data.time }),
    ...(calendar.length && { calendar: [...calendar] }),
    ...(grouped && { groupBy: data.groupBy }),
  };
  const perSeries: Map<string, Pick<Normalization, 'mean' | 'std'>> | undefined = stored
    ? (stored.series ? new Map(Object.entries(stored.series)) : undefined)
    : data.normalize === 'perSeries' ? new Map([...train].map(([id, part]) => [id, seriesStatistics([part], options, true)])) : undefined;
  const statsOf = (id: string): Normalization => {
    const own = perSeries?.get(id);
    return own ? { ...pooled, mean: own.mean, std: own.std } : pooled;
  };
  const tagged = (id: string, examples: Example[]) => (grouped ? examples.map((e) => ({ ...e, series: id })) : examples);
  const windows = (id: string, series: Series, from: number, to: number) => tagged(id, seriesWindows(series, from, to, options, statsOf(id)));
  const trainExamples = [...train].flatMap(([id, { series, end }]) => windows(id, series, 0, end));
  requireWindows(trainExamples, [...train.values()].at(-1)!.series, 'training', options);
  // A later file: each series continues its training rows, or (standing alone, or new) gives its own context.
  let lastRead: Series | undefined;
  const after = (path: string, alone: boolean): Example[] => read(path, names).flatMap(({ id, columns }) => {
    const more = asSeries(columns, calendar);
    lastRead = more;
    const before = alone ? undefined : train.get(id);
    if (perSeries && !perSeries.has(id)) {
      throw new DataError(path, columns.lines[0], 1, `series "${id}" is not in the training data: expected one of its series (data.normalize "perSeries" needs each series' statistics)`);
    }
    if (!before) return windows(id, more, 0, more.lines.length);
    const rows = before.series.lines.length;
    return windows(id, appendSeries(before.series, more), rows, rows + more.lines.length);
  });
  const validation = validationFile ? after(validationFile, false) : [...train].flatMap(([id, { series, end }]) => windows(id, series, end, series.lines.length));
  let test: Example[] | undefined;
  if (data.test !== undefined) {
    test = after(data.test, testStandsAlone);
    if (testStandsAlone) requireWindows(test, lastRead!, 'evaluation', options);
  }
  const examples = (e: Example[]): Split => ({ kind: 'examples', examples: e });
  return {
    task: spec.task,
    kind: 'timeseries',
    featureSize: names.length + 2 * calendar.length,
    targetSize: options.targetColumns.length * (options.task === 'many-to-one' ? options.forecastSteps : 1),
    targetStd: targetLevelStd([...train.values()], options),
    normalization: perSeries ? { ...pooled, series: Object.fromEntries([...perSeries].map(([id, s]) => [id, { mean: s.mean, std: s.std }])) } : pooled,
    train: examples(trainExamples),
    validation: examples(validation),
    ...(test && { test: examples(test) }),
    ...(warnings.length && { warnings }),
    ...(notes.length && { notes }),
  };
}

/** The time column's line for a file: its one series', or a summary over several. */
function timeNotes(groups: readonly Group[]): string | undefined {
  const described = groups.flatMap(({ id, columns: { time, lines } }) =>
    (time ? [{ id, text: describeTimeGaps(time.name, time.kind, time.times, lines, (r) => time.cells[r]) }] : []));
  if (!described.length) return undefined;
  if (described.length === 1) return described[0].text;
  const gapped = described.filter((d) => !d.text.endsWith('no gaps'));
  const first = gapped[0] ?? described[0];
  return `${described.length} series; ${gapped.length ? `${gapped.length} with gaps, the first: series "${first.id}": ${first.text}` : `no gaps; series "${first.id}": ${first.text}`}`;
}
