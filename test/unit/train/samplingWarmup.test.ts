/**
 * Sampling warms the state up on real text before generating. A character LM trained by truncated
 * BPTT carries its state across windows and rarely sees the zero state, so samples started from it
 * open with garbage. The criterion: the share of character bigrams, among the first 20 generated
 * characters, that never occur in the training text (out-of-distribution), averaged over seeded
 * samples. Warmed-up samples (`rnn-lab sample` without --prime, and the epoch samples) must have less
 * than half the share of samples started from the zero state, the sampling before warm-up.
 */
import { strict as assert } from 'node:assert';
import { sampleLanguageModel } from '../../../src/cli/commands/sample';
import { prepareDataset, type PreparedDataset } from '../../../src/data';
import { Rng } from '../../../src/engine/random';
import { parseSpec } from '../../../src/modelSpec';
import { epochSample } from '../../../src/train/epochSample';
import { loadRun, type LoadedRun } from '../../../src/train/loadedRun';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import { RUN_FILES } from '../../../src/train/runStore';
import { sampleStream } from '../../../src/train/sampling';
import { train } from '../../../src/train/trainer';
import { WARMUP_LENGTH } from '../../../src/train/warmup';

const FIRST = 20;
const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

/** Numbered lines of words from a small lexicon: capitals, digits and punctuation give a 40-odd character vocabulary. */
function versesText(chars: number, seed: number): string {
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'ran', 'away', 'far', 'Dog', 'Bird', 'Fox', 'jumped',
    'quickly', 'over', 'lazy', 'brown', 'with', 'zeal'];
  const rng = new Rng(seed);
  let text = '';
  for (let verse = 1; text.length < chars; verse++) {
    text += `${Math.floor(verse / 10) + 1}:${(verse % 10) + 1} `;
    const n = 4 + rng.int(6);
    for (let i = 0; i < n; i++) text += words[rng.int(words.length)] + (i + 1 < n ? (rng.next() < 0.1 ? ', ' : ' ') : rng.next() < 0.5 ? '.\n' : '!\n');
  }
  return text;
}

const SPEC = JSON.stringify({
  name: 'verses', task: 'many-to-many',
  data: { train: 'verses.txt', sequenceLength: 32 },
  model: { cell: 'lstm', hiddenSize: 64, embeddingSize: 16 },
  training: { epochs: 3, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.005 }, seed: 1 },
});

/** Share of the bigrams of `text`'s first FIRST characters that the training text never has. */
function outOfDistribution(text: string, bigrams: Set<string>): number {
  const head = Array.from(text).slice(0, FIRST);
  let unseen = 0;
  for (let i = 1; i < head.length; i++) if (!bigrams.has(head[i - 1] + head[i])) unseen++;
  return unseen / (head.length - 1);
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

describe('sampling warms the state up before generating', function () {
  this.timeout(120000);
  const text = versesText(20000, 1);
  const bigrams = new Set<string>();
  for (let i = 1; i < text.length; i++) bigrams.add(text.slice(i - 1, i + 1));
  let store: PostingRunStore;
  let run: LoadedRun;
  let data: PreparedDataset;
  /** The OOD share of samples started from the zero state with a line break (the sampling before warm-up). */
  let coldShare: number;

  before(async () => {
    store = new PostingRunStore(() => undefined);
    const read = () => new TextEncoder().encode(text);
    await train({ specText: SPEC, specPath: 'verses.rnn.json', store, read, runId: 'run', backend: 'ts', onEvent: () => undefined });
    run = await loadRun(store, 'run');
    data = prepareDataset(parseSpec(SPEC, 'verses.rnn.json'), read);
    const vocab = run.inputVocab!;
    coldShare = mean(SEEDS.map((seed) => outOfDistribution(vocab.decode(sampleStream(run.model, vocab.encode(['\n']), {
      length: FIRST, temperature: 1, topK: 0, greedy: false, rng: new Rng(seed),
    })), bigrams)));
    // The premise: started from the zero state, this model's samples do open with garbage.
    assert.ok(coldShare > 0.05, `zero-state samples are already clean (${coldShare}): the test would show nothing`);
  });

  it('the run stores a stretch of training text, ending at a line break, as warmup.txt', async () => {
    const stored = run.warmupText;
    assert.ok(stored !== undefined, 'warmup.txt missing');
    assert.ok(stored.length > WARMUP_LENGTH.char / 2 && stored.length <= WARMUP_LENGTH.char, `length ${stored.length}`);
    assert.ok(stored.endsWith('\n'));
    const trainingPart = text.slice(0, Math.floor(text.length * 0.9));
    assert.ok(trainingPart.includes(stored), 'warmup.txt is not training text');
    assert.ok(await store.exists(`run/${RUN_FILES.warmup}`));
  });

  it(`rnn-lab sample (no --prime): its first ${FIRST} characters have under half the out-of-distribution bigrams of a zero-state start`, () => {
    const samples = SEEDS.map((seed) => sampleLanguageModel(run, { seed, length: 100, temperature: 1 }));
    const warmShare = mean(samples.map((s) => outOfDistribution(s, bigrams)));
    assert.ok(warmShare < coldShare / 2, `warmed ${warmShare.toFixed(3)} vs zero state ${coldShare.toFixed(3)}; e.g. ${JSON.stringify(samples[0].slice(0, FIRST))}`);
    // Only the generated text is shown, none of the warm-up.
    assert.ok(samples.every((s) => Array.from(s).length === 100), 'a sample is not exactly the generated tokens');
  });

  it(`the epoch sample: its first ${FIRST} characters have under half the out-of-distribution bigrams of a zero-state start`, () => {
    const samples = SEEDS.map((seed) => epochSample(run.model, data, new Rng(seed))!.text);
    const warmShare = mean(samples.map((s) => outOfDistribution(s, bigrams)));
    assert.ok(warmShare < coldShare / 2, `warmed ${warmShare.toFixed(3)} vs zero state ${coldShare.toFixed(3)}; e.g. ${JSON.stringify(samples[0].slice(0, FIRST))}`);
  });

  it('a run without warmup.txt (made before it existed) still samples: from a line break, as before', async () => {
    const old = new PostingRunStore(() => undefined);
    for (const file of Object.values(RUN_FILES)) {
      if (file !== RUN_FILES.warmup && (await store.exists(`run/${file}`))) await old.writeFileAtomic(`run/${file}`, await store.readFile(`run/${file}`));
    }
    const oldRun = await loadRun(old, 'run');
    assert.equal(oldRun.warmupText, undefined);
    const sample = sampleLanguageModel(oldRun, { seed: 1, length: 30, temperature: 1 });
    assert.equal(Array.from(sample).length, 31);
    assert.ok(sample.startsWith('\n'));
  });

  it('--prime is the warm-up: the prime, then its continuation', () => {
    const sample = sampleLanguageModel(run, { seed: 1, length: 30, temperature: 1, prime: '3:4 Dog' });
    assert.ok(sample.startsWith('3:4 Dog'));
    assert.equal(Array.from(sample).length, 7 + 30);
  });
});
