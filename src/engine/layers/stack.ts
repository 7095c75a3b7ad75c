import type { Arena } from '../arena';
import { GruCell } from '../cells/gruCell';
import { LstmCell } from '../cells/lstmCell';
import { VanillaCell } from '../cells/vanillaCell';
import type { Backend } from '../kernels/backend';
import { matMulInto, rowsAt } from '../kernels/matrix';
import { rowKernelsFor } from '../kernels/rowKernels';
import type { Rng } from '../random';
import type { Activation, CellType, FloatArray, NetworkConfig, Param } from '../types';
import { mergeBackward, mergeForward, mergedWidth } from './merge';
import type { DirectionParams, InputSegment, RecurrentDirection } from './recurrentDirection';

/** One stack of a network: the network's recurrent settings (the decoder's may differ in width and direction), plus: */
export interface StackConfig extends Pick<NetworkConfig, 'cell' | 'activation' | 'hiddenSize' | 'layers' | 'bidirectional' | 'merge' | 'connections' | 'dropout'> {
  /** Width of the first layer's input x¹ (the vocabulary for one-hot tokens). */
  inputWidth: number;
  /** Parameter name prefix: '' or 'encoder.' / 'decoder.'. */
  prefix: string;
}

/** Width of layer l's input: x¹ for l = 0; then y^{l-1} or z^{l-1} (none, skip) or [x¹; y¹ … y^{l-1}] (dense). */
export function layerInputWidth(c: StackConfig, l: number): number {
  if (l === 0) return c.inputWidth;
  const W = mergedWidth(c.hiddenSize, c.bidirectional, c.merge);
  return c.connections === 'dense' ? c.inputWidth + l * W : W;
}

/** Names and PyTorch shapes of a stack's parameters, in state_dict order. */
export function stackParameterShapes(c: StackConfig): { name: string; shape: number[] }[] {
  const G = gateCount(c.cell);
  const H = c.hiddenSize;
  const W = mergedWidth(H, c.bidirectional, c.merge);
  const out: { name: string; shape: number[] }[] = [];
  for (let l = 0; l < c.layers; l++) {
    const X = layerInputWidth(c, l);
    for (const suffix of c.bidirectional ? ['', '_reverse'] : ['']) {
      out.push({ name: `${c.prefix}rnn.weight_ih_l${l}${suffix}`, shape: [G * H, X] });
      out.push({ name: `${c.prefix}rnn.weight_hh_l${l}${suffix}`, shape: [G * H, H] });
      out.push({ name: `${c.prefix}rnn.bias_ih_l${l}${suffix}`, shape: [G * H] });
      out.push({ name: `${c.prefix}rnn.bias_hh_l${l}${suffix}`, shape: [G * H] });
    }
  }
  if (c.connections === 'skip') {
    for (let l = 0; l < c.layers; l++) {
      const X = layerInputWidth(c, l);
      if (X !== W) out.push({ name: `${c.prefix}skip.${l}.weight`, shape: [W, X] });
    }
  }
  return out;
}

export function gateCount(cell: CellType): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/**
 * What the model asks of its main (or decoder) stack: a `RecurrentStack`, or an `AttentionDecoder`
 * around one, whose top output is the attentional state.
 */
export interface SequenceStack {
  readonly config: StackConfig;
  readonly width: number;
  readonly directionsPerLayer: number;
  /** Requests buffers for up to `steps`×`batch` (and, for attention, `sourceSteps` of memory). */
  reserve(arena: Arena, steps: number, batch: number, sourceSteps?: number): void;
  forward(input: InputSegment, T: number, B: number, lengths: Int32Array, h0: readonly FloatArray[] | null, c0: readonly FloatArray[] | null, training: boolean, rng: Rng | null): void;
  /** The output the head reads (T×B×W), and its gradient, filled by the caller before backward. */
  readonly top: FloatArray;
  readonly dTop: FloatArray;
  finalState(h: FloatArray[], c: FloatArray[] | null): void;
  zeroGradients(): void;
  backward(collectNorms: boolean): number[][] | null;
  initialStateGradient(i: number): { dh: FloatArray; dc: FloatArray | null };
  layerOutput(l: number): FloatArray;
}

interface LayerBuffers {
  directions: RecurrentDirection[];
  /**
   * T×B×W merged output y^l, and its gradient. With one direction y^l is its outputs h_t, a view
   * of its states (no copy), and dy is that direction's ∂L/∂h_t as it reads it.
   */
  y: FloatArray;
  dy: FloatArray;
  /** Two directions: the buffer y^l is merged into; one direction: empty. */
  merged: FloatArray;
  /** Dropout applied to y^l (layers below the top, training only): mask holds 0 or 1/(1−p). */
  dropped: FloatArray | null;
  mask: FloatArray | null;
  /** skip: z^l = drop(y^l) + P_l(x^l), and its gradient. */
  z: FloatArray | null;
  dz: FloatArray | null;
  /** skip.{l}.weight when the widths differ (identity otherwise). */
  projection: Param | null;
  /**
   * Per-direction ∂L/∂h (T×B×H), assembled from dy before the direction's backward for the merges
   * that scale it (mean, mul); empty where the directions read dy itself (one direction, concat, sum).
   */
  dOut: FloatArray[];
  inputs: InputSegment[];
}

/**
 * A deep (optionally bidirectional) recurrent stack with none / skip / dense connections:
 *   none:  x^{l+1} = drop(y^l)
 *   skip:  x^{l+1} = z^l = drop(y^l) + P_l(x^l)   (P_l identity, or a bias-free linear map when widths differ)
 *   dense: x^{l+1} = [x¹; drop(y¹); …; drop(y^l)]
 * where y^l = merge(forward_l, backward_l). The top output is z^L for skip and y^L otherwise.
 * Dropout is applied between layers only, as PyTorch does.
 */
export class RecurrentStack implements SequenceStack {
  readonly width: number;
  private readonly layerBuffers: LayerBuffers[] = [];
  private T = 0;
  private B = 0;
  private dropoutActive = false;
  /** Gradient of the top output sequence (T×B×W), filled by the caller before backward: the top layer's dz (skip) or dy itself. */
  dTop!: FloatArray;
  /** ∂L/∂(final h) and ∂L/∂(final c) per layer × direction (B×H), added by the caller before backward. */
  dFinalH: FloatArray[] = [];
  dFinalC: FloatArray[] = [];
  private hiddenNormSq: Float64Array[] = [];

  constructor(readonly config: StackConfig, params: (name: string) => Param, private readonly backend: Backend) {
    const c = config;
    this.width = mergedWidth(c.hiddenSize, c.bidirectional, c.merge);
    for (let l = 0; l < c.layers; l++) {
      const X = layerInputWidth(c, l);
      const directions: RecurrentDirection[] = [];
      for (const reverse of c.bidirectional ? [false, true] : [false]) {
        const s = `l${l}${reverse ? '_reverse' : ''}`;
        const p: DirectionParams = {
          weightIh: params(`${c.prefix}rnn.weight_ih_${s}`),
          weightHh: params(`${c.prefix}rnn.weight_hh_${s}`),
          biasIh: params(`${c.prefix}rnn.bias_ih_${s}`),
          biasHh: params(`${c.prefix}rnn.bias_hh_${s}`),
        };
        directions.push(createDirection(c.cell, c.activation, X, c.hiddenSize, reverse, p, backend));
      }
      const hasProjection = c.connections === 'skip' && X !== this.width;
      this.layerBuffers.push({
        directions,
        y: EMPTY, dy: EMPTY, merged: EMPTY, dropped: null, mask: null, z: null, dz: null,
        projection: hasProjection ? params(`${c.prefix}skip.${l}.weight`) : null,
        dOut: [], inputs: [],
      });
    }
  }

  get directionsPerLayer(): number {
    return this.config.bidirectional ? 2 : 1;
  }

  direction(layer: number, d: number): RecurrentDirection {
    return this.layerBuffers[layer].directions[d];
  }

  reserve(arena: Arena, steps: number, batch: number): void {
    const c = this.config;
    const n = steps * batch;
    const W = this.width;
    for (let l = 0; l < c.layers; l++) {
      const L = this.layerBuffers[l];
      for (const d of L.directions) d.reserve(arena, steps, batch);
      const D = L.directions.length;
      L.merged = D === 2 ? arena.take(n * W) : EMPTY;
      L.y = L.merged;
      L.dy = arena.take(n * W);
      const hasDropout = c.dropout > 0 && l < c.layers - 1;
      L.dropped = hasDropout ? arena.take(n * W) : null;
      L.mask = hasDropout ? arena.take(n * W) : null;
      L.z = c.connections === 'skip' ? arena.take(n * W) : null;
      L.dz = c.connections === 'skip' ? arena.take(n * W) : null;
      L.dOut = D === 2 && (c.merge === 'mean' || c.merge === 'mul') ? L.directions.map(() => arena.take(n * c.hiddenSize)) : [];
    }
    const top = this.layerBuffers[c.layers - 1];
    this.dTop = top.dz ?? top.dy;
    this.dFinalH = [];
    this.dFinalC = [];
    for (let i = 0; i < c.layers * this.directionsPerLayer; i++) {
      this.dFinalH.push(arena.take(batch * c.hiddenSize));
      this.dFinalC.push(arena.take(batch * c.hiddenSize));
    }
  }

  /** The top output sequence (T×B×W): z^L for skip, y^L otherwise. */
  get top(): FloatArray {
    const L = this.layerBuffers[this.config.layers - 1];
    return L.z ?? L.y;
  }

  /** Layer l's merged output y^l (T×B×W), e.g. for the hidden-state view. */
  layerOutput(l: number): FloatArray {
    return this.layerBuffers[l].y;
  }

  /** skip: layer l's residual projection P_l (`skip.{l}.weight`), null when it is the identity. */
  projectionOf(l: number): Param | null {
    return this.layerBuffers[l].projection;
  }

  /** Layer l's input segments of the last forward pass. */
  layerInputs(l: number): readonly InputSegment[] {
    return this.layerBuffers[l].inputs;
  }

  /**
   * Forward over T steps. `input` is x¹ (its `grad`, when given, receives ∂L/∂x¹ in backward);
   * `h0`/`c0` give the initial state per layer × direction (index l·D + d), zero when absent.
   */
  forward(input: InputSegment, T: number, B: number, lengths: Int32Array, h0: readonly FloatArray[] | null, c0: readonly FloatArray[] | null, training: boolean, rng: Rng | null): void {
    const c = this.config;
    this.T = T;
    this.B = B;
    this.dropoutActive = training && rng !== null && c.dropout > 0;
    const n = T * B;
    const W = this.width;
    const H = c.hiddenSize;
    const D = this.directionsPerLayer;
    let below: InputSegment = input;
    const denseInputs: InputSegment[] = [input];
    for (let l = 0; l < c.layers; l++) {
      const L = this.layerBuffers[l];
      L.inputs = c.connections === 'dense' ? denseInputs.slice() : [below];
      L.directions.forEach((dir, d) => dir.forward(L.inputs, T, B, lengths, h0 ? h0[l * D + d] : null, c0 ? c0[l * D + d] : null));
      const f = L.directions[0];
      const r = D === 2 ? L.directions[1] : null;
      if (r) mergeForward(c.merge, L.y, f.states, f.outputOffset, r.states, r.outputOffset, n, H, rowKernelsFor(this.backend, L.y, f.states, r.states));
      else L.y = outputsOf(f, L.y);
      let out = L.y;
      if (L.dropped && L.mask && this.dropoutActive && rng) {
        const keep = 1 - c.dropout;
        for (let i = 0; i < n * W; i++) {
          const m = rng.next() < keep ? 1 / keep : 0;
          L.mask[i] = m;
          L.dropped[i] = L.y[i] * m;
        }
        out = L.dropped;
      }
      // Consumers add ∂L/∂drop(y^l) into dy; backward turns it into ∂L/∂y^l with the mask.
      if (L.z && L.dz) {
        L.z.set(out.subarray(0, n * W));
        addProjection(this.backend, L.z, 0, L.inputs[0], L.projection, n, W);
        below = { kind: 'dense', data: L.z, width: W, grad: L.dz };
      } else {
        below = { kind: 'dense', data: out, width: W, grad: L.dy };
      }
      denseInputs.push({ kind: 'dense', data: out, width: W, grad: L.dy });
    }
  }

  /** Copies the final state of every layer × direction (B×H each) into `h` (and `c` for LSTM). */
  finalState(h: FloatArray[], c: FloatArray[] | null): void {
    const n = this.B * this.config.hiddenSize;
    let i = 0;
    for (const L of this.layerBuffers) {
      for (const dir of L.directions) {
        h[i].set(dir.states.subarray(dir.finalOffset, dir.finalOffset + n));
        if (c && dir instanceof LstmCell) c[i].set(dir.cellStates.subarray(dir.finalOffset, dir.finalOffset + n));
        i++;
      }
    }
  }

  /** Zeroes the gradient accumulators the caller adds into (dTop, dFinalH, dFinalC) and the internal ones. */
  zeroGradients(): void {
    const n = this.T * this.B;
    const W = this.width;
    const m = this.B * this.config.hiddenSize;
    for (const a of this.dFinalH) a.fill(0, 0, m);
    for (const a of this.dFinalC) a.fill(0, 0, m);
    for (const L of this.layerBuffers) {
      L.dy.fill(0, 0, n * W);
      L.dz?.fill(0, 0, n * W);
    }
  }

  /**
   * Backward through every layer, top first. Reads dTop, dFinalH, dFinalC; adds into parameter
   * gradients and the first input's `grad`. With `collectNorms`, returns ‖∂L/∂h_t‖ per layer and step.
   */
  backward(collectNorms: boolean): number[][] | null {
    const c = this.config;
    const n = this.T * this.B;
    const W = this.width;
    const H = c.hiddenSize;
    const D = this.directionsPerLayer;
    if (collectNorms) this.hiddenNormSq = this.layerBuffers.map(() => new Float64Array(this.T));
    for (let l = c.layers - 1; l >= 0; l--) {
      const L = this.layerBuffers[l];
      if (L.z && L.dz) {
        // z = drop(y) + P(x): ∂drop(y) = dz; ∂x += dz·P (identity when no projection).
        for (let i = 0; i < n * W; i++) L.dy[i] += L.dz[i];
        projectionBackward(this.backend, L.dz, L.inputs[0], L.projection, n, W);
      }
      if (L.mask && this.dropoutActive) for (let i = 0; i < n * W; i++) L.dy[i] *= L.mask[i];
      const f = L.directions[0];
      const r = D === 2 ? L.directions[1] : null;
      // ∂L/∂h_t of each direction: its own buffer where the merge scales dy (mean, mul); else read
      // from dy in place: all of it (one direction, sum), or its half of each row (concat).
      const separate = L.dOut.length > 0;
      if (separate && r) mergeBackward(c.merge, L.dy, L.dOut[0], f.states, f.outputOffset, L.dOut[1], r.states, r.outputOffset, n, H);
      for (let d = 0; d < D; d++) {
        const dir = L.directions[d];
        const dOut = separate ? L.dOut[d] : L.dy;
        const dOutOff = !separate && c.merge === 'concat' ? d * H : 0;
        const dOutStride = separate ? H : W;
        const dcFinal = dir instanceof LstmCell ? this.dFinalC[l * D + d] : null;
        dir.backward(L.inputs, dOut, dOutOff, dOutStride, this.dFinalH[l * D + d], dcFinal, collectNorms ? this.hiddenNormSq[l] : null);
      }
    }
    return collectNorms ? this.hiddenNormSq.map((a) => Array.from(a, Math.sqrt)) : null;
  }

  /** ∂L/∂h0 (and ∂L/∂c0) of layer × direction i after backward. */
  initialStateGradient(i: number): { dh: FloatArray; dc: FloatArray | null } {
    const D = this.directionsPerLayer;
    const dir = this.layerBuffers[Math.floor(i / D)].directions[i % D];
    return { dh: dir.dhPrev, dc: dir instanceof LstmCell ? dir.dcPrev : null };
  }
}

const EMPTY = new Float32Array(0);

/**
 * A direction's outputs h_0…h_{T−1} (T×B×H from its `outputOffset`) as one array: a view of its
 * states, no copy. `cached` is returned when it is that view already (same buffer, offset and end).
 */
function outputsOf(dir: RecurrentDirection, cached: FloatArray): FloatArray {
  const states = dir.states;
  const byteOffset = states.byteOffset + dir.outputOffset * states.BYTES_PER_ELEMENT;
  const sameView = cached.buffer === states.buffer && cached.byteOffset === byteOffset && byteOffset + cached.byteLength === states.byteOffset + states.byteLength;
  return sameView ? cached : states.subarray(dir.outputOffset);
}

function createDirection(cell: CellType, activation: Activation, X: number, H: number, reverse: boolean, p: DirectionParams, backend: Backend): RecurrentDirection {
  if (cell === 'lstm') return new LstmCell(X, H, reverse, p, backend);
  if (cell === 'gru') return new GruCell(X, H, reverse, p, backend);
  return new VanillaCell(X, H, reverse, p, activation, backend);
}

/** z[rows×W] += P(x): identity copy-add, a bias-free linear map x·Pᵀ, or a column lookup for one-hot x. */
export function addProjection(backend: Backend, z: FloatArray, zOff: number, x: InputSegment, projection: Param | null, rows: number, W: number): void {
  if (!projection) {
    if (x.kind === 'dense') for (let i = 0; i < rows * W; i++) z[zOff + i] += x.data[i];
    else for (let r = 0; r < rows; r++) if (x.ids[r] >= 0) z[zOff + r * W + x.ids[r]] += 1;
    return;
  }
  const P = projection.data;
  const X = x.width;
  if (x.kind === 'dense') {
    matMulInto(backend, rowsAt(z, zOff, rows, W), rowsAt(x.data, 0, rows, X), rowsAt(P, 0, W, X).T, true); // z += x·Pᵀ
  } else {
    for (let r = 0; r < rows; r++) {
      const id = x.ids[r];
      if (id < 0) continue;
      for (let j = 0; j < W; j++) z[zOff + r * W + j] += P[j * X + id];
    }
  }
}

/** Backward of `addProjection`: ∂x += dz·P (or dz), ∂P += dzᵀ·x. */
export function projectionBackward(backend: Backend, dz: FloatArray, x: InputSegment, projection: Param | null, rows: number, W: number): void {
  if (!projection) {
    if (x.kind === 'dense' && x.grad) for (let i = 0; i < rows * W; i++) x.grad[i] += dz[i];
    return;
  }
  const X = x.width;
  if (x.kind === 'dense') {
    const dZ = rowsAt(dz, 0, rows, W);
    matMulInto(backend, rowsAt(projection.grad, 0, W, X), dZ.T, rowsAt(x.data, 0, rows, X), true); // ∂P += dzᵀ·x
    if (x.grad) matMulInto(backend, rowsAt(x.grad, 0, rows, X), dZ, rowsAt(projection.data, 0, W, X), true); // ∂x += dz·P
  } else {
    for (let r = 0; r < rows; r++) {
      const id = x.ids[r];
      if (id < 0) continue;
      for (let j = 0; j < W; j++) projection.grad[j * X + id] += dz[r * W + j];
    }
  }
}
