import type { EncoderBridge } from './bridging';
import { sourceMaskInto } from './layers/attention';
import type { RecurrentModel } from './model';
import type { Batch, FloatArray } from './types';

/** Recurrent state per layer × direction (index l·D + d), B×H each. */
export interface RecurrentState {
  h: FloatArray[];
  c?: FloatArray[];
  /** Attention decoders: the encoder's merged outputs h_j (T×B×W, time-major), which every step attends over. */
  encoderOutputs?: FloatArray;
  /** Attention decoders: T×B, 1 where source step j of sequence b is valid (j < its length), 0 at padding. */
  sourceMask?: Uint8Array;
  /** Attention decoders with `attentionFeed`: h̃ of the last step (B×W), read with the next step's input (absent: zeros). */
  attentional?: FloatArray;
}

/**
 * The decoder's initial state for generation, a fresh copy: for seq2seq the encoder runs on the
 * batch's source and the bridge merges its final states; for one-to-many h_0 = tanh(init·v + b).
 */
export function encode(model: RecurrentModel, batch: Batch): RecurrentState {
  const start = model.decoderStart;
  if (!start) throw new Error(`encode() is for seq2seq and one-to-many, not ${model.config.task}`);
  const B = batch.batchSize;
  model.reserve(B, batch.steps, 1);
  const n = B * model.mainHiddenSize;
  const initial = start.forward(batch, false, null);
  const state: RecurrentState = { h: initial.h.map((a) => a.slice(0, n)) };
  if (model.config.cell === 'lstm') state.c = initial.c ? initial.c.map((a) => a.slice(0, n)) : state.h.map(() => new Float32Array(n));
  if ((model.config.attention ?? 'none') !== 'none') {
    const T = batch.steps;
    state.encoderOutputs = (start as EncoderBridge).encoder.top.slice(0, T * B * model.mainHiddenSize);
    state.sourceMask = sourceMaskInto(new Uint8Array(T * B), batch.lengths, T, B);
  }
  return state;
}

/**
 * One generation step for B sequences: feeds token ids (B) from `state` through the main (LM) or
 * decoder stack, returning the logits (B×O, a copy) and the next state (copies).
 */
export function step(model: RecurrentModel, ids: Int32Array, state: RecurrentState | null): GenerationStep {
  const generator = model.decoderStart !== null;
  if (generator && !state) throw new Error('step() of a generator needs the state from encode()');
  const r = model.forward(oneStepBatch(model, ids, generator), { initialState: state ?? undefined });
  const n = ids.length * model.mainHiddenSize;
  const next: RecurrentState = { h: r.finalState.h.map((a) => Float32Array.from(a.subarray(0, n))), c: r.finalState.c?.map((a) => Float32Array.from(a.subarray(0, n))) };
  if (state?.encoderOutputs) {
    next.encoderOutputs = state.encoderOutputs;
    next.sourceMask = state.sourceMask;
  }
  if (r.finalState.attentional) next.attentional = Float32Array.from(r.finalState.attentional);
  const result: GenerationStep = { logits: Float32Array.from(r.outputs), state: next };
  if (r.attention) result.attention = Float32Array.from(r.attention);
  return result;
}

/** One generation step's answer: logits B×O, the next state, and (attention decoders) the alignment B×T over the source steps. */
export interface GenerationStep {
  logits: Float32Array;
  state: RecurrentState;
  attention?: Float32Array;
}

/** A one-step batch of B token ids with no counted target (the loss it reports is 0). */
function oneStepBatch(model: RecurrentModel, ids: Int32Array, generator: boolean): Batch {
  const B = ids.length;
  const lengths = new Int32Array(B).fill(1);
  const batch: Batch = generator
    ? { batchSize: B, steps: 1, lengths, decoderSteps: 1, decoderInput: ids, decoderLengths: lengths, decoderTarget: new Int32Array(B).fill(-1) }
    : { batchSize: B, steps: 1, lengths, tokens: ids, targetTokens: new Int32Array(B).fill(-1) };
  if (model.config.output.kind === 'values') batch.targetValues = new Float32Array(B * model.config.output.size);
  return batch;
}
