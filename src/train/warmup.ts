/**
 * Warm-up text for language-model sampling.
 *
 * A language model trained by truncated BPTT carries its state from window to window, so it sees
 * the zero state only at the start of each stripe: sampled from a zero state, its first tokens are
 * garbage. Sampling therefore first feeds real text (the user's prime, or this stretch of training
 * text) and shows only what is generated after it. `rnn-lab sample` loads no data, so the stretch
 * is stored in the run as `warmup.txt` (written at training start).
 */
import type { PreparedDataset } from '../data';
import type { Vocabulary } from '../data/vocabulary';
import { RUN_FILES, decodeText, encodeText, runFile, type RunStore } from './runStore';

/** Tokens of warm-up text: long enough to reach a typical state, short enough to feed in milliseconds. */
export const WARMUP_LENGTH = { char: 256, word: 64 } as const;

/**
 * The last `WARMUP_LENGTH` tokens of the training stream (the text just before the validation
 * split), ending after its last line break when that leaves at least half of them, so that a
 * sample starts where a line starts. The whole stream when it is shorter.
 */
export function warmupTokens(train: Int32Array, vocab: Vocabulary): Int32Array {
  const length = WARMUP_LENGTH[vocab.unit];
  let end = train.length;
  const lineBreak = vocab.unit === 'char' && vocab.has('\n') ? vocab.id('\n') : -1;
  if (lineBreak >= 0) {
    const last = train.lastIndexOf(lineBreak);
    if (last >= 0 && train.length - (last + 1) <= length / 2 && last + 1 >= length / 2) end = last + 1;
  }
  return train.slice(Math.max(0, end - length), end);
}

/**
 * The warm-up text as stored in `warmup.txt` (word tokens joined by spaces). A character model leaves
 * out `<unk>` (rare characters under minCount/maxVocabulary): re-read, it would be five characters.
 */
export function warmupText(train: Int32Array, vocab: Vocabulary): string {
  const tokens = warmupTokens(train, vocab);
  return vocab.decode(vocab.unit === 'char' ? tokens.filter((id) => id !== vocab.unk) : tokens);
}

/** Writes `warmup.txt` for a language model (a stream with a vocabulary); other tasks have none. */
export async function writeWarmupFile(store: RunStore, runId: string, data: Pick<PreparedDataset, 'train' | 'inputVocab'>): Promise<void> {
  if (data.train.kind !== 'stream' || !data.inputVocab) return;
  await store.writeFileAtomic(runFile(runId, RUN_FILES.warmup), encodeText(warmupText(data.train.tokens, data.inputVocab)));
}

/** The run's warm-up text, or undefined for a run without one (older runs, other tasks). */
export async function readWarmupFile(store: RunStore, runId: string): Promise<string | undefined> {
  const path = runFile(runId, RUN_FILES.warmup);
  return (await store.exists(path)) ? decodeText(await store.readFile(path)) : undefined;
}
