/**
 * `rnn-lab predict <run> (--input JSON | --file F)`: outputs for one input, or for each line of a
 * file (JSONL objects with the spec's input key, JSON values, or plain text lines). Every input is
 * checked before any prediction is printed; a bad one exits 2 naming file:line:column.
 * `--json` prints one `Prediction` per line (with `line` for --file); see src/train/prediction.ts.
 * `--hidden` adds every layer's T×W hidden states (`hidden`, see src/train/hiddenStates.ts).
 * `--attention` (seq2seq with `model.attention`) adds `attention` (generated tokens × source steps) and `sourceTokens`.
 */
import { decodeUtf8 } from '../../data/utf8';
import type { Batch } from '../../engine/types';
import { InputError } from '../../train/errors';
import { hiddenStates, type HiddenStates } from '../../train/hiddenStates';
import { loadRun, type LoadedRun } from '../../train/loadedRun';
import { inputBatch, predictBatch, type InputPlace, type Prediction } from '../../train/prediction';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';
import { locateRun } from '../runLocation';

export interface PredictCommandOptions extends AllowRootOptions { input?: string; file?: string; json?: boolean; hidden?: boolean; attention?: boolean }

/** Classes listed by the words output of a classifier's prediction. */
const SHOWN_CLASSES = 5;

function describe(p: Prediction): string {
  switch (p.kind) {
    case 'class':
      return `${p.label}  (${p.classes.slice(0, SHOWN_CLASSES).map((c) => `${c.label} ${c.probability.toFixed(3)}`).join(', ')})`;
    case 'labels':
      return p.labels.map((label, t) => (p.tokens ? `${p.tokens[t]}/${label}` : label)).join(' ');
    case 'next':
      return p.top.map((t) => `${JSON.stringify(t.token)} ${t.probability.toFixed(3)}`).join(', ');
    case 'values':
      return p.values.map((v) => Number(v.toPrecision(6))).join(' ');
    case 'sequence':
      return `${p.text}${p.ended ? '' : ' …(no <eos>)'}  (log p ${p.logProbability.toFixed(3)})`;
  }
}

/** Each layer's states as T lines (step, then W values) under the layer's label and shape. */
function describeHidden(hidden: HiddenStates): string {
  return hidden.layers.map((layer) => `${layer.label} (${layer.states.length}×${layer.width}):\n` +
    layer.states.map((row, t) => `  ${JSON.stringify(hidden.steps[t])} ${row.map((v) => v.toFixed(3)).join(' ')}`).join('\n')).join('\n') + '\n';
}

/** seq2seq with --attention: one line per generated token, its weights over the source tokens. */
function describeAttention(p: Prediction): string {
  if (p.kind !== 'sequence' || !p.attention || !p.sourceTokens) return '';
  const source = p.sourceTokens;
  return p.attention.map((row, t) => `  ${JSON.stringify(p.tokens[t])} ← ${row.map((a, j) => `${source[j]} ${a.toFixed(2)}`).join(', ')}`).join('\n') + (p.attention.length ? '\n' : '');
}

/** A JSON value, or the text itself when it is not JSON (a plain string input). */
export function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The key holding a record's input in the run's JSONL files. */
function inputKey(run: LoadedRun): string {
  return run.model.config.task === 'seq2seq' ? run.spec.data.sourceKey : run.spec.data.inputKey;
}

/** One input per non-blank line of `file`: a JSONL object's input key, a JSON value (`{series, rows}` too), or the text. */
export function readInputs(run: LoadedRun, file: string, files: FileAccess): { raw: unknown; place: Required<InputPlace> }[] {
  const text = decodeUtf8(files.read(file), file);
  const key = inputKey(run);
  const inputs: { raw: unknown; place: Required<InputPlace> }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const value = parseInput(line);
    const place = { file, line: i + 1, column: 1 };
    const seriesInput = value && typeof value === 'object' && 'series' in value && 'rows' in value; // {series, rows}: one series' rows
    if (value && typeof value === 'object' && !Array.isArray(value) && !(seriesInput && !(key in value))) {
      if (!(key in value)) throw new InputError(`expected an object with the input key "${key}", got keys ${JSON.stringify(Object.keys(value))}`, file, i + 1, 1);
      inputs.push({ raw: (value as Record<string, unknown>)[key], place: { ...place, column: line.indexOf(JSON.stringify(key)) + 1 || 1 } });
    } else {
      inputs.push({ raw: value, place });
    }
  });
  if (inputs.length === 0) throw new InputError('empty file: expected one input a line', file, 1, 1);
  return inputs;
}

export async function predictCommand(runArgument: string, options: PredictCommandOptions): Promise<void> {
  const json = options.json ?? false;
  try {
    if ((options.input === undefined) === (options.file === undefined)) throw new InputError('expected exactly one of --input or --file', runArgument);
    const files = FileAccess.fromOptions(options);
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const run = await loadRun(files.runStore(runsDir), runId);
    const inputs = options.file !== undefined
      ? readInputs(run, options.file, files)
      : [{ raw: parseInput(options.input!), place: { file: '--input', line: 0, column: 0 } }];
    const batches: Batch[] = inputs.map(({ raw, place }) => inputBatch(run, raw, place));
    batches.forEach((batch, i) => {
      const prediction = predictBatch(run, batch, { attention: options.attention ?? false });
      const hidden = options.hidden ? hiddenStates(run, batch) : undefined;
      const line = options.file !== undefined ? inputs[i].place.line : undefined;
      if (json) process.stdout.write(JSON.stringify({ ...(line === undefined ? {} : { line }), ...prediction, ...(hidden ? { hidden } : {}) }) + '\n');
      else process.stdout.write((line === undefined ? '' : `${options.file}:${line}  `) + describe(prediction) + '\n' + (hidden ? describeHidden(hidden) : '') + describeAttention(prediction));
    });
  } catch (error) {
    fail(error, runArgument, json);
  }
}
