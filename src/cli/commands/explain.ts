/**
 * `rnn-lab explain <run> (--input JSON | --file F --line N) [--target L] [--step t] [--method ig|gradxinput] [--steps m]`:
 * which input steps drove one output (src/train/explanation.ts). The run is loaded in float64 so
 * that the completeness error measures the integration, not float32 rounding.
 * `--file F --line N` explains the input on line N of a dataset file, read as `predict --file` reads it.
 * `--json` prints one `Explanation` line (`kind: 'explanation'`).
 */
import type { AttributionMethod } from '../../engine/inputAttribution';
import { InputError } from '../../train/errors';
import { explainBatch, type Explanation } from '../../train/explanation';
import { loadRun, type LoadedRun } from '../../train/loadedRun';
import { inputBatch, type InputBatch } from '../../train/prediction';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';
import { locateRun } from '../runLocation';
import { parseInput, readInputs } from './predict';

export interface ExplainCommandOptions extends AllowRootOptions {
  input?: string;
  file?: string;
  line?: number;
  target?: string;
  step?: number;
  method?: AttributionMethod;
  steps?: number;
  json?: boolean;
}

/** Width of the longest attribution bar in the words output. */
const BAR = 24;

/** One line a step (a line a step × column for features): the input, the attribution, a bar. */
function describe(e: Explanation): string {
  const head = `${e.method === 'ig' ? 'integrated gradients' : 'gradient × input'} of ${JSON.stringify(e.target)}` +
    `${e.step === undefined ? '' : ` at step ${e.step}`} (prediction ${JSON.stringify(e.prediction)}; f(x) ${e.output.toFixed(4)}, f(0) ${e.baselineOutput.toFixed(4)}, completeness error ${e.completenessError.toExponential(2)})`;
  const largest = Math.max(1e-12, ...e.attributions.map(Math.abs));
  const X = e.shape[1] ?? 1;
  const rows = e.attributions.map((a, i) => {
    const t = Math.floor(i / X);
    const name = e.tokens ? JSON.stringify(e.tokens[t]) : `${t}${e.shape[1] === undefined ? '' : `·${e.columns?.[i % X] ?? i % X}`}`;
    const bar = (a >= 0 ? '+' : '-').repeat(Math.round((BAR * Math.abs(a)) / largest));
    return `  ${name.padEnd(12)} ${a.toFixed(4).padStart(9)} ${bar}`;
  });
  return [head, ...rows].join('\n') + '\n';
}

/** The input on line `line` of `file` (1-based), as a batch. */
function lineBatch(run: LoadedRun, file: string, line: number, files: FileAccess): InputBatch {
  const found = readInputs(run, file, files).find((input) => input.place.line === line);
  if (!found) throw new InputError(`no input on line ${line}: expected a non-blank line of the file`, file, line, 1);
  return inputBatch(run, found.raw, found.place);
}

export async function explainCommand(runArgument: string, options: ExplainCommandOptions): Promise<void> {
  const json = options.json ?? false;
  try {
    if ((options.input === undefined) === (options.file === undefined)) throw new InputError('expected exactly one of --input or --file (with --line)', runArgument);
    if (options.file !== undefined && options.line === undefined) throw new InputError('--file needs --line: the line of the input to explain', options.file);
    const files = FileAccess.fromOptions(options);
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const run = await loadRun(files.runStore(runsDir), runId, 'float64');
    const batch = options.file !== undefined ? lineBatch(run, options.file, options.line!, files) : inputBatch(run, parseInput(options.input!), '--input');
    const explanation = explainBatch(run, batch, { target: options.target, step: options.step, method: options.method, steps: options.steps });
    process.stdout.write(json ? JSON.stringify(explanation) + '\n' : describe(explanation));
  } catch (error) {
    fail(error, runArgument, json);
  }
}
