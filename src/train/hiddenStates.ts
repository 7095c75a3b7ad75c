/**
 * Hidden states of a trained model over one raw input, for the hidden-state view:
 *   h_t^(k) for every layer k and step t, the layer's merged output (forward ‖ backward for a
 *   bidirectional concat layer), so each layer is a T×W matrix with W = H, or 2H when concatenated.
 * Read from one inference forward pass with `collectHidden` (batch B = 1, so the engine's
 * T×B×W buffer is already T×W, row-major by step).
 */
import type { Batch } from '../engine/types';
import { InputError } from './errors';
import type { LoadedRun } from './loadedRun';
import { withDummyTargets } from './prediction';

export interface LayerHiddenStates {
  /** `layer 1`, `layer 2`, …; bidirectional layers say how their directions merge. */
  label: string;
  /** W: units per step after the merge. */
  width: number;
  /** T rows of W values: `states[t][u]` = h_t[u]. */
  states: number[][];
}

export interface HiddenStates {
  /** The steps the model read: its tokens (`<unk>` for unseen ones), or step indices for feature inputs. */
  steps: string[];
  layers: LayerHiddenStates[];
}

/** Per-layer T×W hidden states of `run`'s model on a B = 1 input batch (from `inputBatch`). */
export function hiddenStates(run: LoadedRun, batch: Batch): HiddenStates {
  const { model } = run;
  const { task, bidirectional, merge, input } = model.config;
  if (task === 'seq2seq' || task === 'one-to-many') {
    throw new InputError(`hidden states are shown for models that read their input step by step (many-to-one, many-to-many), not ${task}`, '--hidden');
  }
  const T = batch.steps;
  const { hidden } = model.forward(withDummyTargets(model, batch), { training: false, collectHidden: true });
  if (!hidden) throw new Error('the engine returned no hidden states');
  const vocab = input.kind === 'tokens' ? run.inputVocab : undefined;
  const steps = Array.from({ length: T }, (_, t) => (vocab && batch.tokens ? vocab.token(batch.tokens[t]) : String(t)));
  const layers = hidden.map((values, k) => {
    const width = values.length / T;
    const states = Array.from({ length: T }, (_, t) => Array.from(values.subarray(t * width, (t + 1) * width)));
    return { label: `layer ${k + 1}${bidirectional ? ` (forward ${merge === 'concat' ? '‖' : merge} backward)` : ''}`, width, states };
  });
  return { steps, layers };
}
