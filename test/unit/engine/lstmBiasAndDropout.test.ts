/**
 * Two initialisation and mode behaviours no other test pins down:
 *   - the LSTM forget gate starts with a bias of 1 (b_ih's forget slice = 1, b_hh = 0, so the gate
 *     sees b_ih + b_hh = 1 exactly, as Jozefowicz et al. recommend; PyTorch adds both biases);
 *   - dropout acts only in training: an evaluation forward (and the validation pass the trainer
 *     runs, `evaluateStream`) gives the same numbers with or without a dropout rate.
 */
import { strict as assert } from 'node:assert';
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { NetworkConfig } from '../../../src/engine/types';
import { evaluateStream } from '../../../src/train/evaluation';
import { baseConfig, randomBatch } from './batches';

describe('LSTM forget-gate bias initialisation', () => {
  const H = 3;
  const configs: [string, NetworkConfig][] = [
    ['1-layer', baseConfig({ cell: 'lstm', layers: 1, hiddenSize: H })],
    ['2-layer bidirectional with skip connections', baseConfig({ cell: 'lstm', layers: 2, bidirectional: true, connections: 'skip', hiddenSize: H })],
    ['seq2seq (encoder and decoder)', baseConfig({
      task: 'seq2seq', cell: 'lstm', layers: 2, bidirectional: true, hiddenSize: H,
      input: { kind: 'tokens', vocabSize: 5, embeddingSize: 2 }, decoder: { vocabSize: 6, embeddingSize: 2 }, output: { kind: 'classes', size: 6 },
    })],
  ];
  for (const [label, config] of configs) {
    it(`${label}: every b_ih is [0 (input) | 1 (forget) | 0 (cell) | 0 (output)] and every b_hh is 0`, () => {
      const model = RecurrentModel.create(config, { seed: 7 });
      const biasesIh = model.params.filter((p) => p.name.includes('rnn.bias_ih_'));
      const biasesHh = model.params.filter((p) => p.name.includes('rnn.bias_hh_'));
      // seq2seq adds a one-directional decoder of as many layers.
      const directions = config.layers * (config.bidirectional ? 2 : 1) + (config.task === 'seq2seq' ? config.layers : 0);
      assert.equal(biasesIh.length, directions, 'one b_ih per layer × direction (and decoder layer)');
      assert.equal(biasesHh.length, directions, 'one b_hh per layer × direction (and decoder layer)');
      for (const p of biasesIh) {
        const gateWidth = p.shape[0] / 4;
        // PyTorch's gate order: input, forget, cell (g), output.
        const expected = Array.from({ length: p.shape[0] }, (_, i) => (i >= gateWidth && i < 2 * gateWidth ? 1 : 0));
        assert.deepEqual(Array.from(p.data), expected, p.name);
      }
      // b_hh is pinned too: the gate adds both biases, so a 1 there would make the forget bias 2.
      for (const p of biasesHh) assert.deepEqual(Array.from(p.data), new Array(p.shape[0]).fill(0), p.name);
    });
  }

  it('GRU and vanilla RNN biases start at zero (the forget bias is an LSTM gate only)', () => {
    for (const cell of ['gru', 'rnn'] as const) {
      const model = RecurrentModel.create(baseConfig({ cell, layers: 2 }), { seed: 7 });
      for (const p of model.params.filter((q) => q.name.includes('rnn.bias_'))) assert.ok(p.data.every((v) => v === 0), `${cell} ${p.name}`);
    }
  });
});

describe('dropout is off at evaluation time', () => {
  // Three layers so that dropout sits between layers 0–1 and 1–2 (never above the top).
  const withDropout = baseConfig({ cell: 'gru', layers: 3, hiddenSize: 8, dropout: 0.5 });
  const withoutDropout: NetworkConfig = { ...withDropout, dropout: 0 };
  const batch = randomBatch(withDropout, 3, 4, 6);

  function pair(): [RecurrentModel, RecurrentModel] {
    const a = RecurrentModel.create(withDropout, { seed: 11 });
    const b = RecurrentModel.create(withoutDropout, { seed: 11 });
    // The dropout rate draws nothing at initialisation: same seed, same weights.
    a.params.forEach((p, i) => assert.deepEqual(p.data, b.params[i].data, p.name));
    return [a, b];
  }

  it('training: false gives the no-dropout outputs and loss, the same on every call', () => {
    const [a, b] = pair();
    const expected = Float32Array.from(b.forward(batch, { training: false }).outputs);
    const lossWithout = b.forward(batch, { training: false }).loss;
    for (let call = 0; call < 3; call++) {
      const r = a.forward(batch, { training: false, rng: new Rng(100 + call) });
      assert.deepEqual(Float32Array.from(r.outputs), expected, `call ${call}`);
      assert.equal(r.loss, lossWithout);
    }
    // Absent options mean evaluation too.
    assert.deepEqual(Float32Array.from(a.forward(batch).outputs), expected);
  });

  it('training: true does drop units: its outputs differ from the evaluation outputs', () => {
    const [a, b] = pair();
    const evaluation = Float32Array.from(b.forward(batch, { training: false }).outputs);
    const trained = Float32Array.from(a.forward(batch, { training: true, rng: new Rng(5) }).outputs);
    const changed = trained.filter((v, i) => v !== evaluation[i]).length;
    assert.ok(changed > trained.length / 2, `only ${changed}/${trained.length} outputs changed under dropout 0.5`);
    // ... and the same config without dropout stays put in training mode.
    assert.deepEqual(Float32Array.from(b.forward(batch, { training: true, rng: new Rng(5) }).outputs), evaluation);
  });

  it('the validation pass (evaluateStream) scores a dropout model as its dropout-free twin', () => {
    const lm = (dropout: number): NetworkConfig => baseConfig({
      cell: 'lstm', layers: 2, hiddenSize: 6, dropout,
      input: { kind: 'tokens', vocabSize: 7, embeddingSize: 3 }, output: { kind: 'classes', size: 7 },
    });
    const rng = new Rng(4);
    const tokens = Int32Array.from({ length: 200 }, () => 2 + rng.int(5));
    const options = { batchSize: 4, windowSteps: 10, unit: 'char' as const };
    const a = evaluateStream(RecurrentModel.create(lm(0.5), { seed: 2 }), tokens, options);
    const b = evaluateStream(RecurrentModel.create(lm(0), { seed: 2 }), tokens, options);
    assert.deepEqual(a, b);
  });
});
