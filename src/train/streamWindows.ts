/**
 * Language-model batching over one token stream, with truncated BPTT.
 *
 * The stream x_0 … x_{N-1} is cut into B contiguous stripes of L = ⌊(N−1)/B⌋ steps: stripe b reads
 * inputs x_{bL+i} and predicts targets x_{bL+i+1}, i ∈ [0, L). Stripes are never shuffled, and the
 * recurrent state is carried from one window to the next, as min-char-rnn carries `hprev`.
 *
 * Truncated BPTT(k1, k2): window w brings the new steps [w·k1, min((w+1)·k1, L)) and backpropagates
 * through the last k2 steps. It runs steps [start, end) with start = max(0, w·k1 − (k2 − k1)) from
 * the state carried at `start`, and counts the loss only from step `lossFrom` = w·k1 − start on.
 * k1 = k2 = k gives independent windows of k steps with the state carried (start = w·k).
 */
import type { Batch } from '../engine/types';

export interface StripeLayout {
  /** B: number of stripes (the batch size, reduced when the stream is shorter). */
  stripes: number;
  /** L: input steps per stripe. */
  stripeLength: number;
}

export interface StreamWindow {
  /** First step run (stripe-relative); the state carried in must be the state at this step. */
  start: number;
  /** One past the last step run. */
  end: number;
  /** Steps `t < lossFrom` of the window (t counted from `start`) are recomputed but not scored. */
  lossFrom: number;
}

/** Stripes for a stream of `tokenCount` tokens; throws when fewer than 2 tokens. */
export function stripeLayout(tokenCount: number, batchSize: number): StripeLayout {
  if (tokenCount < 2) throw new RangeError(`a token stream needs at least 2 tokens, got ${tokenCount}`);
  const stripes = Math.max(1, Math.min(batchSize, tokenCount - 1));
  return { stripes, stripeLength: Math.floor((tokenCount - 1) / stripes) };
}

/** The windows of one pass over stripes of `stripeLength` steps, in order. Requires k2 ≥ k1 ≥ 1. */
export function truncatedWindows(stripeLength: number, forwardSteps: number, backpropSteps: number): StreamWindow[] {
  if (!(forwardSteps >= 1 && backpropSteps >= forwardSteps)) {
    throw new RangeError(`truncated BPTT needs backpropSteps (${backpropSteps}) ≥ forwardSteps (${forwardSteps}) ≥ 1`);
  }
  const windows: StreamWindow[] = [];
  for (let newFrom = 0; newFrom < stripeLength; newFrom += forwardSteps) {
    const start = Math.max(0, newFrom - (backpropSteps - forwardSteps));
    windows.push({ start, end: Math.min(newFrom + forwardSteps, stripeLength), lossFrom: newFrom - start });
  }
  return windows;
}

/**
 * The batch of one window: tokens and targetTokens T×B (time-major), T = end − start,
 * `tokens[t·B + b] = x[b·L + start + t]`, `targetTokens[t·B + b] = x[b·L + start + t + 1]`.
 */
export function windowBatch(stream: Int32Array, layout: StripeLayout, window: StreamWindow): Batch {
  const { stripes: B, stripeLength: L } = layout;
  const T = window.end - window.start;
  const tokens = new Int32Array(T * B);
  const targetTokens = new Int32Array(T * B);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const at = b * L + window.start + t;
      tokens[t * B + b] = stream[at];
      targetTokens[t * B + b] = stream[at + 1];
    }
  }
  const batch: Batch = { batchSize: B, steps: T, lengths: new Int32Array(B).fill(T), tokens, targetTokens };
  if (window.lossFrom > 0) batch.lossFrom = window.lossFrom;
  return batch;
}
