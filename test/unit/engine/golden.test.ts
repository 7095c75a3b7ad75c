/**
 * Golden tests against PyTorch: the engine, loaded with the weights and inputs of
 * test/fixtures/golden/*.json (made by gen_golden.py with nn.RNN/LSTM/GRU in float64), must
 * reproduce PyTorch's head outputs, loss, final states and every parameter's gradient.
 *
 * float32 runs use the issue's tolerance (rtol 1e-4, atol 1e-5); float64 runs the very same code,
 * so it must agree far more closely (rtol 1e-7, atol 1e-9), which catches small systematic
 * errors the float32 tolerance would forgive. float32 runs on every backend; float64 only on the
 * TypeScript kernels, where it runs whatever the backend.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../../src/engine/kernels/backend';
import { RecurrentModel } from '../../../src/engine/model';
import type { Batch, CellType, Activation, DType, NetworkConfig } from '../../../src/engine/types';
import { assertAllClose, assertFinalStates, GOLDEN_TOLERANCE } from './allClose';
import { dtypesOn, TEST_BACKENDS } from './backends';

interface TensorFixture { shape: number[]; data: number[] }

interface TaskFixture {
  task: 'many-to-many' | 'many-to-one';
  output: { kind: 'classes' | 'values'; size: number };
  lengths: number[];
  targetTokens?: number[];
  classLabels?: number[];
  targetValues?: number[];
  headParams: Record<string, TensorFixture>;
  outputs: number[];
  loss: number;
  grads: Record<string, number[]>;
  h_n: number[][];
  c_n?: number[][];
}

interface CaseFixture {
  name: string;
  cell: CellType;
  activation: Activation;
  layers: number;
  bidirectional: boolean;
  hiddenSize: number;
  inputSize: number;
  steps: number;
  batchSize: number;
  input: number[];
  rnnParams: Record<string, TensorFixture>;
  tasks: TaskFixture[];
}

const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'golden');
const FIXTURE_FILES = ['rnn_tanh.json', 'rnn_relu.json', 'lstm.json', 'gru.json'];

function loadCases(file: string): CaseFixture[] {
  return (JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as { cases: CaseFixture[] }).cases;
}

function networkConfig(c: CaseFixture, t: TaskFixture): NetworkConfig {
  return {
    task: t.task,
    cell: c.cell,
    activation: c.activation,
    hiddenSize: c.hiddenSize,
    layers: c.layers,
    bidirectional: c.bidirectional,
    merge: 'concat',
    connections: 'none',
    dropout: 0,
    recurrentInit: 'orthogonal',
    input: { kind: 'features', size: c.inputSize },
    output: t.output,
  };
}

function batchOf(c: CaseFixture, t: TaskFixture): Batch {
  const batch: Batch = {
    batchSize: c.batchSize,
    steps: c.steps,
    lengths: Int32Array.from(t.lengths),
    features: Float32Array.from(c.input),
  };
  if (t.targetTokens) batch.targetTokens = Int32Array.from(t.targetTokens);
  if (t.classLabels) batch.classLabels = Int32Array.from(t.classLabels);
  if (t.targetValues) batch.targetValues = Float32Array.from(t.targetValues);
  return batch;
}

/** A model with the fixture's weights in every parameter (a missing or extra parameter fails). */
function loadedModel(c: CaseFixture, t: TaskFixture, dtype: DType, backend: Backend): RecurrentModel {
  const model = RecurrentModel.create(networkConfig(c, t), { seed: 1, dtype, backend });
  const weights: Record<string, TensorFixture> = { ...c.rnnParams, ...t.headParams };
  assert.deepEqual(model.params.map((p) => p.name).sort(), Object.keys(weights).sort(), 'parameter names');
  for (const [name, tensor] of Object.entries(weights)) {
    const param = model.param(name);
    assert.deepEqual([...param.shape], tensor.shape, `${name} shape`);
    param.data.set(tensor.data);
  }
  return model;
}

function describeTask(c: CaseFixture, t: TaskFixture): string {
  const target = t.output.kind === 'values' ? `MSE ${t.output.size} values` : `CE ${t.output.size} classes`;
  return `${t.task}, lengths [${t.lengths.join(',')}], ${target}`;
}

for (const { name: backendName, backend } of TEST_BACKENDS) for (const file of FIXTURE_FILES) {
  for (const c of loadCases(file)) {
    describe(`golden vs PyTorch: ${c.name} [${backendName}]`, () => {
      for (const t of c.tasks) {
        for (const dtype of dtypesOn(backendName)) {
          describe(`${describeTask(c, t)}, ${dtype}`, () => {
            const tol = GOLDEN_TOLERANCE[dtype];
            let model: RecurrentModel;
            let result: ReturnType<RecurrentModel['forward']>;
            before(() => {
              model = loadedModel(c, t, dtype, backend());
              result = model.forward(batchOf(c, t), { training: true });
              model.zeroGrad();
              model.backward();
            });

            it('head outputs and mean loss match', () => {
              assertAllClose(result.outputs, t.outputs, 'outputs', tol);
              assertAllClose([result.loss], [t.loss], 'loss', tol);
              if (t.output.kind === 'classes') {
                const expectedCount = t.task === 'many-to-many' ? c.steps * c.batchSize : c.batchSize;
                assert.equal(result.count, expectedCount, 'count of scored targets');
              }
            });

            it('final states per layer×direction match h_n (and c_n)', () => {
              assertFinalStates(result.finalState, t.h_n, t.c_n, tol);
            });

            it('every parameter gradient matches', () => {
              for (const [name, expected] of Object.entries(t.grads)) {
                assertAllClose(model.param(name).grad, expected, `grad ${name}`, tol);
              }
            });
          });
        }
      }
    });
  }
}
