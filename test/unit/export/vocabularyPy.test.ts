/**
 * model.py's Vocabulary against the engine's: the same tokens and ids for seeded random text full of
 * punctuation (every P* category), whitespace of many kinds, cased letters of several scripts, and
 * tokens rarer than minCount, under each tokenizer and lowercase setting.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Vocabulary, type VocabularyJson } from '../../../src/data/vocabulary';
import type { TextOptions } from '../../../src/data/tokenize';
import { Rng } from '../../../src/engine/random';
import type { NetworkConfig } from '../../../src/engine/types';
import { modelPySource } from '../../../src/export/modelPy';
import { runPython, skipWithoutTorch, torchPython } from './python';

const PIECES = [
  'the', 'The', 'THE', 'Cat', 'ÉTÉ', 'été', 'Straße', 'ΟΔΟΣ', 'İstanbul', 'Дом', 'x1', '3.5', '日本', '😀',
  ',', '.', '!', '?', '"', "'", '(', ')', '[', '}', '-', '—', '–', '_', '…', '«', '»', '¿', '¡', '“', '”', '‘', '·', '、', '。', '「', '」', '@', '#', '%', '&', '*', '/', '\\', '§', '¶',
  '$', '+', '=', '^', '~', '|', '€', '°',
];
const SPACES = [' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\r\n'];

function randomText(rng: Rng): string {
  let text = '';
  const n = 1 + rng.int(12);
  for (let i = 0; i < n; i++) text += PIECES[rng.int(PIECES.length)] + (rng.next() < 0.6 ? SPACES[rng.int(SPACES.length)] : '');
  return text;
}

const CONFIG: NetworkConfig = {
  task: 'many-to-one', cell: 'gru', activation: 'tanh', hiddenSize: 2, layers: 1, bidirectional: false, merge: 'concat',
  connections: 'none', dropout: 0, recurrentInit: 'orthogonal', input: { kind: 'tokens', vocabSize: 4, embeddingSize: 2 }, output: { kind: 'classes', size: 2 },
};

const SCRIPT = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
exported = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exported)
job = json.load(open(sys.argv[2], encoding="utf-8"))
out = []
for case in job:
    vocab = exported.Vocabulary(**case["vocab"])
    out.append({"split": [vocab.split(t) for t in case["texts"]],
                "ids": [vocab.encode(vocab.split(t)) for t in case["texts"]],
                "listed": [vocab.encode(vocab.normalize_tokens(l)) for l in case["lists"]]})
print(json.dumps(out))
`;

describe('model.py Vocabulary: tokenizer, lowercase and minCount as the engine', function () {
  this.timeout(120000);
  it('the same tokens and ids for 300 seeded random texts under each setting', function () {
    const found = torchPython();
    if ('missing' in found) return skipWithoutTorch(this, found.missing);
    const rng = new Rng(11);
    const settings: TextOptions[] = [
      { unit: 'word', tokenizer: 'whitespace', lowercase: false },
      { unit: 'word', tokenizer: 'words', lowercase: false },
      { unit: 'word', tokenizer: 'words', lowercase: true },
      { unit: 'char', tokenizer: 'whitespace', lowercase: true },
    ];
    const cases = settings.map((text) => {
      const counts = new Map<string, number>();
      for (let i = 0; i < 40; i++) for (const t of new Vocabulary({ ...text, tokens: ['<pad>', '<unk>'] } as VocabularyJson).split(randomText(rng))) counts.set(t, (counts.get(t) ?? 0) + 1);
      const vocab = Vocabulary.fromCounts(counts, text, false, { minCount: 3, maxVocabulary: null });
      assert.ok(vocab.counts![vocab.unk] > 0, 'some tokens are rarer than minCount');
      const texts = Array.from({ length: 75 }, () => randomText(rng));
      const lists = Array.from({ length: 10 }, () => Array.from({ length: 3 }, () => PIECES[rng.int(PIECES.length)]));
      return { engine: vocab, vocab: vocab.toJSON(), texts, lists };
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-vocab-py-'));
    try {
      writeFileSync(path.join(dir, 'model.py'), modelPySource(CONFIG, { name: 'vocab' }));
      writeFileSync(path.join(dir, 'job.json'), JSON.stringify(cases.map(({ vocab, texts, lists }) => ({ vocab, texts, lists }))));
      writeFileSync(path.join(dir, 'check.py'), SCRIPT);
      const python = JSON.parse(runPython((found as { python: string }).python, [path.join(dir, 'check.py'), path.join(dir, 'model.py'), path.join(dir, 'job.json')]));
      cases.forEach(({ engine, texts, lists }, c) => {
        const what = JSON.stringify(settings[c]);
        texts.forEach((t, i) => {
          assert.deepEqual(python[c].split[i], engine.split(t), `${what} split ${JSON.stringify(t)}`);
          assert.deepEqual(python[c].ids[i], Array.from(engine.encode(engine.split(t))), `${what} ids ${JSON.stringify(t)}`);
        });
        lists.forEach((l, i) => assert.deepEqual(python[c].listed[i], Array.from(engine.encode(engine.normalizeTokens(l))), `${what} list ${JSON.stringify(l)}`));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
