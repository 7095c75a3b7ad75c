/**
 * `rnn-lab sample <run>`: text from a language model (priming, temperature, top-k, greedy), or the
 * decoding of `--input` by a seq2seq (greedy or beam) or one-to-many model (an input vector).
 */
import { Rng } from '../../engine/random';
import type { Batch } from '../../engine/types';
import { InputError } from '../../train/errors';
import { loadRun } from '../../train/loadedRun';
import { NodeRunStore } from '../../train/nodeRunStore';
import { inputBatch } from '../../train/prediction';
import { beamSearch, greedyDecodeBatch, sampleStream } from '../../train/sampling';
import { fail } from '../failure';
import { locateRun } from '../runLocation';

export interface SampleCommandOptions {
  length: number; temperature: number; topK: number; greedy?: boolean; beam?: number; prime?: string; input?: string; seed: number;
}

function parseJsonArgument(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text === '' ? undefined : option === '--input' ? text : undefined;
  }
}

export async function sampleCommand(runArgument: string, options: SampleCommandOptions): Promise<void> {
  try {
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const run = await loadRun(new NodeRunStore(runsDir), runId);
    const { model } = run;
    const task = model.config.task;
    if (task === 'seq2seq' || task === 'one-to-many') {
      const vocab = run.outputVocab;
      if (!vocab) throw new InputError('this run has no output vocabulary', runArgument);
      if (options.input === undefined) throw new InputError(`a ${task} model needs --input (${task === 'seq2seq' ? 'the source sequence' : 'a JSON array, the input vector'})`, '--input');
      const raw = parseJsonArgument(options.input, '--input');
      let batch: Batch;
      if (task === 'seq2seq') {
        batch = inputBatch(run, raw, '--input');
      } else {
        const size = model.config.initVectorSize ?? 0;
        if (!Array.isArray(raw) || raw.length !== size || raw.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
          throw new InputError(`expected a JSON array of ${size} numbers, got ${options.input}`, '--input');
        }
        batch = { batchSize: 1, steps: 1, lengths: Int32Array.of(1), initVectors: Float32Array.from(raw as number[]) };
      }
      const maxSteps = options.length || 3 * Math.max(1, batch.steps);
      const out = options.beam && options.beam > 1
        ? beamSearch(model, batch, vocab.bos, vocab.eos, options.beam, maxSteps)
        : greedyDecodeBatch(model, batch, vocab.bos, vocab.eos, maxSteps)[0];
      process.stdout.write(vocab.decode(out) + '\n');
      return;
    }
    const vocab = run.inputVocab;
    if (!vocab || task !== 'many-to-many' || run.labels) throw new InputError('sample needs a language model, seq2seq or one-to-many run', runArgument);
    const primeText = options.prime ?? (vocab.has('\n') ? '\n' : vocab.token(2));
    const prime = vocab.encode(vocab.split(primeText));
    if (prime.length === 0) throw new InputError('expected a priming text with at least one token', '--prime');
    const generated = sampleStream(model, prime, {
      length: options.length || 500, temperature: options.temperature, topK: options.topK, greedy: options.greedy ?? false, rng: new Rng(options.seed),
    });
    process.stdout.write(primeText + (vocab.unit === 'word' ? ' ' : '') + vocab.decode(generated) + '\n');
  } catch (error) {
    fail(error, runArgument, false);
  }
}
