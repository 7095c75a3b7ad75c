/** `rnn-lab predict <run> (--input JSON | --file F)`: outputs for one input, or for each line of a file. */
import { readFileSync } from 'node:fs';
import { InputError } from '../../train/errors';
import { loadRun } from '../../train/loadedRun';
import { NodeRunStore } from '../../train/nodeRunStore';
import { predict, type Prediction } from '../../train/prediction';
import { fail } from '../failure';
import { locateRun } from '../runLocation';

export interface PredictCommandOptions { input?: string; file?: string; json?: boolean }

function describe(p: Prediction): string {
  switch (p.kind) {
    case 'class': {
      const top = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]).slice(0, 5);
      return `${p.label}  (${top.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')})`;
    }
    case 'labels':
      return p.labels.join(' ');
    case 'next':
      return p.top.map((t) => `${JSON.stringify(t.token)} ${t.probability.toFixed(3)}`).join(', ');
    case 'values':
      return p.values.map((v) => v.toPrecision(6)).join(' ');
  }
}

/** A JSON value, or the text itself when it is not JSON (a plain string input). */
function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function predictCommand(runArgument: string, options: PredictCommandOptions): Promise<void> {
  const json = options.json ?? false;
  try {
    if ((options.input === undefined) === (options.file === undefined)) throw new InputError('expected exactly one of --input or --file', runArgument);
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const run = await loadRun(new NodeRunStore(runsDir), runId);
    const inputs: { raw: unknown; where: string }[] = [];
    if (options.input !== undefined) inputs.push({ raw: parseInput(options.input), where: '--input' });
    else {
      let text: string;
      try {
        text = readFileSync(options.file!, 'utf8');
      } catch {
        throw new InputError('cannot read the file', options.file!);
      }
      text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        const value = parseInput(line);
        const key = run.spec.data.inputKey;
        const raw = value && typeof value === 'object' && !Array.isArray(value) && key in value ? (value as Record<string, unknown>)[key] : value;
        inputs.push({ raw, where: `${options.file}:${i + 1}:1` });
      });
    }
    for (const { raw, where } of inputs) {
      const prediction = predict(run, raw, where);
      process.stdout.write((json ? JSON.stringify(prediction) : describe(prediction)) + '\n');
    }
  } catch (error) {
    fail(error, runArgument, json);
  }
}
