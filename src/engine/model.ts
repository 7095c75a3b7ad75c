import { Arena } from './arena';
import { glorotUniform, identityInit, orthogonalInit, pytorchDefaultInit } from './init';
import { addColumnSumsInto, addRowBiasInto } from './kernels/elementwise';
import { typescriptBackend, type Backend } from './kernels/backend';
import { meanSquaredError, softmaxCrossEntropy, type LossTotals } from './losses';
import { mergeBackward, mergeForward } from './layers/merge';
import type { InputSegment } from './layers/recurrentDirection';
import { gateCount, RecurrentStack } from './layers/stack';
import { parameterShapes, stackConfigs } from './networkShapes';

export { countParameters, parameterShapes } from './networkShapes';
import { LstmCell } from './cells/lstmCell';
import { Rng } from './random';
import type { NamedTensor } from './safetensors';
import type { Batch, DType, FloatArray, NetworkConfig, Param } from './types';

/** `options.inputVectors` as the first layer's input segment, when given. */
function givenInput(options: ForwardOptions, width: number): InputSegment | null {
  const given = options.inputVectors;
  return given ? { kind: 'dense', data: given.data, width, grad: given.grad } : null;
}

/** Recurrent state per layer × direction (index l·D + d), B×H each. */
export interface RecurrentState {
  h: FloatArray[];
  c?: FloatArray[];
}

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
  inputVectors?: { data: FloatArray; grad: FloatArray };
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
  hidden?: FloatArray[];
}

export interface BackwardResult {
  /** ‖∂L/∂h_t‖ per layer and step (both directions together), of the main or decoder stack. */
  hiddenGradNorms?: number[][];
  /** Encoder's, for seq2seq. */
  encoderHiddenGradNorms?: number[][];
  paramGradNorms?: Record<string, number>;
}

/** An embedding table and its lookup output, T×B×E. */
interface Embedding {
  param: Param;
  out: FloatArray;
  dOut: FloatArray;
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
  private readonly main: RecurrentStack;
  private readonly encoder: RecurrentStack | null;
  private readonly dtype: DType;
  readonly backend: Backend;
  private readonly rng: Rng;
  private embedding: Embedding | null = null;
  private encoderEmbedding: Embedding | null = null;
  private capacity = { batch: 0, steps: 0, decoderSteps: 0 };

  // Per-shape buffers (arena views).
  private headIn!: FloatArray;
  private dHeadIn!: FloatArray;
  private logits!: FloatArray;
  private dLogits!: FloatArray;
  private rowTargets = new Int32Array(0);
  private stateH: FloatArray[] = [];
  private stateC: FloatArray[] = [];
  private bridgeH: FloatArray[] = [];
  private bridgeC: FloatArray[] = [];
  private initPre!: FloatArray;

  // What backward needs from the last forward.
  private last: { batch: Batch; rows: number; T: number; B: number; headInput: FloatArray; encoded: boolean; initialized: boolean } | null = null;

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
    this.main = new RecurrentStack(main, (n) => this.param(n), this.backend);
    this.encoder = encoder ? new RecurrentStack(encoder, (n) => this.param(n), this.backend) : null;
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
    const mainSteps = this.encoder || c.task === 'one-to-many' ? T2 : T;
    const rows = c.task === 'many-to-one' ? B : mainSteps * B;
    const W = this.main.width;
    const O = c.output.size;
    this.rowTargets = new Int32Array(rows);
    Arena.build(this.backend, this.dtype, (arena) => {
      this.main.reserve(arena, mainSteps, B);
      this.encoder?.reserve(arena, T, B);
      this.embedding = this.reserveEmbedding(arena, this.encoder ? 'decoder.' : '', mainSteps * B);
      this.encoderEmbedding = this.encoder ? this.reserveEmbedding(arena, 'encoder.', T * B) : null;
      this.headIn = arena.take(rows * W);
      this.dHeadIn = arena.take(rows * W);
      this.logits = arena.take(rows * O);
      this.dLogits = arena.take(rows * O);
      const stateCount = this.main.config.layers * this.main.directionsPerLayer;
      const mainH = this.main.config.hiddenSize;
      this.stateH = Array.from({ length: stateCount }, () => arena.take(B * mainH));
      this.stateC = Array.from({ length: stateCount }, () => arena.take(B * mainH));
      this.bridgeH = Array.from({ length: stateCount }, () => arena.take(B * mainH));
      this.bridgeC = Array.from({ length: stateCount }, () => arena.take(B * mainH));
      this.initPre = arena.take(B * c.hiddenSize);
    });
  }

  private reserveEmbedding(arena: Arena, prefix: string, rows: number): Embedding | null {
    const p = this.byName.get(`${prefix}embedding.weight`);
    if (!p) return null;
    const E = p.shape[1];
    return { param: p, out: arena.take(rows * E), dOut: arena.take(rows * E) };
  }

  /** The first layer's input: one-hot tokens (a W_ih column lookup), embedded tokens, or features. */
  private inputSegment(embedding: Embedding | null, ids: Int32Array | undefined, features: Float32Array | undefined, rows: number, width: number): InputSegment {
    if (ids) {
      if (!embedding) return { kind: 'tokens', ids, width };
      const E = embedding.param.shape[1];
      const V = embedding.param.shape[0];
      const table = embedding.param.data;
      for (let r = 0; r < rows; r++) {
        const id = ids[r];
        const o = r * E;
        if (id < 0 || id >= V) {
          embedding.out.fill(0, o, o + E);
          continue;
        }
        for (let j = 0; j < E; j++) embedding.out[o + j] = table[id * E + j];
      }
      return { kind: 'dense', data: embedding.out, width: E, grad: embedding.dOut };
    }
    if (!features) throw new Error('batch has neither tokens nor features');
    return { kind: 'dense', data: features, width, grad: null };
  }

  private embeddingBackward(embedding: Embedding | null, ids: Int32Array | undefined, rows: number): void {
    if (!embedding || !ids) return;
    const E = embedding.param.shape[1];
    const V = embedding.param.shape[0];
    const g = embedding.param.grad;
    for (let r = 0; r < rows; r++) {
      const id = ids[r];
      if (id < 0 || id >= V) continue;
      for (let j = 0; j < E; j++) g[id * E + j] += embedding.dOut[r * E + j];
    }
  }

  forward(batch: Batch, options: ForwardOptions = {}): ForwardResult {
    const c = this.config;
    const B = batch.batchSize;
    const T = batch.steps;
    const T2 = batch.decoderSteps ?? 0;
    this.reserve(B, T, T2);
    const training = options.training ?? false;
    const rng = training && c.dropout > 0 ? (options.rng ?? this.rng) : null;
    let mainSteps = T;
    let mainLengths = batch.lengths;
    let h0: FloatArray[] | null = options.initialState?.h ?? null;
    let c0: FloatArray[] | null = options.initialState?.c ?? null;
    let mainInput: InputSegment;
    const encoded = this.encoder !== null && !options.initialState;
    if (encoded) {
      const enc = this.encoder!;
      const src = givenInput(options, enc.config.inputWidth) ?? this.inputSegment(this.encoderEmbedding, batch.tokens, batch.features, T * B, enc.config.inputWidth);
      enc.forward(src, T, B, batch.lengths, null, null, training, rng);
      this.bridge(B);
      h0 = this.bridgeH;
      c0 = c.cell === 'lstm' ? this.bridgeC : null;
    } else if (c.task === 'one-to-many' && !options.initialState) {
      this.initialHidden(batch, B);
      h0 = this.bridgeH;
      c0 = null;
    }
    if (this.encoder || c.task === 'one-to-many') {
      if (!batch.decoderInput || !batch.decoderLengths) throw new Error(`${c.task} batch needs decoderInput and decoderLengths`);
      mainSteps = T2;
      mainLengths = batch.decoderLengths;
      mainInput = this.inputSegment(this.embedding, batch.decoderInput, undefined, T2 * B, this.main.config.inputWidth);
    } else {
      mainInput = givenInput(options, this.main.config.inputWidth) ?? this.inputSegment(this.embedding, batch.tokens, batch.features, T * B, this.main.config.inputWidth);
    }
    this.main.forward(mainInput, mainSteps, B, mainLengths, h0, c0, training, rng);

    const W = this.main.width;
    let rows: number;
    let headInput: FloatArray;
    if (c.task === 'many-to-one') {
      rows = B;
      this.finalFeatures(B, batch.lengths);
      headInput = this.headIn;
    } else {
      rows = mainSteps * B;
      headInput = this.main.top;
    }
    const O = c.output.size;
    const headW = this.param('head.weight');
    this.backend.gemm(this.logits, 0, O, headInput, 0, W, 1, headW.data, 0, 1, W, rows, W, O, false);
    addRowBiasInto(this.logits, 0, rows, this.param('head.bias').data, O);
    const totals = this.loss(batch, rows, B, mainLengths);
    this.last = { batch, rows, T: mainSteps, B, headInput, encoded, initialized: c.task === 'one-to-many' && !options.initialState };

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
      return softmaxCrossEntropy(this.logits, c.output.size, rows, targets, this.dLogits, c.output.weights);
    }
    if (!batch.targetValues) throw new Error('batch has no targetValues');
    return meanSquaredError(this.logits, c.output.size, rows, targets, batch.targetValues, this.dLogits);
  }

  /** many-to-one head input: merge(forward final, backward final) of the top layer (+ skip residual). */
  private finalFeatures(B: number, lengths: Int32Array): void {
    const top = this.main.config.layers - 1;
    const H = this.main.config.hiddenSize;
    const W = this.main.width;
    const f = this.main.direction(top, 0);
    const r = this.main.directionsPerLayer === 2 ? this.main.direction(top, 1) : null;
    mergeForward(this.main.config.merge, this.headIn, f.states, f.finalOffset, r ? r.states : null, r ? r.finalOffset : 0, B, H);
    if (this.main.config.connections === 'skip') this.residualAtLastStep(B, lengths, W, false);
  }

  /**
   * skip, many-to-one: headIn[b] += P(x^L at step lengths[b]−1) (forward), or its backward:
   * ∂x^L += ∂headIn·P and ∂P += ∂headInᵀ·x^L, row by row.
   */
  private residualAtLastStep(B: number, lengths: Int32Array, W: number, backward: boolean): void {
    const top = this.main.config.layers - 1;
    const x = this.main.layerInputs(top)[0];
    const name = `${this.main.config.prefix}skip.${top}.weight`;
    const P = this.byName.get(name) ?? null;
    const X = x.width;
    for (let b = 0; b < B; b++) {
      const row = (lengths[b] - 1) * B + b;
      const o = b * W;
      if (x.kind === 'tokens') {
        const id = x.ids[row];
        if (id < 0) continue;
        for (let j = 0; j < W; j++) {
          if (!P) {
            if (j === id && !backward) this.headIn[o + j] += 1;
          } else if (backward) P.grad[j * X + id] += this.dHeadIn[o + j];
          else this.headIn[o + j] += P.data[j * X + id];
        }
        continue;
      }
      if (!P) {
        if (!backward) for (let j = 0; j < W; j++) this.headIn[o + j] += x.data[row * W + j];
        else if (x.grad) for (let j = 0; j < W; j++) x.grad[row * W + j] += this.dHeadIn[o + j];
      } else if (!backward) {
        this.backend.gemm(this.headIn, o, W, x.data, row * X, X, 1, P.data, 0, 1, X, 1, X, W, true);
      } else {
        this.backend.gemm(P.grad, 0, X, this.dHeadIn, o, 1, W, x.data, row * X, X, 1, W, 1, X, true);
        if (x.grad) this.backend.gemm(x.grad, row * X, X, this.dHeadIn, o, W, 1, P.data, 0, X, 1, 1, W, X, true);
      }
    }
  }

  /** seq2seq: decoder layer l starts from merge(encoder forward final, encoder backward final) of layer l. */
  private bridge(B: number): void {
    const enc = this.encoder!;
    const H = enc.config.hiddenSize;
    const D = enc.directionsPerLayer;
    const lstm = this.config.cell === 'lstm';
    for (let l = 0; l < enc.config.layers; l++) {
      const f = enc.direction(l, 0);
      const r = D === 2 ? enc.direction(l, 1) : null;
      mergeForward(enc.config.merge, this.bridgeH[l], f.states, f.finalOffset, r ? r.states : null, r ? r.finalOffset : 0, B, H);
      if (lstm) {
        const fc = (f as LstmCell).cellStates;
        const rc = r ? (r as LstmCell).cellStates : null;
        mergeForward(enc.config.merge, this.bridgeC[l], fc, f.finalOffset, rc, r ? r.finalOffset : 0, B, H);
      }
    }
  }

  /** one-to-many: h_0 = tanh(init.weight·v + init.bias), the same for every layer. */
  private initialHidden(batch: Batch, B: number): void {
    const v = batch.initVectors;
    if (!v) throw new Error('one-to-many batch needs initVectors');
    const H = this.config.hiddenSize;
    const V = this.config.initVectorSize!;
    const w = this.param('init.weight');
    this.backend.gemm(this.initPre, 0, H, v, 0, V, 1, w.data, 0, 1, V, B, V, H, false);
    addRowBiasInto(this.initPre, 0, B, this.param('init.bias').data, H);
    for (let i = 0; i < B * H; i++) this.bridgeH[0][i] = Math.tanh(this.initPre[i]);
    for (let l = 1; l < this.bridgeH.length; l++) this.bridgeH[l].set(this.bridgeH[0].subarray(0, B * H));
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
    this.encoder?.zeroGradients();
    if (this.embedding) this.embedding.dOut.fill(0, 0, T * B * this.embedding.param.shape[1]);
    if (this.encoderEmbedding) this.encoderEmbedding.dOut.fill(0, 0, batch.steps * B * this.encoderEmbedding.param.shape[1]);

    if (options.seed) {
      this.dLogits.fill(0, 0, rows * O);
      this.dLogits[options.seed.row * O + options.seed.column] = 1;
    }
    // Head: dW_ho += dOᵀ·h, db_o += Σ dO, ∂h = dO·W_ho.
    const headW = this.param('head.weight');
    this.backend.gemm(headW.grad, 0, W, this.dLogits, 0, 1, O, last.headInput, 0, W, 1, O, rows, W, true);
    addColumnSumsInto(this.param('head.bias').grad, this.dLogits, 0, rows, O);
    if (c.task === 'many-to-one') {
      this.backend.gemm(this.dHeadIn, 0, W, this.dLogits, 0, O, 1, headW.data, 0, W, 1, rows, O, W, false);
      const top = this.main.config.layers - 1;
      const D = this.main.directionsPerLayer;
      const H = this.main.config.hiddenSize;
      const f = this.main.direction(top, 0);
      const r = D === 2 ? this.main.direction(top, 1) : null;
      mergeBackward(this.main.config.merge, this.dHeadIn, this.main.dFinalH[top * D], f.states, f.finalOffset,
        r ? this.main.dFinalH[top * D + 1] : null, r ? r.states : null, r ? r.finalOffset : 0, B, H);
      if (this.main.config.connections === 'skip') this.residualAtLastStep(B, batch.lengths, W, true);
    } else {
      this.backend.gemm(this.main.dTop, 0, W, this.dLogits, 0, O, 1, headW.data, 0, W, 1, rows, O, W, true);
    }
    const hiddenGradNorms = this.main.backward(collect) ?? undefined;
    const decoderIds = this.encoder || c.task === 'one-to-many' ? batch.decoderInput : batch.tokens;
    this.embeddingBackward(this.embedding, decoderIds, T * B);

    let encoderHiddenGradNorms: number[][] | undefined;
    if (last.encoded) {
      this.bridgeBackward(B);
      encoderHiddenGradNorms = this.encoder!.backward(collect) ?? undefined;
      this.embeddingBackward(this.encoderEmbedding, batch.tokens, batch.steps * B);
    } else if (last.initialized) {
      this.initialHiddenBackward(batch, B);
    }
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

  /** ∂(decoder h0, c0) of layer l → ∂(encoder final states) of layer l through the merge. */
  private bridgeBackward(B: number): void {
    const enc = this.encoder!;
    const H = enc.config.hiddenSize;
    const D = enc.directionsPerLayer;
    const lstm = this.config.cell === 'lstm';
    for (let l = 0; l < enc.config.layers; l++) {
      const g = this.main.initialStateGradient(l);
      const f = enc.direction(l, 0);
      const r = D === 2 ? enc.direction(l, 1) : null;
      mergeBackward(enc.config.merge, g.dh, enc.dFinalH[l * D], f.states, f.finalOffset,
        r ? enc.dFinalH[l * D + 1] : null, r ? r.states : null, r ? r.finalOffset : 0, B, H);
      if (lstm && g.dc) {
        mergeBackward(enc.config.merge, g.dc, enc.dFinalC[l * D], (f as LstmCell).cellStates, f.finalOffset,
          r ? enc.dFinalC[l * D + 1] : null, r ? (r as LstmCell).cellStates : null, r ? r.finalOffset : 0, B, H);
      }
    }
  }

  /** one-to-many: ∂pre = Σ_l ∂h0_l ⊙ (1 − h0²); init.weight += ∂preᵀ·v, init.bias += Σ ∂pre. */
  private initialHiddenBackward(batch: Batch, B: number): void {
    const H = this.config.hiddenSize;
    const V = this.config.initVectorSize!;
    const dPre = this.initPre;
    const h0 = this.bridgeH[0];
    for (let i = 0; i < B * H; i++) {
      let g = 0;
      for (let l = 0; l < this.main.config.layers; l++) g += this.main.initialStateGradient(l).dh[i];
      dPre[i] = g * (1 - h0[i] * h0[i]);
    }
    this.backend.gemm(this.param('init.weight').grad, 0, V, dPre, 0, 1, H, batch.initVectors!, 0, V, 1, H, B, V, true);
    addColumnSumsInto(this.param('init.bias').grad, dPre, 0, B, H);
  }

  /**
   * The decoder's (or, for seq2seq, the encoder-derived) initial state for generation: runs the
   * encoder on the batch's source, or `tanh(init·v + b)` for one-to-many. A fresh copy.
   */
  encode(batch: Batch): RecurrentState {
    const c = this.config;
    const B = batch.batchSize;
    this.reserve(B, batch.steps, 1);
    const n = B * this.main.config.hiddenSize;
    if (this.encoder) {
      const src = this.inputSegment(this.encoderEmbedding, batch.tokens, batch.features, batch.steps * B, this.encoder.config.inputWidth);
      this.encoder.forward(src, batch.steps, B, batch.lengths, null, null, false, null);
      this.bridge(B);
    } else if (c.task === 'one-to-many') {
      this.initialHidden(batch, B);
    } else {
      throw new Error(`encode() is for seq2seq and one-to-many, not ${c.task}`);
    }
    const h = this.bridgeH.map((a) => a.slice(0, n));
    const cs = c.cell === 'lstm' ? (this.encoder ? this.bridgeC.map((a) => a.slice(0, n)) : h.map(() => new Float32Array(n))) : undefined;
    return { h, c: cs };
  }

  /**
   * One generation step for B sequences: feeds token ids (B) from `state` through the main (LM) or
   * decoder stack, returning the logits (B×O, a copy) and the next state (copies).
   */
  step(ids: Int32Array, state: RecurrentState | null): { logits: Float32Array; state: RecurrentState } {
    const c = this.config;
    const B = ids.length;
    const generator = this.encoder !== null || c.task === 'one-to-many';
    const lengths = new Int32Array(B).fill(1);
    const batch: Batch = generator
      ? { batchSize: B, steps: 1, lengths, decoderSteps: 1, decoderInput: ids, decoderLengths: lengths, decoderTarget: new Int32Array(B).fill(-1) }
      : { batchSize: B, steps: 1, lengths, tokens: ids, targetTokens: new Int32Array(B).fill(-1) };
    if (c.output.kind === 'values') batch.targetValues = new Float32Array(B * c.output.size);
    if (generator && !state) throw new Error('step() of a generator needs the state from encode()');
    const r = this.forward(batch, { initialState: state ?? undefined });
    return {
      logits: Float32Array.from(r.outputs),
      state: { h: r.finalState.h.map((a) => Float32Array.from(a.subarray(0, B * this.main.config.hiddenSize))), c: r.finalState.c?.map((a) => Float32Array.from(a.subarray(0, B * this.main.config.hiddenSize))) },
    };
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
