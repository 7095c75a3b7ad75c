import { strict as assert } from 'node:assert';
import { RecurrentModel, type RecurrentState } from '../../../src/engine/model';
import type { NetworkConfig } from '../../../src/engine/types';
import { Vocabulary } from '../../../src/data';
import { hiddenStates } from '../../../src/train/hiddenStates';
import { inputBatch } from '../../../src/train/prediction';
import type { LoadedRun } from '../../../src/train/loadedRun';

const vocab = new Vocabulary({ unit: 'char', tokens: ['<pad>', '<unk>', 'a', 'b', 'c'] });

function config(overrides: Partial<NetworkConfig>): NetworkConfig {
  return {
    task: 'many-to-many', cell: 'gru', activation: 'tanh', hiddenSize: 5, layers: 2, bidirectional: false, merge: 'concat',
    connections: 'none', dropout: 0, recurrentInit: 'orthogonal',
    input: { kind: 'tokens', vocabSize: vocab.size, embeddingSize: 3 }, output: { kind: 'classes', size: vocab.size }, ...overrides,
  };
}

/** Only what hiddenStates reads of a loaded run: the model and its input vocabulary. */
const runOf = (model: RecurrentModel) => ({ model, inputVocab: vocab }) as unknown as LoadedRun;

describe('hiddenStates', () => {
  it('returns per-layer T×W states equal to stepping the language model token by token', () => {
    const model = RecurrentModel.create(config({}), { seed: 7 });
    const input = 'abcab';
    const result = hiddenStates(runOf(model), inputBatch(runOf(model), input, 'test'));
    assert.deepEqual(result.steps, ['a', 'b', 'c', 'a', 'b']);
    assert.equal(result.layers.length, 2);
    let state: RecurrentState | null = null;
    for (let t = 0; t < input.length; t++) {
      state = model.step(Int32Array.of(vocab.id(input[t])), state).state;
      for (let k = 0; k < 2; k++) {
        const layer = result.layers[k];
        assert.equal(layer.width, 5);
        assert.equal(layer.states.length, input.length);
        layer.states[t].forEach((v, u) => assert.ok(Math.abs(v - state!.h[k][u]) < 1e-5, `layer ${k} t ${t} unit ${u}: ${v} vs ${state!.h[k][u]}`));
      }
    }
  });

  it('a bidirectional concat layer has width 2H and says so; unseen tokens read as <unk>', () => {
    const model = RecurrentModel.create(config({ task: 'many-to-one', layers: 1, bidirectional: true, output: { kind: 'classes', size: 2 } }), { seed: 3 });
    const result = hiddenStates(runOf(model), inputBatch(runOf(model), 'abxa', 'test'));
    assert.equal(result.layers[0].width, 10);
    assert.deepEqual(result.steps, ['a', 'b', '<unk>', 'a']);
    assert.equal(result.layers[0].states.length, 4);
    assert.match(result.layers[0].label, /forward ‖ backward/);
    assert.ok(result.layers[0].states.flat().some((v) => v !== 0));
  });
});
