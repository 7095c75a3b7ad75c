/**
 * `explainBatch` for every task shape: what is explained by default, `--target` / `--step`, the
 * attribution's shape, and completeness (Σ attributions ≈ f(x) − f(0)) in the output's own units.
 */
import { strict as assert } from 'node:assert';
import { prepareDataset, toNetworkConfig, Vocabulary } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { NetworkConfig } from '../../../src/engine/types';
import { resolveSpec } from '../../../src/modelSpec';
import { explainBatch, type Explanation } from '../../../src/train/explanation';
import type { LoadedRun } from '../../../src/train/loadedRun';
import { inputBatch, predictBatch } from '../../../src/train/prediction';

const vocab = new Vocabulary({ unit: 'char', tokens: ['<pad>', '<unk>', 'a', 'b', 'c'] });
const outputVocab = new Vocabulary({ unit: 'char', tokens: ['<pad>', '<unk>', '<bos>', '<eos>', 'x', 'y'] });
const LABELS = ['no', 'yes', 'maybe'];

function config(over: Partial<NetworkConfig>): NetworkConfig {
  return {
    task: 'many-to-one', cell: 'gru', activation: 'tanh', hiddenSize: 5, layers: 1, bidirectional: false, merge: 'concat',
    connections: 'none', dropout: 0, recurrentInit: 'orthogonal',
    input: { kind: 'tokens', vocabSize: vocab.size, embeddingSize: 3 }, output: { kind: 'classes', size: LABELS.length }, ...over,
  };
}

/** A float64 model with non-trivial weights, as a loaded run with `extra` (vocabularies, labels). */
function runOf(c: NetworkConfig, extra: Partial<LoadedRun> = {}, seed = 3): LoadedRun {
  const model = RecurrentModel.create(c, { seed, dtype: 'float64' });
  const rng = new Rng(seed);
  for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] += 0.3 * rng.normal();
  return { runId: 'r', model, weights: 'best', inputVocab: vocab, ...extra } as unknown as LoadedRun;
}

/** Σ attributions equals f(x) − f(0) up to the reported completeness error, which is small. */
function assertComplete(e: Explanation, relative = 0.01): void {
  const sum = e.attributions.reduce((s, v) => s + v, 0);
  const gap = e.output - e.baselineOutput;
  assert.ok(Math.abs(Math.abs(sum - gap) - e.completenessError) < 1e-9 * Math.max(1, Math.abs(gap)), `${sum} vs ${gap}, error ${e.completenessError}`);
  assert.ok(e.completenessError <= relative * Math.abs(gap) + 1e-12, `completeness error ${e.completenessError} of ${gap}`);
}

describe('explain: every task shape', () => {
  it('many-to-one: the predicted class by default, per-token attributions, the top alternatives', () => {
    const run = runOf(config({}), { labels: LABELS });
    const batch = inputBatch(run, 'abcab', 'test');
    const e = explainBatch(run, batch, { steps: 64 });
    const p = predictBatch(run, batch);
    assert.equal(p.kind, 'class');
    assert.equal(e.kind, 'explanation');
    assert.equal(e.prediction, p.kind === 'class' && p.label);
    assert.equal(e.target, e.prediction);
    assert.deepEqual(e.tokens, ['a', 'b', 'c', 'a', 'b']);
    assert.deepEqual(e.shape, [5]);
    assert.equal(e.attributions.length, 5);
    assert.deepEqual(e.alternatives!.map((a) => a.label), p.kind === 'class' && p.classes.map((c) => c.label));
    assert.equal(e.output, run.model.forward({ ...batch, classLabels: Int32Array.of(0) }).outputs[LABELS.indexOf(e.target)]);
    assertComplete(e);
    const other = LABELS.find((l) => l !== e.prediction)!;
    const o = explainBatch(run, batch, { target: other, steps: 64 });
    assert.equal(o.target, other);
    assert.equal(o.prediction, e.prediction);
    assert.notDeepEqual(o.attributions, e.attributions);
    assert.throws(() => explainBatch(run, batch, { target: 'yess' }), /--target "yess" is not a class of this run: did you mean "yes"\?/);
    assert.throws(() => explainBatch(run, batch, { step: 1 }), /--step: a many-to-one classifier has one output/);
  });

  it('one-hot tokens attribute through their column of W_ih', () => {
    const run = runOf(config({ input: { kind: 'tokens', vocabSize: vocab.size, embeddingSize: 0 }, cell: 'lstm' }), { labels: LABELS });
    const e = explainBatch(run, inputBatch(run, 'cab', 'test'), { steps: 64 });
    assert.deepEqual(e.shape, [3]);
    assertComplete(e);
    const g = explainBatch(run, inputBatch(run, 'cab', 'test'), { method: 'gradxinput' });
    assert.equal(g.method, 'gradxinput');
    assert.equal(g.output, e.output);
  });

  it('tagger: the tag at --step (default the last step)', () => {
    const run = runOf(config({ task: 'many-to-many', bidirectional: true }), { labels: LABELS });
    const batch = inputBatch(run, 'abca', 'test');
    const p = predictBatch(run, batch);
    assert.equal(p.kind, 'labels');
    const last = explainBatch(run, batch, { steps: 64 });
    assert.equal(last.step, 3);
    assert.equal(last.target, p.kind === 'labels' && p.labels[3]);
    const first = explainBatch(run, batch, { step: 1, steps: 64 });
    assert.equal(first.target, p.kind === 'labels' && p.labels[1]);
    assertComplete(first);
    assert.throws(() => explainBatch(run, batch, { step: 4 }), /--step 4: expected a step of the input from 0 to 3/);
  });

  it('a forward-only tagger gives later steps no attribution', () => {
    const run = runOf(config({ task: 'many-to-many' }), { labels: LABELS });
    const e = explainBatch(run, inputBatch(run, 'abcab', 'test'), { step: 2 });
    assert.deepEqual(e.attributions.slice(3), [0, 0]);
    assert.ok(e.attributions.slice(0, 3).some((a) => a !== 0));
  });

  it('language model: the most likely next token', () => {
    const run = runOf(config({ task: 'many-to-many', output: { kind: 'classes', size: vocab.size } }), {});
    const batch = inputBatch(run, 'abc', 'test');
    const p = predictBatch(run, batch);
    const e = explainBatch(run, batch, { steps: 64 });
    assert.equal(e.target, p.kind === 'next' && p.top[0].token);
    assert.equal(e.step, 2);
    assert.equal(explainBatch(run, batch, { target: 'c' }).target, 'c');
    const early = explainBatch(run, batch, { step: 0, method: 'gradxinput' });
    assert.equal(early.step, 0);
    assert.deepEqual(early.attributions.slice(1), [0, 0], 'the token after step 0 depends on step 0 only');
    assert.throws(() => explainBatch(run, batch, { target: 'z' }), /is not a token of this run/);
    assertComplete(e);
  });

  it('seq2seq: the generated token at --step, attributed to the source steps', () => {
    const c = config({ task: 'seq2seq', output: { kind: 'classes', size: outputVocab.size }, decoder: { vocabSize: outputVocab.size, embeddingSize: 2 } });
    const run = runOf(c, { outputVocab }, 5);
    run.model.param('head.bias').data[outputVocab.eos] -= 3; // a few tokens before <eos>
    const batch = inputBatch(run, 'abcb', 'test');
    const p = predictBatch(run, batch);
    assert.equal(p.kind, 'sequence');
    const tokens = p.kind === 'sequence' ? p.tokens : [];
    assert.ok(tokens.length >= 1, 'the decoding has a token to explain');
    const e = explainBatch(run, batch, { steps: 64 });
    assert.deepEqual(e.generated, tokens);
    assert.equal(e.step, 0);
    assert.equal(e.target, tokens[0]);
    assert.deepEqual(e.tokens, ['a', 'b', 'c', 'b']);
    assert.equal(e.attributions.length, 4);
    assertComplete(e);
    // each step's explained logit is the one greedy decoding saw, stepping from <bos>
    let state = run.model.encode(batch);
    let previous = outputVocab.bos;
    tokens.forEach((token, t) => {
      const step = run.model.step(Int32Array.of(previous), state);
      state = step.state;
      const id = outputVocab.id(token);
      const x = explainBatch(run, batch, { step: t, method: 'gradxinput' });
      assert.equal(x.target, token);
      assert.ok(Math.abs(x.output - step.logits[id]) < 1e-5, `step ${t}: ${x.output} vs ${step.logits[id]}`);
      previous = id;
    });
    assert.ok(!e.alternatives!.some((a) => ['<pad>', '<unk>', '<bos>'].includes(a.label)));
    assert.throws(() => explainBatch(run, batch, { step: tokens.length + 1 }), /expected a generated token/);
  });

  it('one-to-many: refused, naming why', () => {
    const run = runOf(config({ task: 'one-to-many', initVectorSize: 2, output: { kind: 'classes', size: outputVocab.size }, decoder: { vocabSize: outputVocab.size, embeddingSize: 2 } }), { outputVocab });
    assert.throws(() => explainBatch(run, inputBatch(run, [1, 2], 'test')), /one-to-many model reads one vector/);
  });

  describe('forecasts (features): per step × column, in original units', () => {
    const CSV = 'c,b,a\n' + Array.from({ length: 30 }, (_, i) => `${(i * 7) % 5},${10 * i + ((i * 3) % 4)},${1 + (i * (i + 1)) / 2}`).join('\n') + '\n';
    function forecastRun(task: 'many-to-one' | 'many-to-many', data: Record<string, unknown>): LoadedRun {
      const spec = resolveSpec({ task, data: { train: 's.csv', target: ['a', 'b'], window: 4, validation: { fraction: 0 }, ...data }, model: { cell: 'gru', hiddenSize: 4 } });
      const prepared = prepareDataset(spec, () => new TextEncoder().encode(CSV));
      return runOf(toNetworkConfig(spec, prepared), { spec, normalization: prepared.normalization, inputVocab: undefined });
    }
    const rows = [[1, 10, 1], [2, 21, 2], [3, 30, 4], [4, 42, 7]];

    for (const difference of [false, true]) {
      it(`many-to-one${difference ? ', differenced' : ''}: the first target's next value by default, --target names a column`, () => {
        const run = forecastRun('many-to-one', { difference });
        const batch = inputBatch(run, rows, 'test');
        const p = predictBatch(run, batch);
        assert.equal(p.kind, 'values');
        const e = explainBatch(run, batch, { steps: 64 });
        assert.equal(e.target, 'a');
        assert.equal(e.step, undefined, 'one step ahead: no step to name');
        assert.ok(Math.abs((e.prediction as number) - (p.kind === 'values' ? p.values[0] : NaN)) < 1e-9);
        assert.ok(Math.abs(e.output - (e.prediction as number)) < 1e-9);
        const T = batch.steps;
        assert.deepEqual(e.shape, [T, 3]);
        assert.deepEqual(e.columns, ['c', 'b', 'a']);
        assert.equal(e.attributions.length, T * 3);
        assert.equal(e.tokens, undefined);
        assertComplete(e);
        const b = explainBatch(run, batch, { target: 'b', steps: 64 });
        assert.ok(Math.abs((b.prediction as number) - (p.kind === 'values' ? p.values[1] : NaN)) < 1e-9);
        assertComplete(b);
        assert.throws(() => explainBatch(run, batch, { target: 'A' }), /not a target column of this run: did you mean "a"/);
      });
    }

    it('many-to-one, several steps ahead: --step picks the step ahead', () => {
      const run = forecastRun('many-to-one', { forecastSteps: 3 });
      const batch = inputBatch(run, rows, 'test');
      const p = predictBatch(run, batch);
      assert.ok(p.kind === 'values' && p.values.length === 6);
      const e = explainBatch(run, batch, { target: 'b', step: 2, steps: 64 });
      assert.equal(e.step, 2);
      assert.ok(Math.abs((e.prediction as number) - (p.kind === 'values' ? p.values[2 * 2 + 1] : NaN)) < 1e-9);
      assertComplete(e);
      assert.throws(() => explainBatch(run, batch, { step: 3 }), /--step 3: expected a forecast step from 0 to 2/);
    });

    it('many-to-many values: the value at --step', () => {
      const run = forecastRun('many-to-many', { target: 'a', window: undefined, sequenceLength: 5 });
      const batch = inputBatch(run, rows, 'test');
      const p = predictBatch(run, batch);
      const e = explainBatch(run, batch, { step: 1, steps: 64 });
      assert.equal(e.step, 1);
      assert.ok(Math.abs((e.prediction as number) - (p.kind === 'values' ? p.values[1] : NaN)) < 1e-9);
      assert.ok(e.attributions.slice(2 * 3).every((a) => a === 0), 'a forward model: later steps do not count');
      assertComplete(e);
    });
  });
});
