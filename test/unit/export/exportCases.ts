/**
 * The networks the PyTorch export is checked on, and their engine side: a seeded model whose every
 * parameter is random and float32-exact (so the exported F32 file holds exactly the weights the
 * engine ran with), a ragged batch, and the engine's outputs on it in float32 and float64.
 */
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import { encodeSafetensors } from '../../../src/engine/safetensors';
import type { Batch, CellType, Connections, Merge, NetworkConfig, TaskShape } from '../../../src/engine/types';

export interface ExportCase {
  name: string;
  config: NetworkConfig;
}

/** A tensor for the Python side: `torch.tensor(data, dtype).reshape(shape)`. */
interface TensorJson { dtype: 'long' | 'float'; shape: number[]; data: number[] }

export interface CaseData {
  name: string;
  /** The keyword arguments of the exported module's forward. */
  kwargs: Record<string, TensorJson>;
  /** Engine outputs (T×B×O or B×O), flattened, in float64 and float32 runs. */
  expected64: number[];
  expected32: number[];
  shape: number[];
  /** 1 where the output row is a valid step (aligned outputs), same layout as `expected` without O. */
  valid: number[];
}

const CELLS: { label: string; cell: CellType; activation: 'tanh' | 'relu' }[] = [
  { label: 'rnn-tanh', cell: 'rnn', activation: 'tanh' },
  { label: 'rnn-relu', cell: 'rnn', activation: 'relu' },
  { label: 'lstm', cell: 'lstm', activation: 'tanh' },
  { label: 'gru', cell: 'gru', activation: 'tanh' },
];
const MERGES: Merge[] = ['concat', 'sum', 'mean', 'mul'];
const CONNECTIONS: Connections[] = ['none', 'skip', 'dense'];

function config(task: TaskShape, over: Partial<NetworkConfig>): NetworkConfig {
  return {
    task, cell: 'rnn', activation: 'tanh', hiddenSize: 3, layers: 2, bidirectional: false, merge: 'concat',
    connections: 'none', dropout: 0.25, recurrentInit: 'orthogonal',
    input: { kind: 'features', size: 2 }, output: { kind: 'classes', size: 4 }, ...over,
  };
}

/**
 * Every cell × (many-to-one and many-to-many, bidirectional, under each merge; seq2seq with a
 * bidirectional encoder and one-to-many under each connection; a deep unidirectional skip stack
 * with identity and projected residuals). Inputs alternate between features, one-hot tokens and
 * embedded tokens; outputs between classes and values.
 */
export function exportCases(): ExportCase[] {
  const cases: ExportCase[] = [];
  for (const { label, cell, activation } of CELLS) {
    const base = { cell, activation };
    MERGES.forEach((merge, i) => {
      const connections = CONNECTIONS[i % 3];
      cases.push({
        name: `${label} many-to-one bidirectional ${merge} ${connections}`,
        config: config('many-to-one', { ...base, bidirectional: true, merge, connections, input: { kind: 'features', size: 2 + (i % 2) } }),
      });
      cases.push({
        name: `${label} many-to-many bidirectional ${merge} ${CONNECTIONS[(i + 1) % 3]}`,
        config: config('many-to-many', {
          ...base, bidirectional: true, merge, connections: CONNECTIONS[(i + 1) % 3],
          input: { kind: 'tokens', vocabSize: 7, embeddingSize: i % 2 === 0 ? 0 : 4 },
          output: i === 3 ? { kind: 'values', size: 2 } : { kind: 'classes', size: 5 },
        }),
      });
    });
    CONNECTIONS.forEach((connections, i) => {
      cases.push({
        name: `${label} seq2seq bidirectional ${MERGES[i + 1]} ${connections}`,
        config: config('seq2seq', {
          ...base, bidirectional: true, merge: MERGES[i + 1], connections,
          input: { kind: 'tokens', vocabSize: 6, embeddingSize: i === 1 ? 0 : 3 },
          decoder: { vocabSize: 8, embeddingSize: i === 2 ? 0 : 5 }, output: { kind: 'classes', size: 8 },
        }),
      });
      cases.push({
        name: `${label} one-to-many ${connections}`,
        config: config('one-to-many', {
          ...base, connections, layers: 2 + (i % 2), initVectorSize: 3,
          decoder: { vocabSize: 6, embeddingSize: i === 0 ? 0 : 4 }, output: { kind: 'classes', size: 6 },
        }),
      });
    });
    // Attention: one score per cell, with and without feeding.
    const score = (['dot', 'general', 'additive', 'dot'] as const)[CELLS.findIndex((x) => x.label === label)];
    for (const attentionFeed of [false, true]) {
      cases.push({
        name: `${label} seq2seq attention ${score}${attentionFeed ? ' fed' : ''} bidirectional concat none`,
        config: config('seq2seq', {
          ...base, bidirectional: true, merge: 'concat', attention: score, attentionFeed,
          input: { kind: 'tokens', vocabSize: 6, embeddingSize: 3 },
          decoder: { vocabSize: 8, embeddingSize: attentionFeed ? 0 : 5 }, output: { kind: 'classes', size: 8 },
        }),
      });
    }
    cases.push({
      name: `${label} many-to-one deep skip, identity residuals`,
      config: config('many-to-one', { ...base, layers: 3, hiddenSize: 4, connections: 'skip', input: { kind: 'features', size: 4 }, output: { kind: 'values', size: 1 } }),
    });
    cases.push({
      name: `${label} many-to-many deep bidirectional skip, projected first residual`,
      config: config('many-to-many', { ...base, layers: 3, bidirectional: true, connections: 'skip', input: { kind: 'features', size: 3 } }),
    });
  }
  return cases;
}

const B = 3;
const T = 5;
const T2 = 4;
/** Ragged and unsorted, so packing must sort and unsort. */
const LENGTHS = [5, 2, 4];
const DECODER_LENGTHS = [2, 4, 3];

function batchFor(c: NetworkConfig, rng: Rng): Batch {
  const lengths = Int32Array.from(LENGTHS);
  const batch: Batch = { batchSize: B, steps: T, lengths };
  const input = c.input;
  if (input.kind === 'tokens') batch.tokens = Int32Array.from({ length: T * B }, () => rng.int(input.vocabSize));
  else batch.features = Float32Array.from({ length: T * B * input.size }, () => rng.normal());
  const O = c.output.size;
  const values = c.output.kind === 'values';
  if (c.task === 'many-to-one') {
    if (values) batch.targetValues = new Float32Array(B * O);
    else batch.classLabels = new Int32Array(B);
  } else if (c.task === 'many-to-many') {
    if (values) batch.targetValues = new Float32Array(T * B * O);
    else batch.targetTokens = new Int32Array(T * B);
  } else {
    const V = c.decoder!.vocabSize;
    Object.assign(batch, {
      decoderSteps: T2, decoderLengths: Int32Array.from(DECODER_LENGTHS),
      decoderInput: Int32Array.from({ length: T2 * B }, () => rng.int(V)), decoderTarget: new Int32Array(T2 * B),
    });
    if (c.task === 'one-to-many') {
      batch.steps = 0;
      batch.lengths = new Int32Array(B);
      delete batch.tokens;
      delete batch.features;
      batch.initVectors = Float32Array.from({ length: B * c.initVectorSize! }, () => rng.normal());
    }
  }
  return batch;
}

/** The forward keyword arguments of the exported module for a batch. */
function kwargsFor(c: NetworkConfig, batch: Batch): Record<string, TensorJson> {
  const long = (data: Int32Array, shape: number[]): TensorJson => ({ dtype: 'long', shape, data: Array.from(data) });
  const float = (data: Float32Array, shape: number[]): TensorJson => ({ dtype: 'float', shape, data: Array.from(data) });
  const source = batch.tokens ? long(batch.tokens, [T, B]) : batch.features ? float(batch.features, [T, B, (c.input as { size: number }).size]) : undefined;
  const decoder = () => ({ decoder_input: long(batch.decoderInput!, [T2, B]), decoder_lengths: long(batch.decoderLengths!, [B]) });
  switch (c.task) {
    case 'many-to-one':
    case 'many-to-many':
      return { inputs: source!, lengths: long(batch.lengths, [B]) };
    case 'one-to-many':
      return { init_vector: float(batch.initVectors!, [B, c.initVectorSize!]), ...decoder() };
    case 'seq2seq':
      return { source: source!, source_lengths: long(batch.lengths, [B]), ...decoder() };
  }
}

/** Builds the case's engine model (random float32-exact weights), batch and outputs; returns them with the weights file. */
export function caseData(ec: ExportCase, seed: number): { data: CaseData; weights: Uint8Array } {
  const rng = new Rng(seed);
  const model64 = RecurrentModel.create(ec.config, { seed, dtype: 'float64' });
  // Every parameter random (biases too, so that b_ih/b_hh or gate-order mix-ups show), float32-exact.
  for (const p of model64.params) for (let i = 0; i < p.data.length; i++) p.data[i] = Math.fround(0.6 * rng.normal());
  const weights = encodeSafetensors(model64.exportWeights(), { format: 'pt' });
  const model32 = RecurrentModel.create(ec.config, { seed });
  model32.importWeights(new Map(model64.exportWeights().map((t) => [t.name, t])));
  const batch = batchFor(ec.config, rng);
  const expected64 = Array.from(model64.forward(batch).outputs);
  const expected32 = Array.from(model32.forward(batch).outputs);
  const O = ec.config.output.size;
  const c = ec.config;
  let shape: number[];
  let valid: number[];
  if (c.task === 'many-to-one') {
    shape = [B, O];
    valid = new Array(B).fill(1);
  } else {
    const steps = c.task === 'many-to-many' ? T : T2;
    const lengths = c.task === 'many-to-many' ? LENGTHS : DECODER_LENGTHS;
    shape = [steps, B, O];
    valid = Array.from({ length: steps * B }, (_, r) => (Math.floor(r / B) < lengths[r % B] ? 1 : 0));
  }
  return { data: { name: ec.name, kwargs: kwargsFor(c, batch), expected64, expected32, shape, valid }, weights };
}
