import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import type { FloatArray, Param } from '../types';
import { mergeBackward, mergeForward } from './merge';
import type { InputSegment } from './recurrentDirection';
import { addProjection, layerInputWidth, projectionBackward, type RecurrentStack } from './stack';

/**
 * many-to-one: the head reads one row per sequence b, the top layer L's merged final state
 *   f_b = merge(→h^L_{T_b}, ←h^L_1)
 * and, with skip connections, the top layer's residual at the last valid step, as the stack adds it
 * at every step:  f_b += P_L(x^L_{T_b})  (P_L identity or `skip.{L}.weight`).
 * The residual gathers the rows x^L_{T_b} (B×X) once, so it is the stack's own projection and its
 * backward on B rows; their gradient is scattered back to step T_b afterwards.
 */
export class FinalFeatures {
  /** B×W head input and its gradient. */
  out: FloatArray = new Float32Array(0);
  dOut: FloatArray = new Float32Array(0);
  /** The gathered last-step input rows x^L_{T_b}: dense B×X with gradient, or B token ids (one-hot). */
  private lastX: FloatArray = new Float32Array(0);
  private dLastX: FloatArray = new Float32Array(0);
  private lastIds = new Int32Array(0);

  constructor(private readonly stack: RecurrentStack, private readonly backend: Backend) {}

  reserve(arena: Arena, batch: number): void {
    const W = this.stack.width;
    this.out = arena.take(batch * W);
    this.dOut = arena.take(batch * W);
    if (this.stack.config.connections !== 'skip') return;
    const X = this.topInputWidth();
    this.lastX = arena.take(batch * X);
    this.dLastX = arena.take(batch * X);
    this.lastIds = new Int32Array(batch);
  }

  forward(B: number, lengths: Int32Array): void {
    const s = this.stack;
    const top = s.config.layers - 1;
    const f = s.direction(top, 0);
    const r = s.directionsPerLayer === 2 ? s.direction(top, 1) : null;
    mergeForward(s.config.merge, this.out, f.states, f.finalOffset, r ? r.states : null, r ? r.finalOffset : 0, B, s.config.hiddenSize);
    if (s.config.connections === 'skip') addProjection(this.backend, this.out, 0, this.gatherLastStep(B, lengths), this.projection(), B, s.width);
  }

  /** From ∂f (dOut): ∂(top final states) into the stack's dFinalH, and the residual's ∂P_L, ∂x^L. */
  backward(B: number, lengths: Int32Array): void {
    const s = this.stack;
    const top = s.config.layers - 1;
    const D = s.directionsPerLayer;
    const f = s.direction(top, 0);
    const r = D === 2 ? s.direction(top, 1) : null;
    mergeBackward(s.config.merge, this.dOut, s.dFinalH[top * D], f.states, f.finalOffset,
      r ? s.dFinalH[top * D + 1] : null, r ? r.states : null, r ? r.finalOffset : 0, B, s.config.hiddenSize);
    if (s.config.connections !== 'skip') return;
    const last = this.gatherLastStep(B, lengths);
    if (last.kind === 'dense') this.dLastX.fill(0, 0, B * last.width);
    projectionBackward(this.backend, this.dOut, last, this.projection(), B, s.width);
    if (last.kind === 'dense') this.scatterLastStepGradient(B, lengths);
  }

  private topInputWidth(): number {
    return layerInputWidth(this.stack.config, this.stack.config.layers - 1);
  }

  private projection(): Param | null {
    return this.stack.projectionOf(this.stack.config.layers - 1);
  }

  /** x^L at each sequence's last valid step (row (T_b − 1)·B + b of the top layer's input). */
  private gatherLastStep(B: number, lengths: Int32Array): InputSegment {
    const x = this.stack.layerInputs(this.stack.config.layers - 1)[0];
    const X = x.width;
    if (x.kind === 'tokens') {
      for (let b = 0; b < B; b++) this.lastIds[b] = x.ids[(lengths[b] - 1) * B + b];
      return { kind: 'tokens', ids: this.lastIds, width: X };
    }
    for (let b = 0; b < B; b++) {
      const rowAt = ((lengths[b] - 1) * B + b) * X;
      for (let j = 0; j < X; j++) this.lastX[b * X + j] = x.data[rowAt + j];
    }
    return { kind: 'dense', data: this.lastX, width: X, grad: this.dLastX };
  }

  /** ∂x^L_{T_b} += ∂(gathered row b). */
  private scatterLastStepGradient(B: number, lengths: Int32Array): void {
    const x = this.stack.layerInputs(this.stack.config.layers - 1)[0];
    if (x.kind !== 'dense' || !x.grad) return;
    const X = x.width;
    for (let b = 0; b < B; b++) {
      const rowAt = ((lengths[b] - 1) * B + b) * X;
      for (let j = 0; j < X; j++) x.grad[rowAt + j] += this.dLastX[b * X + j];
    }
  }
}
