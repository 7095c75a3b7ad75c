import { Arena } from './arena';
import { EncoderBridge, InitVectorBridge, type DecoderStart } from './bridging';
import { embeddingBackward, firstLayerInput, givenInput, reserveEmbedding, zeroEmbeddingGradient, type Embedding, type InputVectors } from './embedding';
import { encode, step, type GenerationStep, type RecurrentState } from './generation';
import { glorotUniform, identityInit, orthogonalInit, pytorchDefaultInit } from './init';
import { addColumnSumsInto, addRowBiasInto } from './kernels/elementwise';
import { typescriptBackend, type Backend } from './kernels/backend';
import { matMulInto, rowsAt } from './kernels/matrix';
import { meanSquaredError, softmaxCrossEntropy, type LossTotals } from './losses';
import { AttentionDecoder } from './layers/attentionDecoder';
import { FinalFeatures } from './layers/finalFeatures';
import type { InputSegment } from './layers/recurrentDirection';
import { gateCount, RecurrentStack, type SequenceStack } from './layers/stack';
import { parameterShapes, stackConfigs } from './networkShapes';
import { Rng } from './random';
import type { NamedTensor } from './safetensors';
import type { Batch, DType, FloatArray, NetworkConfig, Param } from './types';

export { countParameters, parameterShapes } from './networkShapes';
export type { GenerationStep, RecurrentState } from './generation';

export interface ForwardOptions {
  /** Dropout on (needs `rng` or uses the model's own). */
  training?: boolean;
  /** Initial state of the (main or decoder) stack, e.g. carried across truncated-BPTT windows. */
  initialState?: RecurrentState;
  /** Keep each layer's merged output sequence (T×B×W) in the result. */
  collectHidden?: boolean;
  rng?: Rng;
  /**
   * Explanations (src/engine/inputAttribution.ts): the first layer's input x¹ given directly, T×B×X (the
   * encoder's for seq2seq; X the embedding size, the vocabulary for one-hot tokens, or the features),
   * in place of the batch's tokens or features; backward adds ∂L/∂x¹ into `grad`.
   */
  inputVectors?: InputVectors;
}

/** Seeds backward at one head output: ∂L/∂o = 1 at (row, column), 0 elsewhere (rows as in `outputs`). */
export interface OutputSeed {
  row: number;
  column: number;
}

export interface ForwardResult {
  /** Mean loss over counted targets (nats for cross-entropy); weighted by class with `output.weights`. */
  loss: number;
  count: number;
  correct: number;
  /** Denominator of the mean loss: `count`, or Σ w_y over counted targets with class weights. */
  weight: number;
  /** Targets whose label training lacks (UNSEEN_TARGET): not in the loss, wrong in accuracy. */
  unseen: number;
  /** Head outputs: T×B×O (aligned), B×O (many-to-one), T2×B×O (decoder). A view: copy to keep. */
  outputs: FloatArray;
  /** Final state of the main (or decoder) stack. A view reused by the next call: copy to keep. */
  finalState: RecurrentState;
  /** Attention decoders: the alignment a_tj, T2×B×`sourceSteps` (row (t, b) sums to 1 over the valid source steps). A view. */
  attention?: FloatArray;
  sourceSteps?: number;
  hidden?: FloatArray[];
}

export interface BackwardResult {
  /** ‖∂L/∂h_t‖ per layer and step (both directions together), of the main or decoder stack. */
  hiddenGradNorms?: number[][];
  /** Encoder's, for seq2seq. */
  encoderHiddenGradNorms?: number[][];
  paramGradNorms?: Record<string, number>;
}

/**
 * A recurrent network built from a `NetworkConfig`: optional embedding → recurrent stack(s) → dense
 * head `o_t = b_o + W_ho h_t`, trained with full BPTT through the batch's steps.
 *
 * Task shapes:
 *   many-to-many  head on every step of the top layer; targets per step (`targetTokens`/`targetValues`)
 *   many-to-one   head on merge(forward final, backward final) of the top layer (+ the skip residual of
 *                 the top layer's input at the last valid step); targets per sequence
 *   one-to-many   h_0 = tanh(init.weight·v + init.bias) for every layer (c_0 = 0); the decoder reads
 *                 `<bos> y_1 … y_{T2−1}` (teacher forcing) and predicts `y_1 … <eos>`
 *   seq2seq       the encoder's merged final state (h, and c for LSTM) of layer l starts decoder layer l
 * All buffers of one batch shape come from one arena, allocated before the first step of that shape
 * (a larger batch re-plans it); no step allocates.
 */
export class RecurrentModel {
  readonly params: Param[];
  private readonly byName = new Map<string, Param>();
  private readonly main: SequenceStack;
  /** seq2seq (encoder bridge) and one-to-many (init vector): where the decoder's state starts; null otherwise. */
  readonly decoderStart: DecoderStart | null;
  /** many-to-one: the head's input row per sequence. */
  private readonly finalFeatures: FinalFeatures | null;
  /** seq2seq with `attention`: the main stack, whose top output is h̃_t. */
  private readonly attention: AttentionDecoder | null;
  private readonly dtype: DType;
  readonly backend: Backend;
  private readonly rng: Rng;
  private embedding: Embedding | null = null;
  private capacity = { batch: 0, steps: 0, decoderSteps: 0 };

  /** The storage of the current arena (null before the first batch). */
  private arena: FloatArray | null = null;
  // Per-shape buffers (arena views).
  private logits!: FloatArray;
  private dLogits!: FloatArray;
  private rowTargets = new Int32Array(0);
  private stateH: FloatArray[] = [];
  private stateC: FloatArray[] = [];

  // What backward needs from the last forward.
  private last: { batch: Batch; rows: number; T: number; B: number; headInput: FloatArray; started: boolean; sourceSteps: number } | null = null;

  private constructor(readonly config: NetworkConfig, options: { seed: number; dtype?: DType; backend?: Backend }) {
    this.dtype = options.dtype ?? 'float32';
    this.backend = options.backend ?? typescriptBackend;
    this.rng = new Rng(options.seed);
    this.params = parameterShapes(config).map(({ name, shape }) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const make = (): FloatArray => this.backend.allocate(n, this.dtype);
      const p: Param = { name, shape, data: make(), grad: make(), noDecay: name.endsWith('bias') || name.includes('.bias_') };
      this.byName.set(name, p);
      return p;
    });
    const { main, encoder } = stackConfigs(config);
    const param = (n: string): Param => this.param(n);
    const score = config.attention ?? 'none';
    if (score !== 'none' && !encoder) throw new Error(`attention "${score}" needs task seq2seq, got ${config.task}`);
    if (config.attentionFeed && score === 'none') throw new Error('attentionFeed needs an attention score (dot, general or additive)');
    this.attention = score !== 'none' ? new AttentionDecoder(main, score, config.attentionFeed ?? false, param, this.backend) : null;
    const stack = this.attention ? null : new RecurrentStack(main, param, this.backend);
    this.main = this.attention ?? stack!;
    if (encoder) {
      this.decoderStart = new EncoderBridge(new RecurrentStack(encoder, param, this.backend), this.byName.get('encoder.embedding.weight'), config.cell === 'lstm');
    } else if (config.task === 'one-to-many') {
      this.decoderStart = new InitVectorBridge(param('init.weight'), param('init.bias'), main.layers, this.backend);
    } else {
      this.decoderStart = null;
    }
    this.finalFeatures = config.task === 'many-to-one' ? new FinalFeatures(stack!, this.backend) : null;
    this.initialize();
  }

  static create(config: NetworkConfig, options: { seed: number; dtype?: DType; backend?: Backend }): RecurrentModel {
    return new RecurrentModel(config, options);
  }

  param(name: string): Param {
    const p = this.byName.get(name);
    if (!p) throw new Error(`no parameter named "${name}" (have: ${[...this.byName.keys()].join(', ')})`);
    return p;
  }

  /** H of the main (or decoder) stack: the width of each `RecurrentState` row. */
  get mainHiddenSize(): number {
    return this.main.config.hiddenSize;
  }

  get parameterCount(): number {
    return this.params.reduce((s, p) => s + p.data.length, 0);
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  /**
   * Glorot-uniform input weights, orthogonal (or identity: IRNN) recurrent weights per gate block,
   * zero biases except the LSTM forget gate's b_ih = 1 (so that memory is kept early in training),
   * N(0, 1) embeddings as nn.Embedding; or, with `initialization: 'pytorch'`, PyTorch's defaults
   * (`pytorchDefaultInit`). Deterministic from the seed.
   */
  private initialize(): void {
    if (this.config.initialization === 'pytorch') {
      const fanInOf = (biasName: string) => this.param(biasName.replace(/bias$/, 'weight')).shape[1];
      for (const p of this.params) pytorchDefaultInit(p.name, p.data, p.shape, gateCount(this.config.cell), fanInOf, this.rng);
      return;
    }
    for (const p of this.params) {
      const [rows, cols] = p.shape;
      if (p.name.includes('.weight_hh_')) {
        if (this.config.recurrentInit === 'identity') identityInit(p.data, rows, cols);
        else orthogonalInit(p.data, rows, cols, this.rng);
      } else if (p.name.includes('.weight_ih_')) {
        glorotUniform(p.data, cols, rows / gateCount(this.config.cell), this.rng);
      } else if (p.name.endsWith('embedding.weight')) {
        for (let i = 0; i < p.data.length; i++) p.data[i] = this.rng.normal();
      } else if (p.shape.length === 2) {
        glorotUniform(p.data, cols, rows, this.rng);
      } else if (this.config.cell === 'lstm' && p.name.includes('.bias_ih_')) {
        const H = p.shape[0] / 4;
        p.data.fill(0);
        p.data.fill(1, H, 2 * H);
      }
    }
  }

  /** Makes sure the arena holds a batch of this shape (grows, and re-plans, only for a larger one). */
  reserve(batch: number, steps: number, decoderSteps = 0): void {
    const cap = this.capacity;
    if (batch <= cap.batch && steps <= cap.steps && decoderSteps <= cap.decoderSteps) return;
    const B = Math.max(batch, cap.batch);
    const T = Math.max(steps, cap.steps);
    const T2 = Math.max(decoderSteps, cap.decoderSteps);
    this.capacity = { batch: B, steps: T, decoderSteps: T2 };
    const c = this.config;
    const mainSteps = this.decoderStart ? T2 : T;
    const rows = c.task === 'many-to-one' ? B : mainSteps * B;
    const O = c.output.size;
    this.rowTargets = new Int32Array(rows);
    if (this.arena) this.backend.release(this.arena); // every view of it is replaced below
    this.arena = Arena.build(this.backend, this.dtype, (arena) => {
      this.main.reserve(arena, mainSteps, B, T);
      this.decoderStart?.reserve(arena, T, B);
      this.embedding = reserveEmbedding(arena, this.byName.get(`${c.task === 'seq2seq' ? 'decoder.' : ''}embedding.weight`), mainSteps * B);
      this.finalFeatures?.reserve(arena, B);
      this.logits = arena.take(rows * O);
      this.dLogits = arena.take(rows * O);
      const stateCount = this.main.config.layers * this.main.directionsPerLayer;
      const mainH = this.main.config.hiddenSize;
      this.stateH = Array.from({ length: stateCount }, () => arena.take(B * mainH));
      this.stateC = Array.from({ length: stateCount }, () => arena.take(B * mainH));
    });
  }

  forward(batch: Batch, options: ForwardOptions = {}): ForwardResult {
    const c = this.config;
    const B = batch.batchSize;
    const T = batch.steps;
    const T2 = batch.decoderSteps ?? 0;
    // A generation step attends over the source steps its state carries; training over the batch's own.
    const carriedMask = options.initialState?.sourceMask;
    const sourceSteps = carriedMask ? carriedMask.length / B : T;
    this.reserve(B, Math.max(T, sourceSteps), T2);
    const training = options.training ?? false;
    const rng = training && c.dropout > 0 ? (options.rng ?? this.rng) : null;
    let mainSteps = T;
    let mainLengths = batch.lengths;
    let h0: FloatArray[] | null = options.initialState?.h ?? null;
    let c0: FloatArray[] | null = options.initialState?.c ?? null;
    // A generator's decoder starts from its source, unless a generation step passes the state on.
    const started = this.decoderStart !== null && !options.initialState;
    if (started) ({ h: h0, c: c0 } = this.decoderStart!.forward(batch, training, rng, options.inputVectors));
    let mainInput: InputSegment;
    if (this.decoderStart) {
      if (!batch.decoderInput || !batch.decoderLengths) throw new Error(`${c.task} batch needs decoderInput and decoderLengths`);
      mainSteps = T2;
      mainLengths = batch.decoderLengths;
      // With attentionFeed the decoder's first layer also reads h̃_{t−1}: the tokens are the first columns.
      const tokenWidth = this.main.config.inputWidth - (this.attention?.feed ? this.main.width : 0);
      mainInput = firstLayerInput(this.embedding, batch.decoderInput, undefined, T2 * B, tokenWidth);
      // The memory: this batch's encoder outputs (training, evaluation), or those a generation step's state carries.
      if (this.attention) this.attention.attendTo(options.initialState, (this.decoderStart as EncoderBridge).encoder.top, batch.lengths, sourceSteps, B);
    } else {
      mainInput = givenInput(options.inputVectors, this.main.config.inputWidth) ?? firstLayerInput(this.embedding, batch.tokens, batch.features, T * B, this.main.config.inputWidth);
    }
    this.main.forward(mainInput, mainSteps, B, mainLengths, h0, c0, training, rng);

    const W = this.main.width;
    let rows: number;
    let headInput: FloatArray;
    if (this.finalFeatures) {
      rows = B;
      this.finalFeatures.forward(B, batch.lengths);
      headInput = this.finalFeatures.out;
    } else {
      rows = mainSteps * B;
      headInput = this.main.top;
    }
    const O = c.output.size;
    const headW = this.param('head.weight');
    // o = W_ho · h for every row:  logits (rows×O) = headInput (rows×W) · head.weightᵀ (W×O)
    matMulInto(this.backend, rowsAt(this.logits, 0, rows, O), rowsAt(headInput, 0, rows, W), rowsAt(headW.data, 0, O, W).T);
    addRowBiasInto(this.backend, this.logits, 0, rows, this.param('head.bias').data, O);
    const totals = this.loss(batch, rows, B, mainLengths);
    this.last = { batch, rows, T: mainSteps, B, headInput, started, sourceSteps };

    this.main.finalState(this.stateH, c.cell === 'lstm' ? this.stateC : null);
    const result: ForwardResult = {
      loss: totals.weight > 0 ? totals.sum / totals.weight : 0,
      count: totals.count,
      correct: totals.correct,
      weight: totals.weight,
      unseen: totals.unseen,
      outputs: this.logits.subarray(0, rows * O),
      finalState: { h: this.stateH, c: c.cell === 'lstm' ? this.stateC : undefined },
    };
    if (this.attention) {
      result.attention = this.attention.alignment.subarray(0, rows * sourceSteps);
      result.sourceSteps = sourceSteps;
      if (this.attention.feed) result.finalState.attentional = this.attention.lastAttentional();
    }
    if (options.collectHidden) {
      result.hidden = [];
      for (let l = 0; l < this.main.config.layers; l++) result.hidden.push(this.main.layerOutput(l).slice(0, mainSteps * B * W));
    }
    return result;
  }

  /** Fills rowTargets (−1: not counted) and runs the loss; dLogits holds ∂L/∂o afterwards. */
  private loss(batch: Batch, rows: number, B: number, lengths: Int32Array): LossTotals {
    const c = this.config;
    const targets = this.rowTargets;
    const aligned = c.task !== 'many-to-one';
    const tokenTargets = aligned ? (c.task === 'many-to-many' ? batch.targetTokens : batch.decoderTarget) : batch.classLabels;
    const from = c.task === 'many-to-many' ? (batch.lossFrom ?? 0) : 0;
    for (let r = 0; r < rows; r++) {
      const t = aligned ? Math.floor(r / B) : 0;
      const b = aligned ? r % B : r;
      const valid = (!aligned || (t < lengths[b] && t >= from));
      if (c.output.kind === 'classes') targets[r] = valid && tokenTargets ? tokenTargets[r] : -1;
      else targets[r] = valid ? 0 : -1;
    }
    if (c.output.kind === 'classes') {
      if (!tokenTargets) throw new Error('batch has no class targets');
      return softmaxCrossEntropy(this.backend, this.logits, c.output.size, rows, targets, this.dLogits, c.output.weights);
    }
    if (!batch.targetValues) throw new Error('batch has no targetValues');
    return meanSquaredError(this.logits, c.output.size, rows, targets, batch.targetValues, this.dLogits);
  }

  /** With `seed`, backpropagates ∂o[row, column] instead of the loss (explanations). */
  backward(options: { collectGradNorms?: boolean; seed?: OutputSeed } = {}): BackwardResult {
    const last = this.last;
    if (!last) throw new Error('backward() needs a forward() first');
    const c = this.config;
    const { batch, rows, T, B } = last;
    const W = this.main.width;
    const O = c.output.size;
    const collect = options.collectGradNorms ?? false;
    this.main.zeroGradients();
    zeroEmbeddingGradient(this.embedding, T * B);

    if (options.seed) {
      this.dLogits.fill(0, 0, rows * O);
      this.dLogits[options.seed.row * O + options.seed.column] = 1;
    }
    // Head backward, from dO = ∂L/∂o (dLogits, one row per head row); db_o += Σ dO by column sums.
    const headW = this.param('head.weight');
    const dO = rowsAt(this.dLogits, 0, rows, O);
    const W_ho = rowsAt(headW.data, 0, O, W);
    // dW_ho += dOᵀ · h:  head.weight.grad (O×W) += dLogitsᵀ (O×rows) · headInput (rows×W)
    matMulInto(this.backend, rowsAt(headW.grad, 0, O, W), dO.T, rowsAt(last.headInput, 0, rows, W), true);
    addColumnSumsInto(this.backend, this.param('head.bias').grad, this.dLogits, 0, rows, O);
    if (this.finalFeatures) {
      // ∂h = dO · W_ho:  finalFeatures.dOut (rows×W) = dLogits (rows×O) · head.weight (O×W)
      matMulInto(this.backend, rowsAt(this.finalFeatures.dOut, 0, rows, W), dO, W_ho);
      this.finalFeatures.backward(B, batch.lengths);
    } else {
      // ∂h += dO · W_ho:  main.dTop (rows×W) += dLogits (rows×O) · head.weight (O×W)
      matMulInto(this.backend, rowsAt(this.main.dTop, 0, rows, W), dO, W_ho, true);
    }
    const hiddenGradNorms = this.main.backward(collect) ?? undefined;
    embeddingBackward(this.embedding, this.decoderStart ? batch.decoderInput : batch.tokens, T * B);
    const dEncoderOutputs = this.attention?.dMemory;
    const encoderHiddenGradNorms = last.started ? this.decoderStart!.backward(batch, this.main, collect, dEncoderOutputs) : undefined;
    const result: BackwardResult = { hiddenGradNorms, encoderHiddenGradNorms };
    if (collect) {
      result.paramGradNorms = {};
      for (const p of this.params) {
        let s = 0;
        for (let i = 0; i < p.grad.length; i++) s += p.grad[i] * p.grad[i];
        result.paramGradNorms[p.name] = Math.sqrt(s);
      }
    }
    return result;
  }

  /** The decoder's initial state for generation (see `generation.ts`): a fresh copy. */
  encode(batch: Batch): RecurrentState {
    return encode(this, batch);
  }

  /** One generation step for B sequences from `state` (see `generation.ts`): logits B×O and the next state, copies. */
  step(ids: Int32Array, state: RecurrentState | null): GenerationStep {
    return step(this, ids, state);
  }

  exportWeights(): NamedTensor[] {
    return this.params.map((p) => ({ name: p.name, shape: [...p.shape], data: Float32Array.from(p.data) }));
  }

  /** Loads tensors by canonical name; throws one error listing every missing, unexpected or misshapen tensor. */
  importWeights(tensors: Map<string, NamedTensor>): void {
    const problems: string[] = [];
    for (const p of this.params) {
      const t = tensors.get(p.name);
      if (!t) problems.push(`missing ${p.name} [${p.shape.join('×')}]`);
      else if (t.shape.join('×') !== p.shape.join('×')) problems.push(`${p.name}: expected shape [${p.shape.join('×')}], got [${t.shape.join('×')}]`);
    }
    for (const name of tensors.keys()) if (!this.byName.has(name)) problems.push(`unexpected ${name}`);
    if (problems.length) throw new Error(`weights do not match the model:\n  ${problems.join('\n  ')}`);
    for (const p of this.params) p.data.set(tensors.get(p.name)!.data);
  }
}
