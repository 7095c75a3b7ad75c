/**
 * Attribution of one head output to the first layer's input vectors x (T×B×X, time-major; the
 * encoder's for seq2seq): the embedding outputs, the one-hot vectors of tokens read without an
 * embedding (so that x_t·∂f/∂x_t is the token's column of W_ih times its gradient), or the features.
 *
 *   f(x)                    one head output o[row, column] (a logit, or a value) of a forward pass
 *                           from x (`RecurrentModel.forward` with `inputVectors`)
 *   ∇f(x)                   full BPTT seeded at that output (`backward({ seed })`), no finite differences
 *   gradient × input        a_i = x_i · ∂f/∂x_i(x)
 *   integrated gradients    a_i = x_i · (1/m) Σ_{k<m} ∂f/∂x_i(α_k x),  α_k = (k + ½)/m  (midpoint rule,
 *                           baseline x' = 0), so that Σ_i a_i ≈ f(x) − f(0) ("completeness")
 *   completeness error      |Σ_i a_i − (f(x) − f(0))|, reported for both methods; for integrated
 *                           gradients it shrinks as O(1/m²) where f is smooth along the path (tanh,
 *                           sigmoid), only as O(1/m) across ReLU kinks
 * The batch supplies everything else (lengths, decoder input for seq2seq, targets the loss ignores);
 * its tokens or features are not read. Dropout is off. Parameter gradients are left zeroed.
 */
import type { OutputSeed, RecurrentModel } from './model';
import type { Batch, FloatArray } from './types';

export type AttributionMethod = 'ig' | 'gradxinput';

export interface Attribution {
  /** T×B×X, one per input entry; Σ over X gives a step's share. */
  attributions: Float64Array;
  /** f(x) and f(0). */
  output: number;
  baselineOutput: number;
  /** |Σ attributions − (f(x) − f(0))|. */
  completenessError: number;
}

/** Width X of the first layer's input: the embedding size, the vocabulary (one-hot), or the features. */
export function inputVectorWidth(model: RecurrentModel): number {
  const input = model.config.input;
  return input.kind === 'features' ? input.size : input.embeddingSize || input.vocabSize;
}

/** The input vectors x (T×B×X) the model reads for `batch`: embedding rows, one-hot vectors, or the features. */
export function inputVectorsOf(model: RecurrentModel, batch: Batch): FloatArray {
  const X = inputVectorWidth(model);
  const n = batch.steps * batch.batchSize;
  const x = allocate(model, n * X);
  if (model.config.input.kind === 'features') {
    if (!batch.features) throw new Error('batch has no features');
    x.set(batch.features.subarray(0, n * X));
    return x;
  }
  const ids = batch.tokens;
  if (!ids) throw new Error('batch has no tokens');
  const { embeddingSize, vocabSize } = model.config.input;
  const table = embeddingSize > 0 ? model.param(`${model.config.task === 'seq2seq' ? 'encoder.' : ''}embedding.weight`).data : null;
  for (let r = 0; r < n; r++) {
    const id = ids[r];
    if (id < 0 || id >= vocabSize) continue;
    if (table) for (let j = 0; j < X; j++) x[r * X + j] = table[id * X + j];
    else x[r * X + id] = 1;
  }
  return x;
}

/** f(x): the seeded head output of a forward pass from the input vectors x. */
export function outputFromInputs(model: RecurrentModel, batch: Batch, x: FloatArray, seed: OutputSeed): number {
  checkSeed(model, batch, x, seed);
  const grad = allocate(model, x.length);
  const { outputs } = model.forward(batch, { inputVectors: { data: x, grad } });
  return outputs[seed.row * model.config.output.size + seed.column];
}

/** f(x) and ∇f(x) (a fresh array shaped as x), by one forward and one seeded backward pass. */
export function inputGradient(model: RecurrentModel, batch: Batch, x: FloatArray, seed: OutputSeed): { output: number; gradient: FloatArray } {
  checkSeed(model, batch, x, seed);
  const gradient = allocate(model, x.length);
  const { outputs } = model.forward(batch, { inputVectors: { data: x, grad: gradient } });
  const output = outputs[seed.row * model.config.output.size + seed.column];
  model.backward({ seed });
  model.zeroGrad();
  return { output, gradient };
}

/** Attributions of the seeded output to x by `method` (`steps`: m, integrated gradients only). */
export function attribute(model: RecurrentModel, batch: Batch, x: FloatArray, seed: OutputSeed, method: AttributionMethod, steps = 32): Attribution {
  if (method === 'ig' && !(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`integrated gradients needs steps ≥ 1, got ${steps}`);
  const n = x.length;
  const meanGradient = new Float64Array(n);
  let output: number;
  if (method === 'gradxinput') {
    const g = inputGradient(model, batch, x, seed);
    output = g.output;
    meanGradient.set(g.gradient);
  } else {
    output = outputFromInputs(model, batch, x, seed);
    const scaled = allocate(model, n);
    for (let k = 0; k < steps; k++) {
      const alpha = (k + 0.5) / steps;
      for (let i = 0; i < n; i++) scaled[i] = alpha * x[i];
      const { gradient } = inputGradient(model, batch, scaled, seed);
      for (let i = 0; i < n; i++) meanGradient[i] += gradient[i] / steps;
    }
  }
  const baselineOutput = outputFromInputs(model, batch, allocate(model, n), seed);
  const attributions = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    attributions[i] = x[i] * meanGradient[i];
    total += attributions[i];
  }
  return { attributions, output, baselineOutput, completenessError: Math.abs(total - (output - baselineOutput)) };
}

function checkSeed(model: RecurrentModel, batch: Batch, x: FloatArray, seed: OutputSeed): void {
  if (model.config.task === 'one-to-many') throw new Error('one-to-many models read no input sequence to attribute to');
  const X = inputVectorWidth(model);
  if (x.length !== batch.steps * batch.batchSize * X) throw new Error(`input vectors: expected ${batch.steps}×${batch.batchSize}×${X} values, got ${x.length}`);
  const { task } = model.config;
  const rows = task === 'many-to-one' ? batch.batchSize : (task === 'many-to-many' ? batch.steps : batch.decoderSteps ?? 0) * batch.batchSize;
  const O = model.config.output.size;
  if (!(seed.row >= 0 && seed.row < rows && seed.column >= 0 && seed.column < O)) {
    throw new RangeError(`output seed (${seed.row}, ${seed.column}) is outside the ${rows}×${O} outputs`);
  }
}

/** A zeroed array of the model's dtype from its backend. */
function allocate(model: RecurrentModel, n: number): FloatArray {
  return model.backend.allocate(n, model.params[0].data instanceof Float64Array ? 'float64' : 'float32');
}
