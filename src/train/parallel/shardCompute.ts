/**
 * One shard's work, the same on every thread: zero the gradients, forward (dropout from the shard's
 * own seeded stream), backward. Workers then write what the main thread needs into their result
 * buffer (`writeShardResult`); the main thread reads its own shard straight from its model.
 */
import type { BackwardResult, ForwardResult, RecurrentModel } from '../../engine/model';
import { Rng } from '../../engine/random';
import {
  R_COUNT, R_CORRECT, R_ENCODER_NORM_COLUMNS, R_ENCODER_NORM_ROWS, R_LOSS_SUM, R_NORM_COLUMNS, R_NORM_ROWS, R_UNSEEN, R_WEIGHT,
  resultLayout, writeNorms, type DecodedRequest, type SharedWords,
} from './shardMailbox';

/** Shard k's dropout stream in a step whose drawn seed is `seed`. */
export function shardRng(seed: number, shard: number): Rng {
  return new Rng((seed ^ Math.imul(shard + 1, 0x9e3779b9)) >>> 0);
}

export interface ShardOutcome {
  result: ForwardResult;
  backward: BackwardResult;
}

export function computeShard(model: RecurrentModel, request: DecodedRequest, shard: number, dropout: boolean): ShardOutcome {
  model.zeroGrad();
  const result = model.forward(request.batch, {
    training: request.training, initialState: request.initialState, rng: dropout ? shardRng(request.seed, shard) : undefined,
  });
  const backward = model.backward({ collectGradNorms: request.collect });
  return { result, backward };
}

/** Words a shard result of this model and batch needs. */
export function shardResultLayout(model: RecurrentModel, outcome: ShardOutcome, stateLength: number) {
  const parameters = model.parameterCount;
  const norms = countNorms(outcome.backward.hiddenGradNorms) + countNorms(outcome.backward.encoderHiddenGradNorms);
  const { h, c } = outcome.result.finalState;
  return resultLayout(parameters, outcome.result.outputs.length, h.length, stateLength, c !== undefined, norms);
}

function countNorms(norms: number[][] | undefined): number {
  return norms ? norms.length * (norms[0]?.length ?? 0) : 0;
}

/** Writes totals, gradients, outputs, final state (`stateLength` = b·H per block) and norms. */
export function writeShardResult(box: SharedWords, model: RecurrentModel, outcome: ShardOutcome, stateLength: number): void {
  const layout = shardResultLayout(model, outcome, stateLength);
  box.ensureWords(layout.end);
  const { result, backward } = outcome;
  const head = box.f64;
  head[R_LOSS_SUM] = result.loss * result.weight;
  head[R_COUNT] = result.count;
  head[R_CORRECT] = result.correct;
  head[R_WEIGHT] = result.weight;
  head[R_UNSEEN] = result.unseen;
  head[R_NORM_ROWS] = backward.hiddenGradNorms?.length ?? 0;
  head[R_NORM_COLUMNS] = backward.hiddenGradNorms?.[0]?.length ?? 0;
  head[R_ENCODER_NORM_ROWS] = backward.encoderHiddenGradNorms?.length ?? 0;
  head[R_ENCODER_NORM_COLUMNS] = backward.encoderHiddenGradNorms?.[0]?.length ?? 0;
  const f = box.f32;
  let offset = layout.gradients;
  for (const p of model.params) {
    f.set(p.grad, offset);
    offset += p.grad.length;
  }
  f.set(result.outputs, layout.outputs);
  result.finalState.h.forEach((block, j) => copyPrefix(block, f, layout.finalH + j * stateLength, stateLength));
  result.finalState.c?.forEach((block, j) => copyPrefix(block, f, layout.finalC + j * stateLength, stateLength));
  writeNorms(f, writeNorms(f, layout.norms, backward.hiddenGradNorms), backward.encoderHiddenGradNorms);
}

function copyPrefix(from: ArrayLike<number>, into: Float32Array, offset: number, n: number): void {
  for (let i = 0; i < n; i++) into[offset + i] = from[i];
}
