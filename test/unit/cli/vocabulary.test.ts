/**
 * End to end with the built CLI: text options change what a word classifier learns, `eval` reads the
 * run's own vocab.json (the train file may be gone), and a run stored before the text keys existed
 * evaluates and resumes as it did.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../../src/engine/random';

const cli = path.resolve('dist/cli.js');

function rnnLab(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `rnn-lab ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const lastLine = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

/**
 * Sentiment-like records: one signal word of its class among noise words drawn from a pool so large
 * that most are seen once. Training text is lower or Title case; the held-out file also has UPPER
 * case, which a case-keeping vocabulary never saw.
 */
function reviews(rng: Rng, count: number, cases: ((w: string) => string)[]): string {
  const signal = { pos: ['good', 'great', 'fine', 'nice'], neg: ['bad', 'awful', 'poor', 'dull'] };
  const noise = (i: number) => `w${i.toString(36)}`;
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    const label = rng.next() < 0.5 ? 'pos' : 'neg';
    const tokens = Array.from({ length: 3 + rng.int(4) }, () => noise(rng.int(4000)));
    const word = signal[label][rng.int(4)];
    tokens.splice(rng.int(tokens.length + 1), 0, cases[rng.int(cases.length)](word));
    lines.push(JSON.stringify({ text: tokens.join(' ') + (rng.next() < 0.5 ? '.' : '!'), label }));
  }
  return lines.join('\n') + '\n';
}

const lower = (w: string) => w;
const title = (w: string) => w[0].toUpperCase() + w.slice(1);
const upper = (w: string) => w.toUpperCase();

describe('rnn-lab: text options and the run\'s own vocabulary, end to end', function () {
  this.timeout(300000);
  let dir = '';
  before(function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-vocab-'));
    const rng = new Rng(2024);
    writeFileSync(path.join(dir, 'train.jsonl'), reviews(rng, 500, [lower, title]));
    writeFileSync(path.join(dir, 'heldout.jsonl'), reviews(rng, 300, [lower, title, upper]));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const spec = (name: string, text: object) => {
    writeFileSync(path.join(dir, `${name}.rnn.json`), JSON.stringify({
      name, task: 'many-to-one', data: { train: 'train.jsonl', inputKey: 'text', unit: 'word', validation: { fraction: 0.1 }, ...text },
      model: { cell: 'gru', hiddenSize: 16, embeddingSize: 16 }, training: { epochs: 8, batchSize: 16, seed: 5 },
    }));
    return `${name}.rnn.json`;
  };

  it('lowercase + minCount + the words tokenizer beat the plain vocabulary on a held-out file', () => {
    const plainOut = rnnLab(['train', spec('plain', {}), '--json'], dir);
    const careful = rnnLab(['train', spec('careful', { lowercase: true, minCount: 2, tokenizer: 'words' }), '--json'], dir);
    const infos = careful.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'info').map((e) => e.message);
    assert.ok(infos.some((m: string) => /^vocabulary \d+ words \(minCount 2; \d+\.\d% of training tokens are <unk>\); \d+\.\d% of validation tokens unknown$/.test(m)), infos.join('\n'));
    const accuracy = (run: string) => lastLine(rnnLab(['eval', run, '--data', 'heldout.jsonl', '--json'], dir)).metrics.accuracy as number;
    const plain = accuracy(lastLine(plainOut).run);
    const better = accuracy(lastLine(careful).run);
    assert.ok(better >= 0.9, `careful vocabulary: held-out accuracy ${better}`);
    assert.ok(better - plain >= 0.1, `careful ${better} against plain ${plain}`);
  });

  it('eval --data reads the run\'s vocab.json: it works after the train file moved, new tokens are <unk>, new labels are counted', () => {
    const run = lastLine(rnnLab(['train', spec('moved', { lowercase: true, minCount: 2 }), '--json'], dir)).run;
    const vocab = JSON.parse(readFileSync(path.join(run, 'vocab.json'), 'utf8'));
    assert.equal(vocab.input.lowercase, true);
    assert.equal(vocab.input.counts.length, vocab.input.tokens.length);
    const before = lastLine(rnnLab(['eval', run, '--data', 'heldout.jsonl', '--json'], dir));
    renameSync(path.join(dir, 'train.jsonl'), path.join(dir, 'train.moved'));
    try {
      const after = lastLine(rnnLab(['eval', run, '--data', 'heldout.jsonl', '--json'], dir));
      assert.deepEqual(after.metrics, before.metrics);
      writeFileSync(path.join(dir, 'new.jsonl'), '{"text": "GREAT zzz-never-seen", "label": "pos"}\n{"text": "qqq", "label": "neg"}\n{"text": "fine", "label": "meh"}\n');
      const fresh = lastLine(rnnLab(['eval', run, '--data', 'new.jsonl', '--json'], dir));
      assert.equal(fresh.confusionMatrix.matrix.flat().reduce((a: number, b: number) => a + b, 0), 2, 'the unseen label is not a row of the matrix');
      assert.deepEqual(fresh.unseenLabels, { meh: 1 }, 'a label the run never saw is counted, not fatal');
      assert.match(fresh.worst.map((w: { input: string }) => w.input).join('|'), /<unk>/);
    } finally {
      renameSync(path.join(dir, 'train.moved'), path.join(dir, 'train.jsonl'));
    }
  });

  it('a run stored before the text keys (none in spec.json, no counts in vocab.json, its own token order) evaluates and resumes as stored', () => {
    const run = lastLine(rnnLab(['train', spec('old', {}), '--json'], dir)).run;
    const evaluate = () => lastLine(rnnLab(['eval', run, '--json'], dir)).metrics;
    const trained = evaluate();
    const specPath = path.join(run, 'spec.json');
    const stored = JSON.parse(readFileSync(specPath, 'utf8'));
    for (const key of Object.keys(stored.data)) if (/lowercase|tokenizer|mincount|maxvocabulary/i.test(key)) delete stored.data[key];
    writeFileSync(specPath, JSON.stringify(stored));
    const vocabPath = path.join(run, 'vocab.json');
    const vocab = JSON.parse(readFileSync(vocabPath, 'utf8'));
    delete vocab.input.counts;
    writeFileSync(vocabPath, JSON.stringify(vocab));
    assert.deepEqual(evaluate(), trained, 'missing keys read as the behaviour before them');
    // An order this version would not build (older versions broke ties by UTF-16 code units): used as stored.
    vocab.input.tokens = [...vocab.input.tokens.slice(0, 2), ...vocab.input.tokens.slice(2).reverse()];
    writeFileSync(vocabPath, JSON.stringify(vocab));
    assert.notDeepEqual(evaluate(), trained, 'eval encodes with the stored vocabulary, not one rebuilt from the train file');
    const resumed = lastLine(rnnLab(['train', 'old.rnn.json', '--resume', run, '--epochs', '9', '--json'], dir));
    assert.equal(resumed.event, 'done');
    assert.deepEqual(evaluate(), resumed.metrics, 'resume trained and scored with the stored vocabulary too');
  });
});
