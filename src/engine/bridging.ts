import type { Arena } from './arena';
import type { LstmCell } from './cells/lstmCell';
import { embeddingBackward, firstLayerInput, givenInput, reserveEmbedding, zeroEmbeddingGradient, type Embedding, type InputVectors } from './embedding';
import { addColumnSumsInto, addRowBiasInto } from './kernels/elementwise';
import type { Backend } from './kernels/backend';
import { matMulInto, rowsAt } from './kernels/matrix';
import { mergeBackward, mergeForward } from './layers/merge';
import type { RecurrentStack, SequenceStack } from './layers/stack';
import type { Rng } from './random';
import type { Batch, FloatArray, Param } from './types';

/**
 * Where a generator's decoder starts: h_0 (and c_0) of every decoder layer, computed from the
 * batch's source (seq2seq) or conditioning vector (one-to-many), and the backward of that map.
 */
export interface DecoderStart {
  /** Requests the buffers for up to `steps` source steps × `batch` sequences. */
  reserve(arena: Arena, steps: number, batch: number): void;
  /** h_0 (and c_0; null means zeros) per decoder layer, B×H each: arena views. */
  forward(batch: Batch, training: boolean, rng: Rng | null, given?: InputVectors): { h: FloatArray[]; c: FloatArray[] | null };
  /**
   * From the decoder's ∂h_0 (∂c_0) after its backward, and (attention) ∂L/∂(encoder outputs) T×B×W;
   * returns the encoder's ‖∂L/∂h_t‖ when collecting.
   */
  backward(batch: Batch, decoder: SequenceStack, collectNorms: boolean, dEncoderOutputs?: FloatArray): number[][] | undefined;
}

/**
 * seq2seq: the encoder reads the source, and decoder layer l starts from the merged final states of
 * encoder layer l:  h_0^l = merge(→h^l_{T_b}, ←h^l_1),  c_0^l = merge(→c^l_{T_b}, ←c^l_1) for LSTM.
 */
export class EncoderBridge implements DecoderStart {
  private embedding: Embedding | null = null;
  private h0: FloatArray[] = [];
  private c0: FloatArray[] = [];

  constructor(readonly encoder: RecurrentStack, private readonly embeddingParam: Param | undefined, private readonly lstm: boolean) {}

  reserve(arena: Arena, steps: number, batch: number): void {
    this.encoder.reserve(arena, steps, batch);
    this.embedding = reserveEmbedding(arena, this.embeddingParam, steps * batch);
    const layers = this.encoder.config.layers;
    const W = this.encoder.width;
    this.h0 = Array.from({ length: layers }, () => arena.take(batch * W));
    this.c0 = Array.from({ length: layers }, () => arena.take(batch * W));
  }

  /** `given`: the source's input vectors in place of the batch's tokens or features (explanations). */
  forward(batch: Batch, training: boolean, rng: Rng | null, given?: InputVectors): { h: FloatArray[]; c: FloatArray[] | null } {
    const enc = this.encoder;
    const B = batch.batchSize;
    const source = givenInput(given, enc.config.inputWidth) ?? firstLayerInput(this.embedding, batch.tokens, batch.features, batch.steps * B, enc.config.inputWidth);
    enc.forward(source, batch.steps, B, batch.lengths, null, null, training, rng);
    const H = enc.config.hiddenSize;
    for (let l = 0; l < enc.config.layers; l++) {
      const f = enc.direction(l, 0);
      const r = enc.directionsPerLayer === 2 ? enc.direction(l, 1) : null;
      mergeForward(enc.config.merge, this.h0[l], f.states, f.finalOffset, r ? r.states : null, r ? r.finalOffset : 0, B, H);
      if (this.lstm) {
        const fc = (f as LstmCell).cellStates;
        const rc = r ? (r as LstmCell).cellStates : null;
        mergeForward(enc.config.merge, this.c0[l], fc, f.finalOffset, rc, r ? r.finalOffset : 0, B, H);
      }
    }
    return { h: this.h0, c: this.lstm ? this.c0 : null };
  }

  /** ∂(decoder h_0^l, c_0^l) → ∂(encoder final states of layer l) through the merge, then the encoder's BPTT. */
  backward(batch: Batch, decoder: SequenceStack, collectNorms: boolean, dEncoderOutputs?: FloatArray): number[][] | undefined {
    const enc = this.encoder;
    const B = batch.batchSize;
    const H = enc.config.hiddenSize;
    const D = enc.directionsPerLayer;
    enc.zeroGradients();
    if (dEncoderOutputs) enc.dTop.set(dEncoderOutputs.subarray(0, batch.steps * B * enc.width));
    zeroEmbeddingGradient(this.embedding, batch.steps * B);
    for (let l = 0; l < enc.config.layers; l++) {
      const g = decoder.initialStateGradient(l);
      const f = enc.direction(l, 0);
      const r = D === 2 ? enc.direction(l, 1) : null;
      mergeBackward(enc.config.merge, g.dh, enc.dFinalH[l * D], f.states, f.finalOffset,
        r ? enc.dFinalH[l * D + 1] : null, r ? r.states : null, r ? r.finalOffset : 0, B, H);
      if (this.lstm && g.dc) {
        mergeBackward(enc.config.merge, g.dc, enc.dFinalC[l * D], (f as LstmCell).cellStates, f.finalOffset,
          r ? enc.dFinalC[l * D + 1] : null, r ? (r as LstmCell).cellStates : null, r ? r.finalOffset : 0, B, H);
      }
    }
    const norms = enc.backward(collectNorms) ?? undefined;
    embeddingBackward(this.embedding, batch.tokens, batch.steps * B);
    return norms;
  }
}

/** one-to-many: every decoder layer starts from h_0 = tanh(init.weight·v + init.bias), c_0 = 0. */
export class InitVectorBridge implements DecoderStart {
  private pre: FloatArray = new Float32Array(0);
  private h0: FloatArray[] = [];

  constructor(private readonly weight: Param, private readonly bias: Param, private readonly layers: number, private readonly backend: Backend) {}

  reserve(arena: Arena, _steps: number, batch: number): void {
    const H = this.weight.shape[0];
    this.pre = arena.take(batch * H);
    this.h0 = Array.from({ length: this.layers }, () => arena.take(batch * H));
  }

  forward(batch: Batch): { h: FloatArray[]; c: FloatArray[] | null } {
    const v = batch.initVectors;
    if (!v) throw new Error('one-to-many batch needs initVectors');
    const B = batch.batchSize;
    const [H, V] = this.weight.shape;
    // pre = init.weight · v for every sequence:  pre (B×H) = initVectors (B×V) · init.weightᵀ (V×H)
    matMulInto(this.backend, rowsAt(this.pre, 0, B, H), rowsAt(v, 0, B, V), rowsAt(this.weight.data, 0, H, V).T);
    addRowBiasInto(this.backend, this.pre, 0, B, this.bias.data, H);
    for (let i = 0; i < B * H; i++) this.h0[0][i] = Math.tanh(this.pre[i]);
    for (let l = 1; l < this.layers; l++) this.h0[l].set(this.h0[0].subarray(0, B * H));
    return { h: this.h0, c: null };
  }

  /** ∂pre = Σ_l ∂h_0^l ⊙ (1 − h_0²);  ∂init.weight += ∂preᵀ·v,  ∂init.bias += Σ_b ∂pre. */
  backward(batch: Batch, decoder: SequenceStack): undefined {
    const B = batch.batchSize;
    const [H, V] = this.weight.shape;
    const dPre = this.pre;
    const h0 = this.h0[0];
    for (let i = 0; i < B * H; i++) {
      let dh = 0;
      for (let l = 0; l < this.layers; l++) dh += decoder.initialStateGradient(l).dh[i];
      dPre[i] = dh * (1 - h0[i] * h0[i]);
    }
    // ∂init.weight += ∂preᵀ · v:  init.weight.grad (H×V) += ∂preᵀ (H×B) · initVectors (B×V)
    matMulInto(this.backend, rowsAt(this.weight.grad, 0, H, V), rowsAt(dPre, 0, B, H).T, rowsAt(batch.initVectors!, 0, B, V), true);
    addColumnSumsInto(this.backend, this.bias.grad, dPre, 0, B, H);
    return undefined;
  }
}
