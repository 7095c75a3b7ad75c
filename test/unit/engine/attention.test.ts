import assert from 'node:assert/strict';
import { gradientCheck } from '../../../src/engine/gradientCheck';
import { RecurrentModel, parameterShapes } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { AttentionScore, NetworkConfig } from '../../../src/engine/types';
import { FLOAT64_BACKEND } from './backends';
import { randomBatch, taskConfig } from './batches';

const SCORES: Exclude<AttentionScore, 'none'>[] = ['dot', 'general', 'additive'];

function nudgedModel(config: NetworkConfig, seed: number): RecurrentModel {
  const model = RecurrentModel.create(config, { seed, dtype: 'float64', backend: FLOAT64_BACKEND.backend() });
  const rng = new Rng(seed + 100);
  for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] += 0.3 * rng.normal();
  return model;
}

describe('Luong attention (seq2seq)', () => {
  describe('BPTT gradients match central finite differences (float64, ragged source and target lengths)', () => {
    const shapes: [string, Partial<NetworkConfig>][] = [
      ['lstm · 1 layer', { cell: 'lstm', layers: 1 }],
      ['gru · 2 layers', { cell: 'gru', layers: 2 }],
      ['rnn · bidirectional concat encoder', { cell: 'rnn', layers: 1, bidirectional: true, merge: 'concat' }],
      ['lstm · 2 layers · skip', { cell: 'lstm', layers: 2, connections: 'skip' }],
    ];
    const fedShapes: [string, Partial<NetworkConfig>][] = [
      ['lstm · 1 layer · fed', { cell: 'lstm', layers: 1, attentionFeed: true }],
      ['gru · 2 layers · bidirectional sum encoder · fed', { cell: 'gru', layers: 2, bidirectional: true, merge: 'sum', attentionFeed: true }],
      ['rnn · 2 layers · skip · one-hot decoder · fed', { cell: 'rnn', layers: 2, connections: 'skip', attentionFeed: true }],
      ['lstm · 2 layers · dense · fed', { cell: 'lstm', layers: 2, connections: 'dense', attentionFeed: true, decoder: { vocabSize: 4, embeddingSize: 3 } }],
    ];
    for (const score of SCORES) {
      for (const [name, over] of [...shapes, ...fedShapes]) {
        it(`${score} · ${name}`, () => {
          const config = taskConfig('seq2seq', { ...over, attention: score });
          const model = nudgedModel(config, 3);
          // Source lengths 5, 4, 3, 2 (padded steps masked), target lengths 3, 2, 1, 3.
          const batch = randomBatch(config, 11, 4, 5, 3);
          const rows = gradientCheck(model.params, () => model.forward(batch).loss, () => {
            model.forward(batch);
            model.backward();
          }, { maxEntriesPerParam: 24 });
          const bad = rows.filter((r) => !(r.maxRelativeError <= 1e-5));
          assert.deepEqual(bad.map((r) => `${r.name}: ${r.maxRelativeError}`), []);
          assert.ok(rows.some((r) => r.name === 'attention.combine.weight' && r.checked > 0));
        });
      }
    }
  });

  it('names its parameters as the issue lists them, between the decoder and the head', () => {
    const names = (attention: AttentionScore) => parameterShapes(taskConfig('seq2seq', { cell: 'lstm', layers: 1, hiddenSize: 3, attention }))
      .filter((p) => p.name.startsWith('attention.')).map((p) => `${p.name} [${p.shape.join('×')}]`);
    assert.deepEqual(names('none'), []);
    assert.deepEqual(names('dot'), ['attention.combine.weight [3×6]', 'attention.combine.bias [3]']);
    assert.deepEqual(names('general'), ['attention.weight [3×3]', 'attention.combine.weight [3×6]', 'attention.combine.bias [3]']);
    assert.deepEqual(names('additive'), ['attention.query.weight [3×3]', 'attention.key.weight [3×3]', 'attention.energy.weight [1×3]',
      'attention.combine.weight [3×6]', 'attention.combine.bias [3]']);
    const all = parameterShapes(taskConfig('seq2seq', { cell: 'lstm', layers: 1, attention: 'dot' })).map((p) => p.name);
    assert.ok(all.indexOf('attention.combine.weight') > all.indexOf('decoder.rnn.bias_hh_l0') && all.indexOf('attention.combine.bias') < all.indexOf('head.weight'));
  });

  for (const score of SCORES) {
    it(`${score}: alignment rows sum to 1 over valid source steps, padded steps get 0 and change nothing`, () => {
      const config = taskConfig('seq2seq', { cell: 'gru', layers: 1, attention: score });
      const model = nudgedModel(config, 5);
      const batch = randomBatch(config, 2, 4, 5, 3);
      const r = model.forward(batch);
      const T = r.sourceSteps!;
      assert.equal(T, 5);
      const a = Float64Array.from(r.attention!);
      const loss = r.loss;
      for (let row = 0; row < 3 * 4; row++) {
        const b = row % 4;
        let sum = 0;
        for (let j = 0; j < T; j++) {
          if (j >= batch.lengths[b]) assert.equal(a[row * T + j], 0);
          sum += a[row * T + j];
        }
        assert.ok(Math.abs(sum - 1) < 1e-12, `row ${row} sums to ${sum}`);
      }
      // Other tokens at the padded source steps: the same loss and alignment.
      const changed = { ...batch, tokens: Int32Array.from(batch.tokens!, (id, i) => (Math.floor(i / 4) >= batch.lengths[i % 4] ? (id + 1) % 5 : id)) };
      const r2 = model.forward(changed);
      assert.equal(r2.loss, loss);
      assert.deepEqual(Array.from(r2.attention!), Array.from(a));
    });
  }

  it('a generation step from encode() gives the logits and alignment of the teacher-forced pass, one step at a time (with and without feeding)', () => {
    for (const [score, attentionFeed] of SCORES.flatMap((s) => [[s, false], [s, true]] as const)) {
      const config = taskConfig('seq2seq', { cell: 'lstm', layers: 2, bidirectional: true, merge: 'sum', attention: score, attentionFeed });
      const model = nudgedModel(config, 7);
      const batch = randomBatch(config, 4, 3, 4, 3);
      batch.decoderLengths = new Int32Array(3).fill(3);
      const full = model.forward(batch);
      const O = config.output.size;
      const outputs = Float64Array.from(full.outputs);
      const alignment = Float64Array.from(full.attention!);
      // step() hands back float32 copies (logits and state), hence the tolerance.
      let state = model.encode(batch);
      for (let t = 0; t < 3; t++) {
        const s = model.step(batch.decoderInput!.slice(t * 3, t * 3 + 3), state);
        for (let i = 0; i < 3 * O; i++) assert.ok(Math.abs(s.logits[i] - outputs[t * 3 * O + i]) < 1e-5, `${score} logits at step ${t}`);
        for (let i = 0; i < 3 * 4; i++) assert.ok(Math.abs(s.attention![i] - alignment[t * 3 * 4 + i]) < 1e-5, `${score} alignment at step ${t}`);
        state = s.state;
      }
    }
  });

  it('attentionFeed widens decoder.rnn.weight_ih_l0 by W columns, and only there', () => {
    const shapes = (attentionFeed: boolean) => new Map(parameterShapes(taskConfig('seq2seq', { cell: 'gru', layers: 2, hiddenSize: 3, bidirectional: true, attention: 'dot', attentionFeed }))
      .map((p) => [p.name, p.shape.join('×')]));
    const plain = shapes(false);
    const fed = shapes(true);
    // decoder width W = 6 (bidirectional concat of 3); decoder tokens one-hot over 4.
    assert.equal(plain.get('decoder.rnn.weight_ih_l0'), '18×4');
    assert.equal(fed.get('decoder.rnn.weight_ih_l0'), '18×10');
    for (const [name, shape] of plain) if (name !== 'decoder.rnn.weight_ih_l0') assert.equal(fed.get(name), shape, name);
    assert.throws(() => RecurrentModel.create(taskConfig('seq2seq', { attentionFeed: true }), { seed: 1 }), /attentionFeed needs an attention score/);
  });

  it('refuses attention outside seq2seq', () => {
    assert.throws(() => RecurrentModel.create(taskConfig('many-to-many', { attention: 'dot' }), { seed: 1 }), /attention "dot" needs task seq2seq/);
  });
});
