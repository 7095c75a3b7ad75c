/**
 * `rnn-lab sample <run>`: text from a language model (priming, temperature, top-k, greedy), or the
 * decoding of `--input` by a seq2seq or one-to-many model (greedy by default; sampled with
 * --temperature / --top-k; beam search with --beam). Same seed, same output.
 */
import type { Vocabulary } from '../../data/vocabulary';
import { Rng } from '../../engine/random';
import { InputError } from '../../train/errors';
import { loadRun, type LoadedRun } from '../../train/loadedRun';
import { inputBatch } from '../../train/prediction';
import { argmax, beamSearch, decodeFrom, neverGenerated, sampleStream, tokenChooser, type TokenChooser } from '../../train/sampling';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';
import { locateRun } from '../runLocation';

export interface SampleCommandOptions extends AllowRootOptions {
  length?: number; temperature?: number; topK?: number; greedy?: boolean; beam?: number; prime?: string; input?: string; seed: number;
}

/** Tokens a language model generates when --length is absent. */
const DEFAULT_STREAM_LENGTH = 500;

/** A JSON value, or (for --input) the text itself when it is not JSON: a plain source string. */
function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function sampleCommand(runArgument: string, options: SampleCommandOptions): Promise<void> {
  try {
    const files = FileAccess.fromOptions(options);
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const run = await loadRun(files.runStore(runsDir), runId);
    const task = run.model.config.task;
    const text = task === 'seq2seq' || task === 'one-to-many' ? decodeInput(run, options) : sampleLanguageModel(run, options);
    process.stdout.write(text + '\n');
  } catch (error) {
    fail(error, runArgument, false);
  }
}

/** seq2seq / one-to-many: the decoding of --input, stopping at `<eos>` or after --length tokens. */
function decodeInput(run: LoadedRun, options: SampleCommandOptions): string {
  const { model } = run;
  const task = model.config.task;
  const vocab = run.outputVocab;
  if (!vocab) throw new InputError('this run has no output vocabulary', run.runId);
  if (options.prime !== undefined) throw new InputError(`--prime applies to language models; a ${task} model takes --input`, '--prime');
  if (options.input === undefined) throw new InputError(`a ${task} model needs --input (${task === 'seq2seq' ? 'the source sequence' : 'a JSON array, the input vector'})`, '--input');
  const batch = inputBatch(run, parseInput(options.input), { file: '--input' });
  const maxSteps = options.length ?? (task === 'seq2seq' ? 3 * batch.steps : run.spec.data.sequenceLength);
  const initial = model.encode(batch);
  if (options.beam !== undefined) {
    if (options.temperature !== undefined || options.topK !== undefined) throw new InputError('--beam searches the most likely sequence; it takes no --temperature or --top-k', '--beam');
    return vocab.decode(beamSearch(model, initial, vocab.bos, vocab.eos, options.beam, maxSteps).tokens);
  }
  const sampled = !options.greedy && (options.temperature !== undefined || options.topK !== undefined);
  const banned = neverGenerated(vocab.bos);
  const choose: TokenChooser = sampled
    ? tokenChooser({ greedy: false, temperature: options.temperature ?? 1, topK: options.topK ?? 0, rng: new Rng(options.seed) }, banned)
    : (logits, offset, count) => argmax(logits, offset, count, banned);
  return vocab.decode(decodeFrom(model, initial, 1, vocab.bos, vocab.eos, maxSteps, choose)[0].tokens);
}

/**
 * Language models. With --prime: the priming text followed by the sampled continuation. Without:
 * the state is warmed up on the run's stored training text (`warmup.txt`) and only what is generated
 * after it is printed; a run without one (older runs) starts from a line break or the most frequent token.
 */
export function sampleLanguageModel(run: LoadedRun, options: SampleCommandOptions): string {
  const vocab = run.inputVocab;
  if (!vocab || run.model.config.task !== 'many-to-many' || run.labels) throw new InputError('sample needs a language model, seq2seq or one-to-many run', run.runId);
  if (options.beam !== undefined) throw new InputError('--beam applies to seq2seq and one-to-many models', '--beam');
  if (options.input !== undefined) throw new InputError('--input applies to seq2seq and one-to-many models; a language model takes --prime', '--input');
  const sampling = {
    length: options.length ?? DEFAULT_STREAM_LENGTH, temperature: options.temperature ?? 1, topK: options.topK ?? 0,
    greedy: options.greedy ?? false, rng: new Rng(options.seed),
  };
  const warmup = options.prime === undefined && run.warmupText !== undefined ? vocab.encode(vocab.split(run.warmupText)) : undefined;
  if (warmup && warmup.length > 0) return vocab.decode(sampleStream(run.model, warmup, sampling));
  const primeText = options.prime ?? defaultPrime(vocab);
  const tokens = vocab.split(primeText);
  if (tokens.length === 0) throw new InputError('expected a priming text with at least one token', '--prime');
  const unseen = tokens.filter((t) => !vocab.has(t));
  if (unseen.length) process.stderr.write(`note: ${unseen.length} priming token(s) unseen in training are read as <unk>: ${JSON.stringify([...new Set(unseen)].slice(0, 5))}\n`);
  const generated = sampleStream(run.model, vocab.encode(tokens), sampling);
  return primeText + (vocab.unit === 'word' ? ' ' : '') + vocab.decode(generated);
}

/** A line break when the text has one, else its most frequent token (id 2, after `<pad>` and `<unk>`). */
function defaultPrime(vocab: Vocabulary): string {
  return vocab.has('\n') ? '\n' : vocab.token(2);
}
