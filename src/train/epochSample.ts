/**
 * The `sample` event shown after each epoch: for a language model, text sampled at temperature
 * 0.8 after warming the state up on a stretch of training text (`warmupTokens`, the text stored in
 * the run's `warmup.txt`), showing only what was generated after it; for seq2seq and one-to-many, the greedy decoding
 * of the first validation example. Other tasks have none.
 */
import { makeBatch, type PreparedDataset } from '../data';
import type { RecurrentModel } from '../engine/model';
import type { Rng } from '../engine/random';
import { maxDecodeSteps } from './evaluation';
import { greedyDecodeBatch, sampleStream } from './sampling';
import { warmupTokens } from './warmup';

export const EPOCH_SAMPLE_TEMPERATURE = 0.8;
const SAMPLE_LENGTH = { char: 200, word: 40 };

export function epochSample(model: RecurrentModel, data: PreparedDataset, rng: Rng): { temperature: number; text: string } | undefined {
  if (data.train.kind === 'stream' && data.inputVocab) {
    const vocab = data.inputVocab;
    const length = SAMPLE_LENGTH[vocab.unit];
    const generated = sampleStream(model, warmupTokens(data.train.tokens, vocab), { length, temperature: EPOCH_SAMPLE_TEMPERATURE, topK: 0, greedy: false, rng });
    return { temperature: EPOCH_SAMPLE_TEMPERATURE, text: vocab.decode(generated) };
  }
  const pool = data.validation.kind === 'examples' && data.validation.examples.length ? data.validation : data.train;
  if ((data.task !== 'seq2seq' && data.task !== 'one-to-many') || pool.kind !== 'examples' || !data.outputVocab) return undefined;
  const example = pool.examples[0];
  const vocab = data.outputVocab;
  const [decoded] = greedyDecodeBatch(model, makeBatch([example], data), vocab.bos, vocab.eos, maxDecodeSteps([example]));
  const source = data.task === 'seq2seq' && data.inputVocab && example.input instanceof Int32Array
    ? data.inputVocab.decode(example.input)
    : Array.from(example.initVector ?? [], (v) => v.toFixed(2)).join(', ');
  return { temperature: 0, text: `${source} → ${vocab.decode(decoded)}` };
}
