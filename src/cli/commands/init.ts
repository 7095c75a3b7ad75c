/** `rnn-lab init <dataset>`: writes `<name>.rnn.json` beside the dataset, task and keys inferred. */
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inferSpecFromDataset } from '../../data';
import type { ModelSpec } from '../../modelSpec';
import { InputError } from '../../train/errors';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';

export function initCommand(dataset: string, options: AllowRootOptions & { force?: boolean }): void {
  const datasetPath = path.resolve(dataset);
  try {
    const bytes = FileAccess.fromOptions(options).read(datasetPath);
    const spec = inferSpecFromDataset(path.basename(datasetPath), bytes);
    const base = path.basename(datasetPath).replace(/\.[^.]+$/, '');
    const specPath = path.join(path.dirname(datasetPath), `${base}.rnn.json`);
    if (existsSync(specPath) && !options.force) throw new InputError('already exists (use --force to overwrite it)', specPath);
    writeFileSync(specPath, JSON.stringify(spec, null, 2) + '\n');
    process.stdout.write(`Wrote ${path.relative(process.cwd(), specPath) || specPath} (task ${spec.task}). Train it with: rnn-lab train ${path.relative(process.cwd(), specPath)}\n`);
    const series = seriesKeysText(spec.data);
    if (series) process.stdout.write(`${series}\n`);
  } catch (error) {
    fail(error, datasetPath, false);
  }
}

/** What `init` found in a CSV series beyond its columns, in one line (empty when nothing). */
function seriesKeysText(data: ModelSpec['data']): string {
  const found = [
    data.time !== undefined && `time column "${data.time}" (never an input)`,
    data.calendar?.length && `calendar features ${data.calendar.join(', ')}`,
    data.season !== undefined && `season ${data.season} for the seasonal naive forecast`,
    data.groupBy !== undefined && `several series, named by column "${data.groupBy}" (data.groupBy)`,
    data.missing === 'interpolate' && 'a few blank cells, filled by interpolation (data.missing)',
  ].filter((part): part is string => typeof part === 'string');
  return found.length ? `Found: ${found.join('; ')}.` : '';
}
