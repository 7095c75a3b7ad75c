/**
 * Golden tests against PyTorch for the structures nn.RNN/LSTM/GRU have no flag for: skip and dense
 * connections, the sum/mean/mul merges, token inputs (embedding or one-hot), seq2seq, one-to-many
 * and ragged many-to-many batches. test/fixtures/golden/structures.json (gen_golden.py with
 * gen_structures.py) runs each recurrent layer in PyTorch and writes what connects the layers in
 * plain torch ops, after docs/contracts.md; the engine, loaded with the same weights and batch,
 * must reproduce the head outputs (valid rows), the loss, the final states and every gradient.
 * float32 runs on every backend; float64 only on the TypeScript kernels, where it runs whatever the backend.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../../src/engine/kernels/backend';
import { RecurrentModel } from '../../../src/engine/model';
import type { Batch, DType, NetworkConfig } from '../../../src/engine/types';
import { assertAllClose, assertFinalStates, GOLDEN_TOLERANCE } from './allClose';
import { dtypesOn, TEST_BACKENDS } from './backends';

interface StructureCase {
  name: string;
  config: NetworkConfig;
  /** The engine's Batch fields as plain numbers. */
  batch: Record<string, number | number[]>;
  params: Record<string, { shape: number[]; data: number[] }>;
  /** Head outputs, null after a sequence's end. */
  outputs: (number | null)[];
  loss: number;
  grads: Record<string, number[]>;
  h_n: number[][];
  c_n?: number[][];
}

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'golden', 'structures.json');
const INTEGER_FIELDS = new Set(['lengths', 'tokens', 'targetTokens', 'classLabels', 'decoderInput', 'decoderTarget', 'decoderLengths']);
const FLOAT_FIELDS = new Set(['features', 'targetValues', 'initVectors']);

function batchOf(fields: StructureCase['batch']): Batch {
  const batch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (INTEGER_FIELDS.has(key)) batch[key] = Int32Array.from(value as number[]);
    else if (FLOAT_FIELDS.has(key)) batch[key] = Float32Array.from(value as number[]);
    else if (typeof value === 'number') batch[key] = value;
    else throw new Error(`structures.json: unknown batch field "${key}"`);
  }
  return batch as unknown as Batch;
}

function loadedModel(c: StructureCase, dtype: DType, backend: Backend): RecurrentModel {
  const model = RecurrentModel.create(c.config, { seed: 1, dtype, backend });
  assert.deepEqual(model.params.map((p) => p.name).sort(), Object.keys(c.params).sort(), 'parameter names');
  for (const [name, tensor] of Object.entries(c.params)) {
    const param = model.param(name);
    assert.deepEqual([...param.shape], tensor.shape, `${name} shape`);
    param.data.set(tensor.data);
  }
  return model;
}

const cases = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { cases: StructureCase[] }).cases;

for (const { name: backendName, backend } of TEST_BACKENDS) {
  describe(`golden vs PyTorch, structures [${backendName}]`, () => {
    for (const c of cases) {
      for (const dtype of dtypesOn(backendName)) {
        describe(`${c.name}, ${dtype}`, () => {
          const tol = GOLDEN_TOLERANCE[dtype];
          let model: RecurrentModel;
          let result: ReturnType<RecurrentModel['forward']>;
          before(() => {
            model = loadedModel(c, dtype, backend());
            result = model.forward(batchOf(c.batch), { training: true });
            model.zeroGrad();
            model.backward();
          });

          it('head outputs at valid steps and the mean loss match', () => {
            assertAllClose(result.outputs, c.outputs, 'outputs', tol);
            assertAllClose([result.loss], [c.loss], 'loss', tol);
          });

          it('final states per layer×direction match h_n (and c_n)', () => {
            assertFinalStates(result.finalState, c.h_n, c.c_n, tol);
          });

          it('every parameter gradient matches', () => {
            for (const [name, expected] of Object.entries(c.grads)) assertAllClose(model.param(name).grad, expected, `grad ${name}`, tol);
          });
        });
      }
    }
  });
}
