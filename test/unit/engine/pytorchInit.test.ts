/**
 * `initialization: "pytorch"` draws every parameter as PyTorch's defaults do, so a model can start
 * from the distribution a plain PyTorch script would: nn.RNN/LSTM/GRU weights and biases
 * U(±1/√H); nn.Linear (head, init, skip projections) U(±1/√fan_in); nn.Embedding N(0, 1).
 */
import { strict as assert } from 'node:assert';
import { toNetworkConfig } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { resolveSpec } from '../../../src/modelSpec';
import type { NetworkConfig } from '../../../src/engine/types';
import { baseConfig } from './batches';

const H = 64;

/** H of a recurrent parameter: its rows over the gate count (a seq2seq decoder's H is the encoder's merged width). */
function hiddenOf(rows: number, cell: NetworkConfig['cell']): number {
  return rows / (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1);
}

function boundOf(name: string, shape: readonly number[], cell: NetworkConfig['cell']): number | undefined {
  if (/\.(weight|bias)_(ih|hh)_l\d/.test(name)) return 1 / Math.sqrt(hiddenOf(shape[0], cell));
  if (name.endsWith('embedding.weight')) return undefined;
  if (name.endsWith('.weight')) return 1 / Math.sqrt(shape[1]);
  return undefined; // a Linear bias: bound from its weight's fan_in, checked below
}

describe('initialization "pytorch"', () => {
  const configs: [string, NetworkConfig][] = [
    ['LSTM, 2 layers, bidirectional, skip', baseConfig({ cell: 'lstm', layers: 2, bidirectional: true, connections: 'skip', hiddenSize: H, initialization: 'pytorch' })],
    ['GRU with token input', baseConfig({ cell: 'gru', hiddenSize: H, initialization: 'pytorch', input: { kind: 'tokens', vocabSize: 40, embeddingSize: 16 } })],
    ['seq2seq, bidirectional encoder (decoder H = 2H)', baseConfig({
      task: 'seq2seq', cell: 'lstm', bidirectional: true, hiddenSize: H, initialization: 'pytorch',
      input: { kind: 'tokens', vocabSize: 30, embeddingSize: 8 }, decoder: { vocabSize: 30, embeddingSize: 8 }, output: { kind: 'classes', size: 30 },
    })],
  ];
  for (const [label, config] of configs) {
    it(`${label}: every recurrent weight and bias U(±1/√H), Linear weights and biases U(±1/√fan_in)`, () => {
      const model = RecurrentModel.create(config, { seed: 3 });
      const weightOf = new Map(model.params.map((p) => [p.name, p]));
      for (const p of model.params) {
        let bound = boundOf(p.name, p.shape, config.cell);
        if (bound === undefined && p.name.endsWith('.bias')) bound = 1 / Math.sqrt(weightOf.get(p.name.replace(/bias$/, 'weight'))!.shape[1]);
        if (bound === undefined) continue;
        const values = Array.from(p.data);
        const maxAbs = Math.max(...values.map(Math.abs));
        assert.ok(maxAbs <= bound, `${p.name}: |w| ≤ ${bound}, got ${maxAbs}`);
        if (values.length >= 200) {
          // U(−b, b): spread over the whole range, variance b²/3.
          assert.ok(maxAbs > 0.9 * bound, `${p.name}: fills the range (max ${maxAbs} of ${bound})`);
          const variance = values.reduce((s, v) => s + v * v, 0) / values.length;
          assert.ok(Math.abs(variance / (bound * bound / 3) - 1) < 0.25, `${p.name}: variance ${variance} vs ${bound * bound / 3}`);
        }
        if (p.name.includes('bias')) assert.ok(values.some((v) => v !== 0), `${p.name}: biases are drawn, not zero`);
      }
    });
  }

  it('is deterministic from the seed, and differs from the default initialisation', () => {
    const config = configs[0][1];
    const a = RecurrentModel.create(config, { seed: 5 }).params.map((p) => Array.from(p.data));
    const b = RecurrentModel.create(config, { seed: 5 }).params.map((p) => Array.from(p.data));
    assert.deepEqual(a, b);
    const glorot = RecurrentModel.create({ ...config, initialization: 'glorot' }, { seed: 5 });
    const forget = glorot.params.find((p) => p.name === 'rnn.bias_ih_l0')!;
    assert.equal(forget.data[H], 1, 'the default keeps the forget bias of 1');
  });
});

describe('model.initialization in a spec', () => {
  it('resolves to "glorot" when absent (today\'s weights, and those of stored runs) and reaches the network config', () => {
    const base = { task: 'many-to-one', data: { train: 'x.jsonl' }, model: { cell: 'gru' } };
    assert.equal(resolveSpec(base).model.initialization, 'glorot');
    const spec = resolveSpec({ ...base, model: { cell: 'gru', initialization: 'pytorch' } });
    const data = { task: 'many-to-one', kind: 'records', labels: ['a', 'b'], inputVocab: undefined, featureSize: 3 } as never;
    assert.equal(toNetworkConfig(spec, data).initialization, 'pytorch');
  });
});
