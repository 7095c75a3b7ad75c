/**
 * The `sample` event shown after each epoch: for a language model, text sampled at temperature
 * 0.8 after warming the state up on a stretch of training text (`warmupTokens`, the text stored in
 * the run's `warmup.txt`), showing only what was generated after it; for seq2seq and one-to-many, the greedy decoding
 * of the first validation example (with its alignment for an attention decoder). Other tasks have none.
 */
import { makeBatch, type PreparedDataset } from '../data';
import type { RecurrentModel } from '../engine/model';
import type { Rng } from '../engine/random';
import { maxDecodeSteps } from './evaluation';
import { argmax, decodeFrom, neverGenerated, sampleStream } from './sampling';
import type { SampleEvent } from './events';
import { warmupTokens } from './warmup';

export const EPOCH_SAMPLE_TEMPERATURE = 0.8;
const SAMPLE_LENGTH = { char: 200, word: 40 };

export function epochSample(model: RecurrentModel, data: PreparedDataset, rng: Rng): Omit<SampleEvent, 'event' | 'epoch'> | undefined {
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
  const banned = neverGenerated(vocab.bos);
  const [hypothesis] = decodeFrom(model, model.encode(makeBatch([example], data)), 1, vocab.bos, vocab.eos, maxDecodeSteps([example]),
    (logits, offset, count) => argmax(logits, offset, count, banned));
  const decoded = hypothesis.tokens;
  const sourceIds = data.task === 'seq2seq' && data.inputVocab && example.input instanceof Int32Array ? example.input : undefined;
  const source = sourceIds ? data.inputVocab!.decode(sourceIds) : Array.from(example.initVector ?? [], (v) => v.toFixed(2)).join(', ');
  const sample: Omit<SampleEvent, 'event' | 'epoch'> = { temperature: 0, text: `${source} → ${vocab.decode(decoded)}` };
  // An attention decoder's alignment of this example, for the dashboard's heatmap (generated × source tokens).
  if (sourceIds && (model.config.attention ?? 'none') !== 'none') {
    sample.sourceTokens = Array.from(sourceIds, (id) => data.inputVocab!.token(id));
    sample.tokens = Array.from(decoded, (id) => vocab.token(id));
    sample.attention = (hypothesis.attention ?? []).map((row) => Array.from(row, (a) => Number(a.toFixed(4))));
  }
  return sample;
}
