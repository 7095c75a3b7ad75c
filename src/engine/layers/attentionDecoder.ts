import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import type { Rng } from '../random';
import type { AttentionScore, FloatArray, Param } from '../types';
import type { RecurrentState } from '../generation';
import { LuongAttention, sourceMaskInto } from './attention';
import type { InputSegment } from './recurrentDirection';
import { RecurrentStack, type SequenceStack, type StackConfig } from './stack';

/**
 * A seq2seq decoder with Luong attention (see `attention.ts`): its top output is the attentional
 * state h̃_t = tanh(W_c [c_t; s_t] + b_c), which the head reads instead of s_t.
 *
 * Without feeding, the decoder stack runs over all T2 steps at once and attention follows on every
 * row. With `attentionFeed`, h̃_{t−1} joins the decoder's input at step t, x̂_t = [x_t; h̃_{t−1}]
 * (h̃_0 = 0, or the carried state's in generation), so step t needs step t−1's attention: the
 * decoder then runs one step at a time, one single-step stack per step sharing the parameters, and
 * its backward runs the steps in reverse, handing each stack ∂h_t, ∂c_t from the next step and each
 * step's ∂h̃_{t−1} (the input gradient's last W columns) back to the step before.
 */
export class AttentionDecoder implements SequenceStack {
  readonly width: number;
  readonly directionsPerLayer = 1;
  readonly attention: LuongAttention;
  /** ∂L/∂H (T×B×W) after backward: the encoder's outputs' gradient. */
  dMemory: FloatArray = EMPTY;
  /** Without feeding: one stack over all steps. */
  private readonly block: RecurrentStack | null;
  /** With feeding: one single-step stack per decoder step (made as `reserve` asks for more steps). */
  private readonly stepStacks: RecurrentStack[] = [];
  /** Feeding: per step x̂_t (B×(X+W)) and its gradient; s_t gathered (T2×B×W) and its gradient; per-step lengths (0 or 1). */
  private feedInputs: FloatArray[] = [];
  private dFeedInputs: FloatArray[] = [];
  private decoderStates: FloatArray = EMPTY;
  private dDecoderStates: FloatArray = EMPTY;
  private stepLengths: Int32Array[] = [];
  private stepH: FloatArray[][] = [];
  private stepC: FloatArray[][] = [];
  private shape = { T2: 0, T: 0, B: 0 };
  private input: InputSegment | null = null;
  private previous: FloatArray | null = null;
  private sourceMask = new Uint8Array(0);

  constructor(
    readonly config: StackConfig, score: Exclude<AttentionScore, 'none'>, readonly feed: boolean,
    private readonly params: (name: string) => Param, private readonly backend: Backend,
  ) {
    if (config.bidirectional) throw new Error('an attention decoder runs left to right');
    this.width = config.hiddenSize;
    this.block = feed ? null : new RecurrentStack(config, params, backend);
    this.attention = new LuongAttention(score, this.width, params, backend);
  }

  reserve(arena: Arena, steps: number, batch: number, sourceSteps = 0): void {
    const W = this.width;
    this.attention.reserve(arena, steps, sourceSteps, batch);
    this.dMemory = arena.take(sourceSteps * batch * W);
    this.sourceMask = new Uint8Array(sourceSteps * batch);
    if (this.block) {
      this.block.reserve(arena, steps, batch);
      return;
    }
    while (this.stepStacks.length < steps) this.stepStacks.push(new RecurrentStack(this.config, this.params, this.backend));
    const layers = this.config.layers;
    const H = this.config.hiddenSize;
    this.feedInputs = [];
    this.dFeedInputs = [];
    this.stepH = [];
    this.stepC = [];
    for (let t = 0; t < steps; t++) {
      this.stepStacks[t].reserve(arena, 1, batch);
      this.feedInputs.push(arena.take(batch * this.config.inputWidth));
      this.dFeedInputs.push(arena.take(batch * this.config.inputWidth));
      this.stepH.push(Array.from({ length: layers }, () => arena.take(batch * H)));
      this.stepC.push(Array.from({ length: layers }, () => arena.take(batch * H)));
    }
    this.stepLengths = Array.from({ length: steps }, () => new Int32Array(batch));
    this.decoderStates = arena.take(steps * batch * W);
    this.dDecoderStates = arena.take(steps * batch * W);
  }

  /**
   * The memory for the next forward: a generation step's carried `state` (encoderOutputs, sourceMask,
   * attentional), or else this batch's `encoderOutputs` (T×B×W) masked by the source `lengths`.
   */
  attendTo(state: RecurrentState | undefined, encoderOutputs: FloatArray, lengths: Int32Array, T: number, B: number): void {
    if (!state) return this.attend(encoderOutputs, sourceMaskInto(this.sourceMask, lengths, T, B), T, B, null);
    if (!state.encoderOutputs || !state.sourceMask) throw new Error('an attention decoder step needs the state from encode() (encoderOutputs and sourceMask)');
    this.attend(state.encoderOutputs, state.sourceMask, T, B, state.attentional ?? null);
  }

  /**
   * The memory for the next forward: encoder outputs H (T×B×W), the source mask (T×B) and, with
   * feeding, h̃ of the step before the first (B×W; null: zeros).
   */
  attend(memory: FloatArray, mask: Uint8Array, T: number, B: number, previous: FloatArray | null): void {
    this.attention.attend(memory, mask, T, B);
    this.shape.T = T;
    this.previous = previous;
  }

  forward(input: InputSegment, T2: number, B: number, lengths: Int32Array, h0: readonly FloatArray[] | null, c0: readonly FloatArray[] | null, training: boolean, rng: Rng | null): void {
    this.shape = { T2, T: this.shape.T, B };
    this.input = input;
    if (this.block) {
      this.block.forward(input, T2, B, lengths, h0, c0, training, rng);
      this.attention.forwardSteps(this.block.top, 0, T2);
      return;
    }
    const W = this.width;
    let h = h0;
    let c = c0;
    for (let t = 0; t < T2; t++) {
      this.feedInput(t, B);
      for (let b = 0; b < B; b++) this.stepLengths[t][b] = t < lengths[b] ? 1 : 0;
      const stack = this.stepStacks[t];
      const x: InputSegment = { kind: 'dense', data: this.feedInputs[t], width: this.config.inputWidth, grad: this.dFeedInputs[t] };
      stack.forward(x, 1, B, this.stepLengths[t], h, c, training, rng);
      this.decoderStates.set(stack.top.subarray(0, B * W), t * B * W);
      stack.finalState(this.stepH[t], this.config.cell === 'lstm' ? this.stepC[t] : null);
      h = this.stepH[t];
      c = this.config.cell === 'lstm' ? this.stepC[t] : null;
      this.attention.forwardSteps(this.decoderStates, t, t + 1);
    }
  }

  /** x̂_t = [x_t; h̃_{t−1}] for the B rows of step t (x_t one-hot for token ids, h̃_{-1} = `previous` or 0). */
  private feedInput(t: number, B: number): void {
    const input = this.input!;
    const W = this.width;
    const X = input.width;
    const width = X + W;
    const out = this.feedInputs[t];
    const hPrev = t > 0 ? this.attention.out : this.previous;
    const hPrevAt = t > 0 ? (t - 1) * B * W : 0;
    for (let b = 0; b < B; b++) {
      const rowAt = b * width;
      const xAt = (t * B + b) * X;
      if (input.kind === 'dense') {
        for (let j = 0; j < X; j++) out[rowAt + j] = input.data[xAt + j];
      } else {
        out.fill(0, rowAt, rowAt + X);
        const id = input.ids[t * B + b];
        if (id >= 0) out[rowAt + id] = 1;
      }
      for (let k = 0; k < W; k++) out[rowAt + X + k] = hPrev ? hPrev[hPrevAt + b * W + k] : 0;
    }
  }

  /** h̃ (T2×B×W): the head's input. */
  get top(): FloatArray {
    return this.attention.out;
  }

  /** ∂h̃, filled by the caller before backward. */
  get dTop(): FloatArray {
    return this.attention.dOut;
  }

  /** The alignment a (T2×B×T) of the last forward. */
  get alignment(): FloatArray {
    return this.attention.alignment;
  }

  /** h̃ of the last step (B×W), a view: with feeding, what the next generation step reads. */
  lastAttentional(): FloatArray {
    const { T2, B } = this.shape;
    return this.attention.out.subarray((T2 - 1) * B * this.width, T2 * B * this.width);
  }

  finalState(h: FloatArray[], c: FloatArray[] | null): void {
    if (this.block) this.block.finalState(h, c);
    else this.stepStacks[this.shape.T2 - 1].finalState(h, c);
  }

  zeroGradients(): void {
    const { T2, T, B } = this.shape;
    const W = this.width;
    this.attention.dOut.fill(0, 0, T2 * B * W);
    this.dMemory.fill(0, 0, T * B * W);
    if (this.block) this.block.zeroGradients();
  }

  backward(collectNorms: boolean): number[][] | null {
    const { T2 } = this.shape;
    if (this.block) {
      this.attention.backward(this.block.dTop, this.dMemory, T2);
      return this.block.backward(collectNorms);
    }
    const norms: number[][] | null = collectNorms ? Array.from({ length: this.config.layers }, () => new Array<number>(T2).fill(0)) : null;
    this.attention.beginBackward();
    for (let t = T2 - 1; t >= 0; t--) {
      const stepNorms = this.stepBackward(t, collectNorms);
      if (norms && stepNorms) stepNorms.forEach((row, l) => (norms[l][t] = row[0]));
    }
    this.attention.endBackward(this.dMemory);
    return norms;
  }

  /** Step t: attention (∂h̃_t complete), then the step's stack from ∂s_t and the next step's ∂h_t, ∂c_t; ∂x̂_t splits into ∂x_t and ∂h̃_{t−1}. */
  private stepBackward(t: number, collectNorms: boolean): number[][] | null {
    const { T2, B } = this.shape;
    const W = this.width;
    const H = this.config.hiddenSize;
    const n = B * W;
    this.dDecoderStates.fill(0, t * n, (t + 1) * n);
    this.attention.backwardSteps(this.dDecoderStates, this.dMemory, t, t + 1);
    const stack = this.stepStacks[t];
    stack.zeroGradients();
    stack.dTop.set(this.dDecoderStates.subarray(t * n, (t + 1) * n));
    if (t + 1 < T2) {
      for (let l = 0; l < this.config.layers; l++) {
        const next = this.stepStacks[t + 1].initialStateGradient(l);
        stack.dFinalH[l].set(next.dh.subarray(0, B * H));
        if (next.dc) stack.dFinalC[l].set(next.dc.subarray(0, B * H));
      }
    }
    const dx = this.dFeedInputs[t];
    dx.fill(0, 0, B * this.config.inputWidth);
    const norms = stack.backward(collectNorms);
    // ∂x̂_t = [∂x_t; ∂h̃_{t−1}]
    const input = this.input!;
    const X = input.width;
    const width = X + W;
    for (let b = 0; b < B; b++) {
      const rowAt = b * width;
      if (input.kind === 'dense' && input.grad) {
        const xAt = (t * B + b) * X;
        for (let j = 0; j < X; j++) input.grad[xAt + j] += dx[rowAt + j];
      }
      if (t > 0) {
        const hAt = ((t - 1) * B + b) * W;
        for (let k = 0; k < W; k++) this.attention.dOut[hAt + k] += dx[rowAt + X + k];
      }
    }
    return norms;
  }

  initialStateGradient(i: number): { dh: FloatArray; dc: FloatArray | null } {
    return (this.block ?? this.stepStacks[0]).initialStateGradient(i);
  }

  layerOutput(l: number): FloatArray {
    if (!this.block) throw new Error('a decoder with attentionFeed keeps no output sequence per layer');
    return this.block.layerOutput(l);
  }
}

const EMPTY = new Float32Array(0);
